import type { Database } from '@/db/client';
import type { AuditEvent } from '@/db/types';
import { type Actor, requireAdminReader } from '@/lib/auth/actor';
import { listAuditActions, listAuditRows } from './repository';
import { type AuditPage, type ListAuditQuery, type PublicAuditEvent, encodeAuditCursor } from './schemas';

export function toPublicAuditEvent(e: AuditEvent): PublicAuditEvent {
  return {
    // bigserial: the pg driver hands it over as a number.
    id: String(e.id),
    created_at: e.created_at.toISOString(),
    actor: { id: e.actor_id, email: e.actor_email },
    action: e.action,
    target: e.target_type ? { type: e.target_type, id: e.target_id } : null,
    details: (e.details ?? {}) as Record<string, unknown>,
    ip: e.ip,
  };
}

/** One page of the audit trail, newest first; fetches one more row to know whether another page follows. */
export async function listAuditEvents(db: Database, actor: Actor, query: ListAuditQuery): Promise<AuditPage> {
  requireAdminReader(actor, 'the audit trail');
  const rows = await listAuditRows(db, { ...query, limit: query.limit + 1, after: query.cursor });
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  return {
    data: page.map(toPublicAuditEvent),
    next_cursor: more && last ? encodeAuditCursor({ ts: last.cursor_ts, id: String(last.id) }) : null,
  };
}

export async function listAuditEventActions(db: Database, actor: Actor): Promise<string[]> {
  requireAdminReader(actor, 'the audit trail');
  return listAuditActions(db);
}
