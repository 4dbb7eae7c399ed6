import type { Metadata } from 'next';
import { requireAdmin } from '@/lib/auth/session';
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
  const actor = await requireAdmin('/sync-admin/tasks');
  const params = await searchParams;
  const filters: TaskFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params[key];
    if (typeof value === 'string' && value !== '') filters[key] = value;
  }
  const db = getDb();
  // The route wrapper refuses control characters in the API's query; this page reads the URL itself.
  const parsed = findHostileInput(filters).length === 0 ? listTasksQuerySchema.safeParse(filters) : null;
  const [options, firstPage] = await Promise.all([
    getFilterOptions(db, actor),
    parsed?.success ? listTasks(db, actor, parsed.data) : undefined,
  ]);
  return <TasksClient initialFilters={filters} initialPage={firstPage} options={options} />;
}
