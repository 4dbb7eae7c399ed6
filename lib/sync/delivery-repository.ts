import { sql } from 'kysely';
import { type Database, prepared } from '@/db/client';
import type { DeliveryAction } from '@/db/types';
import { pauseEnd } from './limits-repository';

/**
 * All SQL of the delivery steps (claim, record), in one place: a claimed delivery with what its
 * request needs, and the statement that records a batch's outcomes.
 */

/** A candidate and its posting, as a request to a source is rendered from them. */
export type CandidateRecordRow = {
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  hired_at: Date | null;
  start_date: string | null;
  job_id: string;
  slug: string;
  title: string;
  department: string | null;
  location: string | null;
  employment_type: string | null;
};

export type ClaimedRow = {
  id: string;
  run_id: string;
  candidate_id: string;
  idempotency_key: string;
  attempts: number;
  action: DeliveryAction;
  /** The record at the target, for an update or a withdraw, and (update) the hash of what it holds. */
  external_id: string | null;
  record_hash: string | null;
} & CandidateRecordRow;

/**
 * Claims deliveries of a source for a worker: pending ones nobody holds, and those whose holder's
 * lease ran out (a worker that died). The claim is a lease (held_until, staleSeconds from now): it
 * changes no indexed column, so the row's new version stays on its page and no index is written
 * (a HOT update; migration 021). The update is atomic, so two workers never send the same delivery
 * at once. Nothing is claimed while the source is paused (by a Retry-After, an admin or refused
 * credentials: one row of source_pauses); then the answer says until when (NO_END: until resumed).
 */
export async function claimDeliveries(
  db: Database,
  workerId: string,
  sourceId: string,
  ids: string[],
  staleSeconds: number,
): Promise<{ rows: ClaimedRow[]; pausedUntil: Date | null }> {
  const { rows } = await sql<ClaimedRow & { paused_until: Date | null }>`${prepared}
    with pause as (
      select paused_until from source_pauses where source_id = ${sourceId} and paused_until > now()
    ), claimed as (
      update sync_deliveries d
      set attempts = d.attempts + 1, started_at = now(), locked_by = ${workerId},
          held_until = now() + make_interval(secs => ${staleSeconds})
      where d.id = any(${ids}::uuid[])
        -- status as CASE: found by primary key only, never through a partial index on status
        and case d.status when 'pending' then d.held_until is null or d.held_until < now() else false end
        and (select r.status from sync_runs r where r.id = d.run_id) = 'running'
        and not exists (select 1 from pause)
      returning d.id, d.run_id, d.candidate_id, d.idempotency_key, d.attempts, d.action, d.external_id, d.record_hash
    )
    select claimed.*, c.first_name, c.last_name, c.email, c.phone, c.hired_at, c.start_date,
           j.id as job_id, j.slug, j.title, j.department, j.location, j.employment_type, null::timestamptz as paused_until
    from claimed
    join candidates c on c.id = claimed.candidate_id
    join job_postings j on j.id = c.job_posting_id
    union all
    select null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, paused_until
    from pause
  `.execute(db);
  const pause = rows.find((r) => r.paused_until !== null);
  return { rows: pause ? [] : rows, pausedUntil: pause ? pauseEnd(pause.paused_until) : null };
}

/**
 * Extends this worker's claim on deliveries it has not recorded yet (a batch still waiting for the
 * source's slots, or in flight): those it still holds, as the answer says. A delivery missing from
 * the answer was taken by another worker after the lease ran out, recorded, or released by the
 * sweeper: it is no longer this worker's to send. Like the claim, a HOT update (no indexed column).
 */
export async function renewClaims(
  db: Database,
  workerId: string,
  ids: string[],
  staleSeconds: number,
): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`${prepared}
    update sync_deliveries
    set held_until = now() + make_interval(secs => ${staleSeconds})
    where id = any(${ids}::uuid[]) and locked_by = ${workerId}
      -- status as CASE: found by primary key only (see claimDeliveries)
      and case status when 'pending' then held_until is not null else false end
    returning id
  `.execute(db);
  return rows.map((r) => r.id);
}

/**
 * Gives back claimed deliveries that were not sent because the source was paused meanwhile: the
 * attempt did not happen, so it is not counted; they wait for the end of the pause (null: a resume).
 */
export async function putBackDeliveries(
  db: Database,
  workerId: string,
  ids: string[],
  until: Date | null,
): Promise<void> {
  await db
    .updateTable('sync_deliveries')
    .set((eb) => ({
      attempts: eb('attempts', '-', 1),
      locked_by: null,
      held_until: null,
      next_attempt_at: until,
      updated_at: new Date(),
    }))
    .where('id', 'in', ids)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'pending')
    .where('held_until', 'is not', null)
    .execute();
}

/**
 * Pending deliveries that wait for the end of a pause say so (next_attempt_at), for the live state;
 * null for a pause with no end: they wait for a resume, not for a time.
 */
export async function deferPendingDeliveries(db: Database, ids: string[], until: Date | null): Promise<void> {
  await db
    .updateTable('sync_deliveries')
    .set({ next_attempt_at: until, updated_at: new Date() })
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .where('held_until', 'is', null)
    .execute();
}

/** Of the given deliveries, those another worker holds (in progress), with when its lease runs out. */
export function findHeldDeliveries(db: Database, ids: string[]) {
  return db
    .selectFrom('sync_deliveries')
    .select(['id', 'held_until'])
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .where('held_until', 'is not', null)
    .execute();
}

export type RecordedOutcome = {
  deliveryId: string;
  attempt: number;
  status: 'succeeded' | 'failed' | 'pending';
  httpStatus: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  responseExcerpt: string | null;
  request: unknown;
  durationMs: number | null;
  externalId: string | null;
  /** Hash of the mapped record sent (named connectors), null otherwise. */
  recordHash: string | null;
  nextAttemptAt: Date | null;
};

/**
 * The delivery rows, each candidate's last known state at the source and the run's progress, in
 * one statement. Guarded by holder and attempt: a worker that lost its claim records nothing;
 * locked_by stays as the record of which worker made the last attempt. With `healthy`, the source
 * is marked healthy too when it was not, or was last confirmed more than 5 seconds ago.
 */
export function recordDeliveriesStatement(
  workerId: string,
  sourceId: string,
  lane: string,
  settled: RecordedOutcome[],
  healthy: boolean,
) {
  // One JSON parameter, not a VALUES list per batch size: one statement text, prepared once. Not
  // arrays either: pg escapes every element of a text array in JavaScript, character by character,
  // which cost more than the planning saved (the stored requests are JSON full of quotes).
  const rows = JSON.stringify(
    settled.map((s) => ({
      id: s.deliveryId,
      attempt: s.attempt,
      status: s.status,
      http_status: s.httpStatus,
      error_code: s.errorCode,
      error_message: s.errorMessage,
      response_excerpt: s.responseExcerpt,
      request: s.request,
      duration_ms: s.durationMs,
      external_id: s.externalId,
      record_hash: s.recordHash,
      next_attempt_at: s.nextAttemptAt,
    })),
  );
  const healthCte = healthy
    ? sql`, healthy as (
        update sources set health_status = 'healthy', health_error = null, health_checked_at = now(),
               last_success_at = now(), consecutive_failures = 0
        where id = ${sourceId}
          and (health_status <> 'healthy' or consecutive_failures <> 0 or last_success_at is null
               or last_success_at < now() - interval '5 seconds')
          and exists (select 1 from upd where upd.status = 'succeeded'))`
    : sql``;
  return sql<{ id: string; run_id: string; status: string }>`${prepared}
    with v (id, attempt, status, http_status, error_code, error_message, response_excerpt, request, duration_ms, external_id, record_hash, next_attempt_at) as (
      select id, attempt, status, http_status, error_code, error_message, response_excerpt, request, duration_ms, external_id, record_hash, next_attempt_at
      from jsonb_to_recordset(${rows}::jsonb)
             as r (id uuid, attempt int, status text, http_status int, error_code text, error_message text, response_excerpt text,
                   request jsonb, duration_ms int, external_id text, record_hash text, next_attempt_at timestamptz)
    ), upd as (
      update sync_deliveries d
      set status = v.status, http_status = v.http_status, error_code = v.error_code, error_message = v.error_message,
          response_excerpt = v.response_excerpt, request_excerpt = v.request, duration_ms = v.duration_ms,
          external_id = coalesce(v.external_id, d.external_id), next_attempt_at = v.next_attempt_at,
          record_hash = case when v.status = 'succeeded' then v.record_hash else d.record_hash end,
          delivered_at = case when v.status = 'succeeded' then now() else d.delivered_at end,
          held_until = null, updated_at = now()
      from v
      -- The ids again as an array: the rows are found by primary key whatever the generic plan
      -- guesses of jsonb_to_recordset (100 rows: with a small table, a hash join over all of it).
      where d.id = any(${settled.map((s) => s.deliveryId)}::uuid[])
        and d.id = v.id and d.locked_by = ${workerId} and d.attempts = v.attempt
        -- status as CASE: found by primary key only (see claimDeliveries)
        and case d.status when 'pending' then d.held_until is not null else false end
      returning d.id, d.run_id, d.candidate_id, d.status, d.payload_hash, d.action, v.external_id, v.record_hash, v.error_message
    ), state as (
      -- A withdraw that succeeded leaves no current record there: no hash, so a hire again creates.
      insert into candidate_sync_state as st (candidate_id, source_id, last_status, last_run_id, last_delivery_id, last_error, last_attempt_at, delivered_payload_hash, delivered_at, external_id, last_action, withdrawn_at, record_hash)
      select upd.candidate_id, ${sourceId}::uuid, upd.status, upd.run_id, upd.id,
             case when upd.status = 'failed' then upd.error_message end, now(),
             case when upd.status = 'succeeded' and upd.action <> 'withdraw' then upd.payload_hash end,
             case when upd.status = 'succeeded' then now() end, upd.external_id, upd.action,
             case when upd.status = 'succeeded' and upd.action = 'withdraw' then now() end,
             case when upd.status = 'succeeded' and upd.action <> 'withdraw' then upd.record_hash end
      from upd where upd.status in ('succeeded', 'failed')
      on conflict (candidate_id, source_id) do update set
        last_status = excluded.last_status, last_run_id = excluded.last_run_id, last_delivery_id = excluded.last_delivery_id,
        last_error = excluded.last_error, last_attempt_at = excluded.last_attempt_at,
        delivered_payload_hash = case when excluded.last_status = 'succeeded' and excluded.last_action = 'withdraw' then null
                                      else coalesce(excluded.delivered_payload_hash, st.delivered_payload_hash) end,
        delivered_at = coalesce(excluded.delivered_at, st.delivered_at),
        external_id = coalesce(excluded.external_id, st.external_id),
        last_action = excluded.last_action,
        withdrawn_at = case when excluded.last_status = 'succeeded' then excluded.withdrawn_at else st.withdrawn_at end,
        record_hash = case when excluded.last_status = 'succeeded' then excluded.record_hash else st.record_hash end
    ), progress as (
      insert into sync_run_progress as p (run_id, source_id, lane, succeeded, failed)
      select upd.run_id, ${sourceId}::uuid, ${lane},
             count(*) filter (where upd.status = 'succeeded')::int, count(*) filter (where upd.status = 'failed')::int
      from upd where upd.status in ('succeeded', 'failed')
      group by upd.run_id
      on conflict (run_id, source_id, lane) do update set
        succeeded = p.succeeded + excluded.succeeded, failed = p.failed + excluded.failed
    )${healthCte}
    select upd.id, upd.run_id, upd.status from upd
  `;
}
