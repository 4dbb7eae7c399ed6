import { type Transaction, sql } from 'kysely';
import type { Database } from '@/db/client';
import type { DB, SyncRun } from '@/db/types';

type Db = Database | Transaction<DB>;

export function findRun(db: Db, id: string): Promise<SyncRun | undefined> {
  return db.selectFrom('sync_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockRun(db: Transaction<DB>, id: string): Promise<SyncRun | undefined> {
  return db.selectFrom('sync_runs').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
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

export function findRunWithJob(db: Db, id: string): Promise<RunWithJob | undefined> {
  return db
    .selectFrom('sync_runs as r')
    .innerJoin('job_postings as j', 'j.id', 'r.job_posting_id')
    .leftJoin('users as u', 'u.id', 'r.requested_by')
    .selectAll('r')
    .select(['j.slug as job_slug', 'j.title as job_title', 'u.name as requester_name'])
    .where('r.id', '=', id)
    .executeTakeFirst();
}

export type SourceCounts = {
  source_id: string;
  name: string;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
  active: number;
  in_flight: number;
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

/** Per-source counts and the failures of a run, in one round trip on the (run_id, status) index. */
export async function findRunBreakdown(
  db: Db,
  runId: string,
  errorLimit: number,
): Promise<{ sources: SourceCounts[]; errors: FailedDelivery[] }> {
  const { rows } = await sql<{ sources: SourceCounts[] | null; errors: FailedDelivery[] | null }>`
    select
      (select json_agg(t order by t.name) from (
         select d.source_id, s.name,
                count(*)::int as total,
                count(*) filter (where d.status = 'succeeded')::int as succeeded,
                count(*) filter (where d.status = 'failed')::int as failed,
                count(*) filter (where d.status = 'skipped')::int as skipped,
                count(*) filter (where d.status = 'cancelled')::int as cancelled,
                count(*) filter (where d.status in ('pending', 'in_progress'))::int as active,
                count(*) filter (where d.status = 'in_progress')::int as in_flight
         from sync_deliveries d join sources s on s.id = d.source_id
         where d.run_id = ${runId}
         group by d.source_id, s.name) t) as sources,
      (select json_agg(e) from (
         select d.candidate_id, c.first_name, c.last_name, d.source_id, s.name as source_name,
                d.error_code, d.error_message, d.http_status, d.attempts
         from sync_deliveries d
         join sources s on s.id = d.source_id
         join candidates c on c.id = d.candidate_id
         where d.run_id = ${runId} and d.status = 'failed'
         order by s.name, c.last_name, c.first_name
         limit ${errorLimit}) e) as errors
  `.execute(db);
  return { sources: rows[0]?.sources ?? [], errors: rows[0]?.errors ?? [] };
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
