import { type Transaction, sql } from 'kysely';
import type { Database } from '@/db/client';
import type { DB, SyncRun } from '@/db/types';

type Db = Database | Transaction<DB>;

export function listActiveSourceSummaries(db: Db) {
  return db
    .selectFrom('sources')
    .select(['id', 'name', 'connector', 'health_status', 'timeout_ms'])
    .where('deleted_at', 'is', null)
    .where('is_active', '=', true)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** The posting's pending or running run if there is one (a retried older run counts), else its newest. */
export function findLatestRunForPosting(db: Db, jobPostingId: string): Promise<SyncRun | undefined> {
  return db
    .selectFrom('sync_runs')
    .selectAll()
    .where('job_posting_id', '=', jobPostingId)
    .orderBy(sql`status in ('pending', 'running')`, 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function countHiredCandidates(db: Db, jobPostingId: string): Promise<number> {
  const row = await db
    .selectFrom('candidates')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('job_posting_id', '=', jobPostingId)
    .where('stage', '=', 'hired')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Hired candidates of the posting: those among `ids`, or else the `limit` most recently hired. */
export async function findHiredCandidateIds(
  db: Db,
  jobPostingId: string,
  options: { ids?: string[]; limit: number },
): Promise<string[]> {
  if (options.ids?.length === 0) return [];
  let query = db
    .selectFrom('candidates')
    .select('id')
    .where('job_posting_id', '=', jobPostingId)
    .where('stage', '=', 'hired');
  query = options.ids
    ? query.where('id', 'in', options.ids)
    : query.orderBy('hired_at', (o) => o.desc().nullsLast()).orderBy('id', 'desc');
  const rows = await query.limit(options.limit).execute();
  return rows.map((r) => r.id);
}

/** The last known state per candidate and source, with the error code of the attempt behind it. */
export function findCandidateStates(db: Db, candidateIds: string[], sourceIds: string[]) {
  if (candidateIds.length === 0 || sourceIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('candidate_sync_state as st')
    .leftJoin('sync_deliveries as d', 'd.id', 'st.last_delivery_id')
    .select([
      'st.candidate_id',
      'st.source_id',
      'st.last_status',
      'st.last_attempt_at',
      'st.delivered_at',
      'st.last_error',
      'st.last_action',
      'st.external_id',
      'd.error_code',
      'd.http_status',
    ])
    .where('st.candidate_id', 'in', candidateIds)
    .where('st.source_id', 'in', sourceIds)
    .execute();
}

/**
 * A candidate's record at each source that knows them, or that is active: the last attempt, its
 * action, the record's id there, and the source's connector and settings (for a link to the record).
 */
export function findCandidateSourceStates(db: Db, candidateId: string) {
  return db
    .selectFrom('sources as s')
    .leftJoin('candidate_sync_state as st', (j) =>
      j.onRef('st.source_id', '=', 's.id').on('st.candidate_id', '=', candidateId),
    )
    .leftJoin('sync_deliveries as d', 'd.id', 'st.last_delivery_id')
    .select([
      's.id as source_id',
      's.name',
      's.connector',
      's.settings',
      's.sync_mode',
      'st.last_status',
      'st.last_action',
      'st.last_attempt_at',
      'st.delivered_at',
      'st.withdrawn_at',
      'st.external_id',
      'st.last_error',
      'd.error_code',
    ])
    .where('s.deleted_at', 'is', null)
    .where((eb) => eb.or([eb('s.is_active', '=', true), eb('st.candidate_id', 'is not', null)]))
    .orderBy('s.name')
    .orderBy('s.id')
    .execute();
}
