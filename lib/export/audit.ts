import { z } from 'zod';
import type { Logger } from 'pino';
import type { Database } from '@/db/client';
import { listAuditRows } from '@/lib/audit/repository';
import {
  AUDIT_RANGE_ISSUE,
  type AuditCursor,
  auditFilterShape,
  auditRangeIsOrdered,
  type PublicAuditEvent,
} from '@/lib/audit/schemas';
import { toPublicAuditEvent } from '@/lib/audit/service';
import { type Actor, requireAdminReader } from '@/lib/auth/actor';
import { EXPORT_BATCH_ROWS, exportFilename, exportResponse, keysetPages } from './export-response';
import { type CsvColumn, createSerializer, exportFormatSchema } from './format';

/** The audit page's filters (same schema) and a format. */
export const exportAuditQuerySchema = z
  .strictObject({ ...auditFilterShape, format: exportFormatSchema })
  .refine(auditRangeIsOrdered, AUDIT_RANGE_ISSUE);
export type ExportAuditQuery = z.infer<typeof exportAuditQuerySchema>;

export const AUDIT_COLUMNS: CsvColumn<PublicAuditEvent>[] = [
  { header: 'id', value: (e) => e.id },
  { header: 'created_at', value: (e) => e.created_at },
  { header: 'actor_id', value: (e) => e.actor.id },
  { header: 'actor_email', value: (e) => e.actor.email },
  { header: 'action', value: (e) => e.action },
  { header: 'target_type', value: (e) => e.target?.type },
  { header: 'target_id', value: (e) => e.target?.id },
  { header: 'ip', value: (e) => e.ip },
  // Already scrubbed of secrets when recorded (recordAuditEvent); one JSON text per cell.
  { header: 'details', value: (e) => JSON.stringify(e.details) },
];

async function* auditPages(
  db: Database,
  filters: Omit<ExportAuditQuery, 'format'>,
  limit: number,
): AsyncGenerator<PublicAuditEvent[]> {
  const pages = keysetPages(
    limit,
    (after?: AuditCursor) => listAuditRows(db, { ...filters, limit, after }),
    (last) => ({ ts: last.cursor_ts, id: String(last.id) }),
  );
  for await (const rows of pages) yield rows.map(toPublicAuditEvent);
}

/** Every audit event matching the page's filters, newest first, as CSV or JSON Lines (the list's objects). */
export async function exportAuditEvents(
  db: Database,
  actor: Actor,
  query: ExportAuditQuery,
  log: Logger,
  batchRows = EXPORT_BATCH_ROWS,
): Promise<Response> {
  requireAdminReader(actor, 'this export');
  const { format, ...filters } = query;
  return exportResponse({
    format,
    filename: exportFilename('audit-trail', format),
    serializer: createSerializer(format, AUDIT_COLUMNS, (e) => e),
    batches: auditPages(db, filters, batchRows),
    log,
  });
}
