import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requireAdminView } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { isAppError } from '@/lib/errors';
import { getTask } from '@/lib/sync-admin/service';
import { TaskClient } from './task-client';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Run ${id.slice(0, 8)}` };
}

export default async function SyncTaskPage({ params }: Props) {
  const { id } = await params;
  const actor = await requireAdminView(`/sync-admin/tasks/${encodeURIComponent(id)}`);
  try {
    return <TaskClient initial={await getTask(getDb(), actor, id)} />;
  } catch (err) {
    if (isAppError(err) && (err.code === 'task_not_found' || err.code === 'invalid_task_id')) notFound();
    throw err;
  }
}
