import { z } from 'zod';
import type { Database } from '@/db/client';
import type { Logger } from 'pino';
import { type Actor, requireAdminReader } from '@/lib/auth/actor';
import type { Cursor } from '@/lib/recruiting/schemas';
import { listRunRows, type RunFilter } from '@/lib/sync-admin/repository';
import { type TaskRow, tasksFilterShape } from '@/lib/sync-admin/schemas';
import { resolveFilter, toTaskRow } from '@/lib/sync-admin/service';
import { EXPORT_BATCH_ROWS, exportFilename, exportResponse, keysetPages } from './export-response';
import { type CsvColumn, createSerializer, exportFormatSchema } from './format';

/** The tasks list's own filters (same schema, same parsing) and a format; every page of them. */
export const exportTasksQuerySchema = z.strictObject({ ...tasksFilterShape, format: exportFormatSchema });
export type ExportTasksQuery = z.infer<typeof exportTasksQuerySchema>;

export const TASK_COLUMNS: CsvColumn<TaskRow>[] = [
  { header: 'task_id', value: (t) => t.task_id },
  { header: 'status', value: (t) => t.status },
  { header: 'posting_slug', value: (t) => t.job.slug },
  { header: 'posting_title', value: (t) => t.job.title },
  { header: 'trigger', value: (t) => t.trigger },
  { header: 'requested_by', value: (t) => t.requested_by?.name },
  { header: 'requested_by_id', value: (t) => t.requested_by?.id },
  { header: 'force', value: (t) => t.force },
  { header: 'created_at', value: (t) => t.created_at },
  { header: 'started_at', value: (t) => t.started_at },
  { header: 'finished_at', value: (t) => t.finished_at },
  { header: 'total', value: (t) => t.total },
  { header: 'succeeded', value: (t) => t.succeeded },
  { header: 'failed', value: (t) => t.failed },
  { header: 'skipped', value: (t) => t.skipped },
  { header: 'cancelled', value: (t) => t.cancelled },
  { header: 'error_summary', value: (t) => t.error_summary },
];

async function* taskPages(db: Database, filter: RunFilter | null, limit: number): AsyncGenerator<TaskRow[]> {
  if (!filter) return;
  const pages = keysetPages(
    limit,
    (after?: Cursor) => listRunRows(db, filter, { limit, after }),
    (last) => ({ ts: last.cursor_ts, id: last.id }),
  );
  for await (const rows of pages) yield rows.map(toTaskRow);
}

/** Every run the tasks list shows for these filters, newest first, as CSV or JSON Lines (the list's objects). */
export async function exportTasks(
  db: Database,
  actor: Actor,
  query: ExportTasksQuery,
  log: Logger,
  batchRows = EXPORT_BATCH_ROWS,
): Promise<Response> {
  requireAdminReader(actor, 'this export');
  const { format, ...filters } = query;
  const filter = await resolveFilter(db, filters);
  return exportResponse({
    format,
    filename: exportFilename('sync-tasks', format),
    serializer: createSerializer(format, TASK_COLUMNS, (t) => t),
    batches: taskPages(db, filter, batchRows),
    log,
  });
}
