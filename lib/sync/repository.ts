import { type Transaction, sql } from 'kysely';
import type { Database } from '@/db/client';
import type { DB, SyncRun } from '@/db/types';

type Db = Database | Transaction<DB>;

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
    trigger: 'manual' | 'schedule' | 'api';
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
): Promise<(RunWithJob & { sources: SourceCounts[] }) | undefined> {
  const row = await runWithJob(db, id)
    .select(
      sql<SourceCounts[] | null>`(select json_agg(t order by t.name, t.source_id) from (
        select p.source_id, coalesce(s.name, 'deleted source') as name, sum(p.total)::int as total,
               sum(p.succeeded)::int as succeeded, sum(p.failed)::int as failed,
               sum(p.skipped)::int as skipped, sum(p.cancelled)::int as cancelled
        from sync_run_progress p left join sources s on s.id = p.source_id
        where p.run_id = r.id
        group by p.source_id, s.name) t)`.as('sources'),
    )
    .executeTakeFirst();
  return row ? { ...row, sources: row.sources ?? [] } : undefined;
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
    .set({ status: 'pending', locked_by: null, updated_at: new Date() })
    .where('status', '=', 'in_progress')
    .where('locked_by', '=', workerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
