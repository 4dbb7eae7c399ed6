import { CompiledQuery, type RawBuilder, type Transaction, sql } from 'kysely';
import type { Database } from '@/db/client';
import type { DB, SourcePauseKind, SyncRun, SyncRunStatus, SyncTrigger } from '@/db/types';

type Db = Database | Transaction<DB>;
/** A run id, or a column holding one (sql`r.id`) to use a fragment inside a larger query. */
type RunRef = string | RawBuilder<unknown>;

export function findRun(db: Db, id: string): Promise<SyncRun | undefined> {
  return db.selectFrom('sync_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Locks the run row against other changes of the run (fan-out, cancel, retry, settling). NO KEY
 * UPDATE, not UPDATE: the id never changes, and FOR UPDATE would also block the KEY SHARE locks
 * that recording a batch takes through sync_run_progress's foreign key, stalling every delivery
 * of the run while a fan-out chunk is being written.
 */
export function lockRun(db: Transaction<DB>, id: string): Promise<SyncRun | undefined> {
  return db.selectFrom('sync_runs').selectAll().where('id', '=', id).forNoKeyUpdate().executeTakeFirst();
}

export function findActiveRunForPosting(db: Db, jobPostingId: string): Promise<SyncRun | undefined> {
  return db
    .selectFrom('sync_runs')
    .selectAll()
    .where('job_posting_id', '=', jobPostingId)
    .where('status', 'in', ['pending', 'running'])
    .executeTakeFirst();
}

/** Inserts the run unless one is already pending or running for the posting (enforced by a unique index). */
export async function insertRunUnlessActive(
  db: Transaction<DB>,
  values: {
    job_posting_id: string;
    trigger: SyncTrigger;
    requested_by: string | null;
    schedule_id?: string | null;
    source_ids: string[] | null;
    candidate_ids: string[] | null;
    force: boolean;
  },
): Promise<SyncRun | undefined> {
  return db
    .insertInto('sync_runs')
    .values({ ...values, schedule_id: values.schedule_id ?? null })
    .onConflict((oc) => oc.column('job_posting_id').where('status', 'in', ['pending', 'running']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export type RunWithJob = SyncRun & { job_slug: string; job_title: string; requester_name: string | null };

const runWithJob = (db: Db, id: string) =>
  db
    .selectFrom('sync_runs as r')
    .innerJoin('job_postings as j', 'j.id', 'r.job_posting_id')
    .leftJoin('users as u', 'u.id', 'r.requested_by')
    .selectAll('r')
    .select(['j.slug as job_slug', 'j.title as job_title', 'u.name as requester_name'])
    .where('r.id', '=', id);

export function findRunWithJob(db: Db, id: string): Promise<RunWithJob | undefined> {
  return runWithJob(db, id).executeTakeFirst();
}

export type SourceCounts = {
  source_id: string;
  name: string;
  /** null for a deleted source. */
  max_attempts: number | null;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
};

export type FailedDelivery = {
  candidate_id: string;
  first_name: string;
  last_name: string;
  source_id: string;
  source_name: string;
  error_code: string | null;
  error_message: string | null;
  http_status: number | null;
  attempts: number;
};

/**
 * The run with its posting and its live per-source counts (sync_run_progress, a handful of rows
 * on their primary key), in one round trip: all the status endpoint needs for its ETag.
 */
export async function findRunProgress(
  db: Db,
  id: string,
): Promise<(RunWithJob & { sources: SourceCounts[]; waiting: WaitingCounts[]; pauses: ActivePause[] }) | undefined> {
  const row = await runWithJob(db, id)
    .select(
      sql<SourceCounts[] | null>`(select json_agg(t order by t.name, t.source_id) from (
        select p.source_id, coalesce(s.name, 'deleted source') as name, s.max_attempts, sum(p.total)::int as total,
               sum(p.succeeded)::int as succeeded, sum(p.failed)::int as failed,
               sum(p.skipped)::int as skipped, sum(p.cancelled)::int as cancelled
        from sync_run_progress p left join sources s on s.id = p.source_id
        where p.run_id = r.id
        group by p.source_id, s.name, s.max_attempts) t)`.as('sources'),
    )
    .select(waitingBySource(sql`r.id`).as('waiting'))
    .select(activePausesOf(sql`r.id`).as('pauses'))
    .executeTakeFirst();
  return row ? { ...row, sources: row.sources ?? [], waiting: row.waiting ?? [], pauses: row.pauses ?? [] } : undefined;
}

/** What says whether a run changed since an answer was built: one row read by primary key. */
export type RunHead = {
  status: SyncRunStatus;
  version: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
};

let runHeadSql: string | undefined;

export async function findRunHead(db: Db, id: string): Promise<RunHead | undefined> {
  // Built once: this read is all a poll of a finished run costs the database, and building the
  // query each time showed in the web process's CPU profile under load. The text does not depend on the id.
  runHeadSql ??= db
    .selectFrom('sync_runs')
    .select(['status', 'version', 'succeeded', 'failed', 'skipped', 'cancelled'])
    .where('id', '=', id)
    .compile().sql;
  const { rows } = await db.executeQuery<RunHead>(CompiledQuery.raw(runHeadSql, [id]));
  return rows[0];
}

/** A run's deliveries waiting for their next attempt, per source. */
export type WaitingCounts = {
  source_id: string;
  waiting: number;
  min_attempts: number;
  max_attempts_so_far: number;
  attempts_sum: number;
  next_attempt_at: string;
  max_attempts: number;
};

/** A paused source (source_pauses: by a Retry-After, an admin or refused credentials) that takes part in a run. */
export type ActivePause = {
  source_id: string;
  /** null: a pause with no end (until resumed). */
  paused_until: string | null;
  reason: string;
  http_status: number | null;
  kind: SourcePauseKind;
};

/**
 * Per source, the run's deliveries waiting for a retry: pending after at least one attempt, with
 * the time of the next one (a delivery held back before its first attempt is not a retry). Read
 * through the partial index sync_deliveries_waiting_retry_idx (a few rows: those waiting, less
 * those a worker holds again now).
 */
const waitingBySource = (runId: RunRef) => sql<WaitingCounts[] | null>`(
  select json_agg(w order by w.source_id) from (
    select d.source_id, count(*)::int as waiting, min(d.attempts)::int as min_attempts,
           max(d.attempts)::int as max_attempts_so_far, sum(d.attempts)::int as attempts_sum,
           min(d.next_attempt_at) as next_attempt_at,
           (select s.max_attempts from sources s where s.id = d.source_id) as max_attempts
    from sync_deliveries d
    where d.run_id = ${runId} and d.status = 'pending' and d.next_attempt_at is not null and d.attempts > 0
      and d.held_until is null
    group by d.source_id) w)`;

/**
 * The pauses still in force of the sources in a pending or running run (source_pauses holds a row
 * per paused source, a handful at most). A pause that ends drops out by itself, which changes the status's ETag.
 */
const activePausesOf = (runId: RunRef) => sql<ActivePause[] | null>`(
  select json_agg(json_build_object('source_id', sp.source_id,
                                    'paused_until', case when sp.paused_until <> 'infinity' then sp.paused_until end,
                                    'reason', sp.reason, 'http_status', sp.http_status, 'kind', sp.kind)
                  order by sp.source_id)
  from source_pauses sp
  where sp.paused_until > now()
    -- A finished run waits for nothing: its answer stays what it was when it ended.
    and exists (select 1 from sync_runs rr where rr.id = ${runId} and rr.status in ('pending', 'running'))
    and exists (select 1 from sync_run_progress p where p.run_id = ${runId} and p.source_id = sp.source_id))`;

/** The live state of a run alone (the admin task page reads its counts elsewhere). */
export async function findRunWaiting(
  db: Db,
  runId: string,
): Promise<{ waiting: WaitingCounts[]; pauses: ActivePause[] }> {
  const { rows } = await sql<{ waiting: WaitingCounts[] | null; pauses: ActivePause[] | null }>`
    select ${waitingBySource(runId)} as waiting, ${activePausesOf(runId)} as pauses
  `.execute(db);
  return { waiting: rows[0]?.waiting ?? [], pauses: rows[0]?.pauses ?? [] };
}

export type RetryingDeliveryRow = {
  candidate_id: string;
  first_name: string;
  last_name: string;
  source_id: string;
  source_name: string;
  attempts: number;
  max_attempts: number;
  next_attempt_at: Date;
  error_code: string | null;
  error_message: string | null;
  http_status: number | null;
};

/** The deliveries of a run waiting for a retry, the next to be tried first (on the partial index). */
export async function findRunRetrying(db: Db, runId: string, limit: number): Promise<RetryingDeliveryRow[]> {
  const { rows } = await sql<RetryingDeliveryRow>`
    select d.candidate_id, c.first_name, c.last_name, d.source_id, s.name as source_name,
           d.attempts, s.max_attempts, d.next_attempt_at, d.error_code, d.error_message, d.http_status
    from sync_deliveries d
    join sources s on s.id = d.source_id
    join candidates c on c.id = d.candidate_id
    where d.run_id = ${runId} and d.status = 'pending' and d.next_attempt_at is not null and d.attempts > 0
      and d.held_until is null
    order by d.next_attempt_at, s.name, c.last_name, c.first_name
    limit ${limit}
  `.execute(db);
  return rows;
}

/** The failed deliveries of a run, on the (run_id, status) index. */
export async function findRunFailures(db: Db, runId: string, limit: number): Promise<FailedDelivery[]> {
  const { rows } = await sql<FailedDelivery>`
    select d.candidate_id, c.first_name, c.last_name, d.source_id, s.name as source_name,
           d.error_code, d.error_message, d.http_status, d.attempts
    from sync_deliveries d
    join sources s on s.id = d.source_id
    join candidates c on c.id = d.candidate_id
    where d.run_id = ${runId} and d.status = 'failed'
    order by s.name, c.last_name, c.first_name
    limit ${limit}
  `.execute(db);
  return rows;
}

/**
 * Gives back the deliveries a stopping worker still holds, so another worker sends them as soon as
 * their job comes back instead of waiting for the claim to go stale. The fenced update in the
 * engine then records nothing a late answer to this worker might bring.
 */
export async function releaseClaimsOf(db: Db, workerId: string): Promise<number> {
  const result = await db
    .updateTable('sync_deliveries')
    // Sent again as soon as its job comes back: not waiting for a retry time any more.
    .set({ locked_by: null, held_until: null, next_attempt_at: null, updated_at: new Date() })
    .where('status', '=', 'pending')
    .where('held_until', 'is not', null)
    .where('locked_by', '=', workerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
