import { sql, type Transaction } from 'kysely';
import type { Database } from '@/db/client';
import type { DB } from '@/db/types';

/**
 * The per-source limits shared by every worker: request slots (max_concurrency) leased in chunks,
 * request tokens (max_requests_per_minute) and pauses (Retry-After). One statement per change;
 * the rules are in the SQL functions of migration 011.
 */

/**
 * Asks for `want` of the source's slots in all (`inUse` of them busy): granted is at most what
 * max_concurrency leaves after the other workers' live leases, no more than a fair share while
 * others want slots too. The lease row holds at least `inUse` (`held`): the worker gives back the
 * difference as those requests end. Want 0 with nothing in use gives the lease back.
 */
export async function leaseSlots(
  db: Database,
  sourceId: string,
  workerId: string,
  want: number,
  inUse: number,
  ttlMs: number,
): Promise<{ granted: number; held: number; pausedUntil: Date | null }> {
  const { rows } = await sql<{ granted: number; held: number; paused_until: Date | null }>`
    select granted, held, paused_until from sync_lease_slots(${sourceId}::uuid, ${workerId}, ${want}::int, ${inUse}::int, ${ttlMs}::int)
  `.execute(db);
  return { granted: rows[0].granted, held: rows[0].held, pausedUntil: pauseEnd(rows[0].paused_until) };
}

/** Takes up to `want` request tokens; when short, how long until the next one. */
export async function takeTokens(
  db: Database,
  sourceId: string,
  want: number,
): Promise<{ granted: number; waitMs: number; pausedUntil: Date | null }> {
  const { rows } = await sql<{ granted: number; wait_ms: number; paused_until: Date | null }>`
    select granted, wait_ms, paused_until from sync_take_tokens(${sourceId}::uuid, ${want}::int)
  `.execute(db);
  return { granted: rows[0].granted, waitMs: rows[0].wait_ms, pausedUntil: pauseEnd(rows[0].paused_until) };
}

/**
 * Pauses the source for every worker until `until` (a later pause already there wins), and tells
 * the other workers at once (NOTIFY, committed with the row).
 */
export async function pauseSource(
  db: Database,
  sourceId: string,
  pause: { until: Date; reason: string; httpStatus: number | null },
): Promise<Date> {
  const { rows } = await sql<{ paused_until: Date }>`
    with p as (
      insert into source_pauses as sp (source_id, paused_until, reason, http_status)
      values (${sourceId}::uuid, ${pause.until}::timestamptz, ${pause.reason}, ${pause.httpStatus}::smallint)
      on conflict (source_id) do update set
        paused_until = greatest(sp.paused_until, excluded.paused_until),
        reason = case when excluded.paused_until >= sp.paused_until then excluded.reason else sp.reason end,
        http_status = case when excluded.paused_until >= sp.paused_until then excluded.http_status else sp.http_status end,
        created_at = case when sp.paused_until < now() then now() else sp.created_at end
      returning sp.paused_until
    )
    select p.paused_until, pg_notify(${SOURCE_PAUSED_CHANNEL}, ${sourceId}) from p
  `.execute(db);
  return pauseEnd(rows[0].paused_until) ?? pause.until;
}

export const SOURCE_PAUSED_CHANNEL = 'ats_source_paused';
/**
 * sync_lease_slots notifies here, "<source id> <worker id>", when that worker is kept below its
 * fair share of the source's slots by another holding more (migration 034): holders lease again.
 */
export const SOURCE_SLOTS_WANTED_CHANNEL = 'ats_source_slots_wanted';

/** When the source is paused until (null: it is not). */
export async function findSourcePause(db: Database, sourceId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('source_pauses')
    .select('paused_until')
    .where('source_id', '=', sourceId)
    .where('paused_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return pauseEnd(row?.paused_until ?? null);
}

/**
 * A pause with no end (an admin's, or refused credentials) is stored as paused_until = 'infinity',
 * which pg reads as the number Infinity: in memory it is NO_END, the latest time a Date holds, so
 * every "paused until" comparison keeps working; code that re-queues work after a pause asks
 * hasNoEnd first (resuming enqueues it instead).
 */
export const NO_END = new Date(8.64e15);
export const hasNoEnd = (until: Date) => until.getTime() >= NO_END.getTime();

export function pauseEnd(value: Date | number | string | null): Date | null {
  if (value === null) return null;
  if (value === Infinity || value === 'infinity') return NO_END;
  return value instanceof Date ? value : new Date(value);
}

export type SourceHold = { kind: 'admin' | 'auth_failed'; reason: string; pausedBy: string | null };

/**
 * Pauses the source with no end (see NO_END) and tells the workers at once. A pause already with
 * no end keeps its kind and reason, so refused credentials do not overwrite an admin's pause nor
 * the other way round; a Retry-After pause in force is replaced. Returns whether the source was
 * paused by this call (false: it already was, with no end).
 */
export async function holdSource(db: Database | Transaction<DB>, sourceId: string, hold: SourceHold): Promise<boolean> {
  const { rows } = await sql<{ held: boolean }>`
    with p as (
      insert into source_pauses as sp (source_id, paused_until, reason, http_status, kind, paused_by)
      values (${sourceId}::uuid, 'infinity', ${hold.reason}, null, ${hold.kind}, ${hold.pausedBy}::uuid)
      on conflict (source_id) do update set
        paused_until = 'infinity', reason = excluded.reason, http_status = null, kind = excluded.kind,
        paused_by = excluded.paused_by, created_at = now()
      where sp.paused_until <> 'infinity'
      returning sp.source_id
    )
    select exists (select 1 from p) as held, pg_notify(${SOURCE_PAUSED_CHANNEL}, ${sourceId})
  `.execute(db);
  return rows[0].held;
}

/**
 * Ends a pause with no end (of the given kinds) and tells the workers. A Retry-After pause in
 * force is left alone: the target asked for it. Returns the pause that was lifted, if any.
 */
export async function liftSourceHold(
  db: Database | Transaction<DB>,
  sourceId: string,
  kinds: SourceHold['kind'][],
): Promise<{ kind: SourceHold['kind']; reason: string } | null> {
  const { rows } = await sql<{ kind: SourceHold['kind']; reason: string }>`
    with d as (
      delete from source_pauses
      where source_id = ${sourceId} and paused_until = 'infinity' and kind = any(${kinds}::text[])
      returning kind, reason
    )
    select d.kind, d.reason, pg_notify(${SOURCE_PAUSED_CHANNEL}, ${sourceId}) from d
  `.execute(db);
  return rows[0] ?? null;
}

/** Gives back every slot a stopping worker holds. */
export async function releaseLeasesOf(db: Database, workerId: string): Promise<void> {
  await sql`delete from source_slot_leases where worker_id = ${workerId}`.execute(db);
}
