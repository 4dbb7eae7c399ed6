import { syncRunQueue, syncSweepQueue, DELIVER_QUEUE_PREFIX } from '@/lib/queue/queues';
import { type ExpressionBuilder, type SqlBool, type Transaction, sql } from 'kysely';
import type { Database } from '@/db/client';
import type { DB, DeliveryAction, Source, SyncRunStatus, SyncTrigger } from '@/db/types';
import type { Cursor } from '@/lib/recruiting/schemas';

import type { SourceLiveState } from '@/lib/sync/schemas';
import type { TaskSourceBreakdown } from './schemas';

/** A source's counts in a run; the service adds what it waits for (lib/sync/live-state). */
export type RunSourceRow = Omit<TaskSourceBreakdown, keyof SourceLiveState> & { max_attempts: number };

type Db = Database | Transaction<DB>;

// Postgres keeps microseconds; the cursor carries them so runs created in the same millisecond
// are neither skipped nor repeated.
const cursorTs = sql<string>`to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The filters as the repository applies them; the posting is already resolved to its id. */
export type RunFilter = {
  status?: SyncRunStatus[];
  jobPostingId?: string;
  /** `sparse`: so few deliveries went to the source that its runs are looked up from it (sourceIsSparse). */
  source?: { id: string; sparse: boolean };
  trigger?: SyncTrigger;
  from?: Date;
  to?: Date;
  search?: RunSearch;
};

/**
 * A task id range (inclusive, from the first characters of an id), or an email fragment with how much
 * it matches (measureEmailFragment), which decides from which side its runs are found.
 */
export type RunSearch =
  | { kind: 'task'; from: string; to: string }
  | { kind: 'email'; fragment: string; manyCandidates: boolean; manyDeliveries: boolean };

/** Below this many deliveries a source's runs are found from the source, above it by walking the runs. */
const SPARSE_SOURCE_DELIVERIES = 5_000;
/**
 * An email fragment is looked up from the candidates it matches unless they are more than this many,
 * or have more deliveries than BROAD_EMAIL_DELIVERIES: then the runs are walked newest first, and the
 * first few runs fill the page.
 */
const BROAD_EMAIL_CANDIDATES = 10_000;
const BROAD_EMAIL_DELIVERIES = 2_000;
/**
 * A fragment that matches at least this share of every delivered candidate (and this many) is also
 * treated as broad: most runs then match, so even a count walks far fewer runs than collecting the
 * run of every one of their deliveries would read (`example.test` has a million).
 */
const DENSE_EMAIL_SHARE = 4;
const DENSE_EMAIL_FLOOR = 100;

function escapeLike(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Whether few deliveries went to the source: counted on the (source_id, run_id) index, no further than needed. */
export async function sourceIsSparse(db: Db, sourceId: string): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from (select 1 from sync_deliveries where source_id = ${sourceId} limit ${SPARSE_SOURCE_DELIVERIES}) x
  `.execute(db);
  return rows[0].n < SPARSE_SOURCE_DELIVERIES;
}

/**
 * Whether an email fragment matches many delivered candidates, and many deliveries, counted no
 * further than needed. Only candidates that were ever delivered can name a run, so the fragment is
 * looked up among them (sync_delivered_candidates), never among every applicant.
 */
export async function measureEmailFragment(
  db: Db,
  fragment: string,
): Promise<{ manyCandidates: boolean; manyDeliveries: boolean }> {
  // The deliveries are probed per candidate (as an array): a semi-join would hash every delivery.
  const { rows } = await sql<{ candidates: number; delivered: number; deliveries: number | null }>`
    with m as materialized (
      select candidate_id from sync_delivered_candidates where email ilike ${`%${escapeLike(fragment)}%`}
      limit ${BROAD_EMAIL_CANDIDATES + 1}
    )
    select (select count(*) from m)::int as candidates,
           (select count(*) from (select 1 from sync_delivered_candidates limit ${BROAD_EMAIL_CANDIDATES * DENSE_EMAIL_SHARE}) a)::int as delivered,
           case when (select count(*) from m) <= ${BROAD_EMAIL_CANDIDATES} then (select count(*) from (
             select 1 from sync_deliveries where candidate_id = any(array(select candidate_id from m)) limit ${BROAD_EMAIL_DELIVERIES + 1}
           ) d)::int end as deliveries
  `.execute(db);
  const { candidates, delivered, deliveries } = rows[0];
  const dense = candidates >= DENSE_EMAIL_FLOOR && candidates * DENSE_EMAIL_SHARE >= delivered;
  return {
    manyCandidates: candidates > BROAD_EMAIL_CANDIDATES || dense,
    manyDeliveries: deliveries === null || deliveries > BROAD_EMAIL_DELIVERIES,
  };
}

/**
 * `page`: the newest matches are wanted, so a fragment whose candidates have many deliveries walks
 * the runs and stops early; a count wants every match and collects them from the candidates, unless
 * the fragment is broad (manyCandidates): then most runs match and walking them is the shorter way.
 */
function selectRuns(db: Db, filter: RunFilter, want: 'page' | 'all' = 'page') {
  let query = db
    .selectFrom('sync_runs as r')
    .innerJoin('job_postings as j', 'j.id', 'r.job_posting_id')
    .leftJoin('users as u', 'u.id', 'r.requested_by');
  if (filter.status) query = query.where('r.status', 'in', filter.status);
  if (filter.jobPostingId) query = query.where('r.job_posting_id', '=', filter.jobPostingId);
  if (filter.trigger) query = query.where('r.trigger', '=', filter.trigger);
  if (filter.from) query = query.where('r.created_at', '>=', filter.from);
  if (filter.to) query = query.where('r.created_at', '<', filter.to);
  const source = filter.source;
  // A run that has not fanned out yet has no deliveries, only the sources it asked for.
  if (source?.sparse) {
    query = query.where('r.id', 'in', (eb) =>
      eb
        .selectFrom('sync_deliveries as d')
        .select('d.run_id')
        .where('d.source_id', '=', source.id)
        .unionAll(
          eb
            .selectFrom('sync_runs as ra')
            .select('ra.id as run_id')
            .where(sql<SqlBool>`ra.source_ids @> array[${source.id}]::uuid[]`),
        ),
    );
  } else if (source) {
    // A lateral probe per run (newest first, stopping at the page size) rather than an EXISTS,
    // which the planner turns into a hash of every delivery to the source.
    query = query
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('sync_deliveries as d')
            .select(sql<number>`1`.as('hit'))
            .whereRef('d.run_id', '=', 'r.id')
            .where('d.source_id', '=', source.id)
            .limit(1)
            .as('ds'),
        (join) => join.onTrue(),
      )
      .where((eb) => eb.or([eb('ds.hit', 'is not', null), sql<SqlBool>`${source.id}::uuid = any(r.source_ids)`]));
  }
  const search = filter.search;
  if (search?.kind === 'task') {
    // A range on the primary key: uuids order as their hex digits do.
    query = query.where('r.id', '>=', search.from).where('r.id', '<=', search.to);
  } else if (search) {
    const pattern = `%${escapeLike(search.fragment)}%`;
    if (search.manyCandidates || (want === 'page' && search.manyDeliveries)) {
      // Matches are plentiful: newest first, the first runs fill the page. At most
      // BROAD_EMAIL_CANDIDATES matching candidates are hashed once (IN under IS TRUE stays a hashed
      // subplan; the limit keeps the planner's size estimate small enough to hash); beyond that
      // each delivery's candidate is read by its key (a scalar subquery is never flattened). As a
      // join, the planner read the whole table of delivered candidates again for every run.
      const matches = search.manyCandidates
        ? sql<SqlBool>`(select c.email from sync_delivered_candidates c where c.candidate_id = d.candidate_id) ilike ${pattern}`
        : sql<SqlBool>`(d.candidate_id in (
            select c.candidate_id from sync_delivered_candidates c where c.email ilike ${pattern} limit ${BROAD_EMAIL_CANDIDATES + 1}
          )) is true`;
      query = query
        .leftJoinLateral(
          (eb) =>
            eb
              .selectFrom('sync_deliveries as d')
              .select(sql<number>`1`.as('hit'))
              .whereRef('d.run_id', '=', 'r.id')
              .where(matches)
              .limit(1)
              .as('es'),
          (join) => join.onTrue(),
        )
        .where('es.hit', 'is not', null);
    } else {
      // Few delivered candidates and deliveries match (found on the trigram index): their deliveries
      // name the runs. As arrays, so that the planner looks the runs up by id rather than walking every run.
      query = query.where(
        sql<SqlBool>`r.id = any(array(
          select d.run_id from sync_deliveries d
          where d.candidate_id = any(array(select c.candidate_id from sync_delivered_candidates c where c.email ilike ${pattern}))
        ))`,
      );
    }
  }
  return query;
}

export type RunListRow = {
  id: string;
  status: SyncRunStatus;
  job_posting_id: string;
  job_slug: string;
  job_title: string;
  trigger: SyncTrigger;
  requested_by: string | null;
  requester_name: string | null;
  force: boolean;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
  error_summary: string | null;
  cursor_ts: string;
};

/** Newest first, keyset-paginated on (created_at, id). */
export function listRunRows(db: Db, filter: RunFilter, page: { limit: number; after?: Cursor }): Promise<RunListRow[]> {
  let query = selectRuns(db, filter)
    .select([
      'r.id',
      'r.status',
      'r.job_posting_id',
      'j.slug as job_slug',
      'j.title as job_title',
      'r.trigger',
      'r.requested_by',
      'u.name as requester_name',
      'r.force',
      'r.created_at',
      'r.started_at',
      'r.finished_at',
      'r.total',
      'r.succeeded',
      'r.failed',
      'r.skipped',
      'r.cancelled',
      'r.error_summary',
      cursorTs.as('cursor_ts'),
    ])
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(page.limit);
  const after = page.after;
  if (after) query = query.where(sql<SqlBool>`(r.created_at, r.id) < (${after.ts}::timestamptz, ${after.id}::uuid)`);
  return query.execute();
}

/** How many runs match, counting no further than `cap`. */
export async function countRuns(db: Db, filter: RunFilter, cap: number): Promise<number> {
  const row = await db
    .selectFrom(selectRuns(db, filter, 'all').select(sql`1`.as('one')).limit(cap).as('m'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Matching runs by status, for what a bulk action may touch and what it must skip. */
export function countRunsByStatus(db: Db, filter: RunFilter): Promise<{ status: SyncRunStatus; n: number }[]> {
  return selectRuns(db, filter, 'all')
    .select(['r.status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('r.status')
    .execute();
}

export async function findRunIds(db: Db, filter: RunFilter, limit: number): Promise<string[]> {
  const rows = await selectRuns(db, filter)
    .select('r.id')
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function findUserEmail(db: Db, id: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('email').where('id', '=', id).executeTakeFirst();
  return row?.email ?? null;
}

export async function findRunSources(db: Db, runId: string): Promise<RunSourceRow[]> {
  const { rows } = await sql<RunSourceRow>`
    select d.source_id, s.name, s.max_attempts,
           count(*)::int as total,
           count(*) filter (where d.status = 'succeeded')::int as succeeded,
           count(*) filter (where d.status = 'failed')::int as failed,
           count(*) filter (where d.status = 'skipped')::int as skipped,
           count(*) filter (where d.status = 'cancelled')::int as cancelled,
           count(*) filter (where d.status = 'pending')::int as unfinished,
           (percentile_disc(0.5) within group (order by d.duration_ms) filter (where d.status = 'succeeded'))::int as p50_ms,
           max(d.duration_ms)::int as max_ms
    from sync_deliveries d join sources s on s.id = d.source_id
    where d.run_id = ${runId}
    group by d.source_id, s.name, s.max_attempts
    order by s.name
  `.execute(db);
  return rows;
}

/** Deliveries are listed by source, then candidate name; the key holds all four sort values. */
export type DeliveryKey = [string, string, string, string];

export type DeliveryListRow = {
  id: string;
  candidate_id: string;
  first_name: string;
  last_name: string;
  email: string;
  source_id: string;
  source_name: string;
  source_connector: string;
  source_settings: Record<string, unknown>;
  action: DeliveryAction;
  status: string;
  attempts: number;
  http_status: number | null;
  duration_ms: number | null;
  error_code: string | null;
  error_message: string | null;
  external_id: string | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  updated_at: Date;
};

/** In progress is a pending delivery a worker holds (migration 021). */
function deliveryStatusIn(statuses: string[]) {
  const stored = statuses.filter((st) => st !== 'in_progress' && st !== 'pending');
  return (eb: ExpressionBuilder<DB & { d: DB['sync_deliveries'] }, 'd'>) =>
    eb.or([
      ...(stored.length ? [eb('d.status', 'in', stored as never[])] : []),
      ...(statuses.includes('pending')
        ? [eb.and([eb('d.status', '=', 'pending'), eb('d.held_until', 'is', null)])]
        : []),
      ...(statuses.includes('in_progress')
        ? [eb.and([eb('d.status', '=', 'pending'), eb('d.held_until', 'is not', null)])]
        : []),
    ]);
}

/** A run's deliveries with their candidate and source, as the list and the export read them. */
export function selectDeliveryRows(db: Db, runId: string, statuses?: string[]) {
  const query = db
    .selectFrom('sync_deliveries as d')
    .innerJoin('sources as s', 's.id', 'd.source_id')
    .innerJoin('candidates as c', 'c.id', 'd.candidate_id')
    .select([
      'd.id',
      'd.candidate_id',
      'c.first_name',
      'c.last_name',
      'c.email',
      'd.source_id',
      's.name as source_name',
      's.connector as source_connector',
      's.settings as source_settings',
      'd.action',
      // In progress is a pending delivery a worker holds (migration 021).
      sql<string>`case when d.status = 'pending' and d.held_until is not null then 'in_progress' else d.status end`.as(
        'status',
      ),
      'd.attempts',
      'd.http_status',
      'd.duration_ms',
      'd.error_code',
      'd.error_message',
      'd.external_id',
      'd.next_attempt_at',
      'd.delivered_at',
      'd.updated_at',
    ])
    .where('d.run_id', '=', runId);
  return statuses ? query.where(deliveryStatusIn(statuses)) : query;
}

export function listDeliveryRows(
  db: Db,
  runId: string,
  filter: { status?: string[]; sourceId?: string; limit: number; after?: DeliveryKey },
): Promise<DeliveryListRow[]> {
  let query = selectDeliveryRows(db, runId, filter.status)
    .orderBy('s.name')
    .orderBy('c.last_name')
    .orderBy('c.first_name')
    .orderBy('d.id')
    .limit(filter.limit);
  if (filter.sourceId) query = query.where('d.source_id', '=', filter.sourceId);
  const after = filter.after;
  if (after) {
    query = query.where(
      sql<SqlBool>`(s.name, c.last_name, c.first_name, d.id) > (${after[0]}, ${after[1]}, ${after[2]}, ${after[3]}::uuid)`,
    );
  }
  return query.execute();
}

export function findDeliveryRow(db: Db, runId: string, id: string) {
  return db
    .selectFrom('sync_deliveries as d')
    .innerJoin('sources as s', 's.id', 'd.source_id')
    .innerJoin('candidates as c', 'c.id', 'd.candidate_id')
    .selectAll('d')
    .select([
      'c.first_name',
      'c.last_name',
      'c.email',
      's.name as source_name',
      's.connector as source_connector',
      's.settings as source_settings',
    ])
    .where('d.run_id', '=', runId)
    .where('d.id', '=', id)
    .executeTakeFirst();
}

export function listAllSources(db: Db): Promise<Source[]> {
  return db.selectFrom('sources').selectAll().orderBy('name').execute();
}

export function listPostingOptions(db: Db, limit: number) {
  return db.selectFrom('job_postings').select(['id', 'slug', 'title']).orderBy('title').limit(limit).execute();
}

export function findPostingIdBySlug(db: Db, slug: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('job_postings').select('id').where('slug', '=', slug).executeTakeFirst();
}

export function listLiveWorkers(db: Db, aliveSeconds: number) {
  return db
    .selectFrom('worker_heartbeats')
    .selectAll()
    .where('last_seen', '>', sql<Date>`now() - make_interval(secs => ${aliveSeconds})`)
    .orderBy('started_at')
    .execute();
}

export type QueueRow = { name: string; queued: number; retry: number; active: number; failed: number };

/**
 * Live job counts of our queues straight from pg-boss's job table (its own counters are refreshed
 * only by a supervising worker's monitor pass). queued: ready to run now; retry: waiting for a later
 * attempt (pg-boss retries and our HTTP backoff are both jobs that start later); failed: gave up,
 * kept until pg-boss deletes them. Reads only job_i14, pg-boss's index of live jobs.
 */
export async function countQueueJobs(db: Db, schema: string): Promise<QueueRow[]> {
  const { rows } = await sql<QueueRow>`
    select name,
           count(*) filter (where state in ('created', 'retry') and start_after <= now())::int as queued,
           count(*) filter (where state in ('created', 'retry') and start_after > now())::int as retry,
           count(*) filter (where state = 'active')::int as active,
           count(*) filter (where state = 'failed')::int as failed
    from ${sql.table(`${schema}.job`)}
    where state in ('created', 'retry', 'active', 'failed')
      and (name in (${syncRunQueue.name}, ${syncSweepQueue.name}) or name like ${`${DELIVER_QUEUE_PREFIX}%`})
    group by name
  `.execute(db);
  return rows;
}

/** Slug and title of the given postings. */
export function findPostingsByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('job_postings').select(['id', 'slug', 'title']).where('id', 'in', ids).execute();
}

export type SlowRow = {
  id: string;
  run_id: string;
  candidate_id: string;
  first_name: string;
  last_name: string;
  email: string;
  source_id: string;
  source_name: string;
  status: string;
  duration_ms: number;
  created_at: Date;
};

export async function slowestDeliveries(db: Db, from: Date, to: Date, limit: number): Promise<SlowRow[]> {
  // Read from the top of sync_deliveries_slowest_idx down, skipping (on the index alone) the
  // deliveries outside the period: a month stops after the first rows, a day after a few hundred.
  const { rows } = await sql<SlowRow>`
    select d.id, d.run_id, d.candidate_id, c.first_name, c.last_name, c.email, d.source_id, s.name as source_name,
           d.status, d.duration_ms, d.created_at
    from (
      select id from sync_deliveries
      where created_at >= ${from} and created_at < ${to} and status in ('succeeded', 'failed') and duration_ms is not null
      order by duration_ms desc, id
      limit ${limit}
    ) top
    join sync_deliveries d on d.id = top.id
    join candidates c on c.id = d.candidate_id
    join sources s on s.id = d.source_id
    order by d.duration_ms desc, d.id
  `.execute(db);
  return rows;
}
