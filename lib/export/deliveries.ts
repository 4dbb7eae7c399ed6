import { z } from 'zod';
import type { Logger } from 'pino';
import type { Database } from '@/db/client';
import { type Actor, requireAdminReader } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { findRunWithJob } from '@/lib/sync/repository';
import { type DeliveryRow, listDeliveriesQuerySchema } from '@/lib/sync-admin/schemas';
import { parseId, toDeliveryRow } from '@/lib/sync-admin/service';
import { EXPORT_BATCH_ROWS, exportFilename, exportResponse, keysetPages } from './export-response';
import { type CsvColumn, createSerializer, exportFormatSchema } from './format';
import { listRunSourcesByName, listSourceDeliveryPage } from './repository';

/** The deliveries list's filters (status, source) and a format. */
export const exportDeliveriesQuerySchema = z.strictObject({
  status: listDeliveriesQuerySchema.shape.status,
  source: listDeliveriesQuerySchema.shape.source,
  format: exportFormatSchema,
});
export type ExportDeliveriesQuery = z.infer<typeof exportDeliveriesQuerySchema>;

/** A delivery of the list with the run it belongs to, so files of several runs can be joined. */
export type ExportedDelivery = DeliveryRow & { task_id: string };

export const DELIVERY_COLUMNS: CsvColumn<ExportedDelivery>[] = [
  { header: 'task_id', value: (d) => d.task_id },
  { header: 'delivery_id', value: (d) => d.id },
  { header: 'source_id', value: (d) => d.source.id },
  { header: 'source_name', value: (d) => d.source.name },
  { header: 'candidate_id', value: (d) => d.candidate.id },
  { header: 'candidate_name', value: (d) => d.candidate.name },
  { header: 'candidate_email', value: (d) => d.candidate.email },
  { header: 'action', value: (d) => d.action },
  { header: 'status', value: (d) => d.status },
  { header: 'attempts', value: (d) => d.attempts },
  { header: 'http_status', value: (d) => d.http_status },
  { header: 'duration_ms', value: (d) => d.duration_ms },
  { header: 'error_code', value: (d) => d.error_code },
  { header: 'error_message', value: (d) => d.error_message },
  { header: 'external_id', value: (d) => d.external_id },
  { header: 'record_url', value: (d) => d.record_url },
  { header: 'next_attempt_at', value: (d) => d.next_attempt_at },
  { header: 'delivered_at', value: (d) => d.delivered_at },
  { header: 'updated_at', value: (d) => d.updated_at },
];

async function* deliveryPages(
  db: Database,
  runId: string,
  query: ExportDeliveriesQuery,
  limit: number,
): AsyncGenerator<ExportedDelivery[]> {
  for (const source of await listRunSourcesByName(db, runId, query.source)) {
    const pages = keysetPages(
      limit,
      (afterCandidate?: string) =>
        listSourceDeliveryPage(db, runId, source.id, { statuses: query.status, afterCandidate, limit }),
      (last) => last.candidate_id,
    );
    for await (const rows of pages) yield rows.map((r) => ({ task_id: runId, ...toDeliveryRow(r) }));
  }
}

/** Every delivery of a run matching the list's filters, by source name, then candidate id. */
export async function exportTaskDeliveries(
  db: Database,
  actor: Actor,
  id: string,
  query: ExportDeliveriesQuery,
  log: Logger,
  batchRows = EXPORT_BATCH_ROWS,
): Promise<Response> {
  requireAdminReader(actor, 'this export');
  const runId = parseId(id, 'task');
  const run = await findRunWithJob(db, runId);
  if (!run) throw new AppError('task_not_found', 'no sync task with this id');
  return exportResponse({
    format: query.format,
    filename: exportFilename(`sync-task-${runId.slice(0, 8)}-deliveries`, query.format),
    serializer: createSerializer(query.format, DELIVERY_COLUMNS, (d) => d),
    batches: deliveryPages(db, runId, query, batchRows),
    log,
  });
}
