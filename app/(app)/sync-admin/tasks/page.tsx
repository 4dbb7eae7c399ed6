import type { Metadata } from 'next';
import { requireAdminView } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { findHostileInput } from '@/lib/security/hostile-input';
import { listTasksQuerySchema } from '@/lib/sync-admin/schemas';
import { getFilterOptions, listTasks } from '@/lib/sync-admin/service';
import type { TaskFilters } from '@/lib/swr/use-sync-tasks';
import { TasksClient } from './tasks-client';

export const metadata: Metadata = { title: 'Sync tasks' };

const FILTER_KEYS = ['status', 'posting', 'source', 'trigger', 'from', 'to', 'q'] as const;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SyncTasksPage({ searchParams }: Props) {
  const actor = await requireAdminView('/sync-admin/tasks');
  const params = await searchParams;
  // Each filter of the address on its own: one that does not fit (an old link, a typo) is left out
  // and named on the page, instead of the whole list failing with the API's validation text.
  const filters: TaskFilters = {};
  const ignored: string[] = [];
  for (const key of FILTER_KEYS) {
    const value = params[key];
    if (value === undefined || value === '') continue;
    // The route wrapper refuses control characters in the API's query; this page reads the URL itself.
    const fits =
      typeof value === 'string' &&
      findHostileInput({ [key]: value }).length === 0 &&
      listTasksQuerySchema.safeParse({ [key]: value }).success;
    if (fits) filters[key] = value;
    else ignored.push(key);
  }
  const db = getDb();
  const parsed = listTasksQuerySchema.safeParse(filters);
  const [options, firstPage] = await Promise.all([
    getFilterOptions(db, actor),
    parsed.success ? listTasks(db, actor, parsed.data) : undefined,
  ]);
  return <TasksClient initialFilters={filters} initialPage={firstPage} options={options} ignoredFilters={ignored} />;
}
