import { type Transaction, sql } from 'kysely';
import type { Database } from '@/db/client';
import type { AuditEvent, DB } from '@/db/types';
import type { AuditCursor } from './schemas';

type Db = Database | Transaction<DB>;

/** `%`, `_` and `\` in user input are literal characters, not patterns. */
const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export type AuditFilter = {
  actor?: string;
  action?: string;
  from?: Date;
  to?: Date;
  limit: number;
  after?: AuditCursor;
};

/**
 * Newest first on the (created_at, id) index. The cursor carries created_at to the microsecond,
 * which a JS Date would cut to milliseconds and so skip or repeat events of the same millisecond.
 */
export function listAuditRows(db: Db, filter: AuditFilter): Promise<(AuditEvent & { cursor_ts: string })[]> {
  let query = db
    .selectFrom('audit_events')
    .selectAll()
    .select(sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_ts'))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.actor === 'system') query = query.where('actor_id', 'is', null).where('actor_email', 'like', 'system:%');
  else if (filter.actor) query = query.where('actor_email', 'ilike', `%${literal(filter.actor)}%`);
  if (filter.action?.endsWith('.*')) query = query.where('action', 'like', `${literal(filter.action.slice(0, -1))}%`);
  else if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.from) query = query.where('created_at', '>=', filter.from);
  if (filter.to) query = query.where('created_at', '<', filter.to);
  const after = filter.after;
  if (after) query = query.where(sql<boolean>`(created_at, id) < (${after.ts}::timestamptz, ${after.id}::bigint)`);
  return query.execute();
}

/** Every action recorded so far, by a skip scan of the action index rather than a full DISTINCT. */
export async function listAuditActions(db: Db): Promise<string[]> {
  const { rows } = await sql<{ action: string }>`
    with recursive actions(action) as (
      (select action from audit_events order by action limit 1)
      union all
      select (select e.action from audit_events e where e.action > a.action order by e.action limit 1)
      from actions a where a.action is not null
    )
    select action from actions where action is not null`.execute(db);
  return rows.map((r) => r.action);
}
