import { type Selectable, type Transaction, sql } from 'kysely';
import type { Database } from '@/db/client';
import type {
  DB,
  SyncRunStatus,
  SyncStatsBucketErrorsTable,
  SyncStatsBucketPostingsTable,
  SyncStatsBucketSourcesTable,
} from '@/db/types';
import { BIN_SQL } from './histogram';
import { RUN_STATUSES } from './schemas';

type Db = Database | Transaction<DB>;

export const HOUR_MS = 3_600_000;

/** A period the statistics are kept for: an hour, or a UTC day (24 hours from midnight). */
export type Bucket = { start: number; hours: 1 | 24 };

/** Deliveries of one source in one hour, by status. `hour` is the hour's start in epoch hours. */
export type HourRow = { hour: number; source_id: string; status: string; n: number };
/** Succeeded deliveries of one source in one bucket, by duration bin. */
export type BinRow = { bucket: number; source_id: string; bin: number; n: number };
export type RunRow = { bucket: number; status: SyncRunStatus; n: number };

/** One posting's runs in one bucket. */
export type PostingBucket = Omit<Selectable<SyncStatsBucketPostingsTable>, 'bucket_start' | 'bucket_hours'>;
/** Failures of one source in one bucket with one code and (normalized) message. */
export type ErrorBucket = Omit<Selectable<SyncStatsBucketErrorsTable>, 'bucket_start' | 'bucket_hours'>;
export type PostingRow = PostingBucket & { bucket: number };
export type ErrorRow = ErrorBucket & { bucket: number };

export type Aggregates = {
  hours: HourRow[];
  bins: BinRow[];
  runs: RunRow[];
  postings: PostingRow[];
  errors: ErrorRow[];
};

/**
 * Deliveries queued (and runs created) in [from, to), grouped by hour and by buckets of
 * `bucketHours`. Periods are computed from epoch seconds: cheap per row and the same in every
 * session time zone (hours and UTC days both divide the epoch evenly).
 */
export async function aggregateRange(db: Db, from: Date, to: Date, bucketHours: 1 | 24 = 1): Promise<Aggregates> {
  const bucketSeconds = bucketHours * 3600;
  // Both delivery queries read only the covering index sync_deliveries_created_stats_idx.
  const [hours, bins, runs, postings, errors] = await Promise.all([
    sql<HourRow>`
      select floor(date_part('epoch', created_at) / 3600)::int as hour, source_id, status, count(*)::int as n
      from sync_deliveries
      where created_at >= ${from} and created_at < ${to}
      group by 1, 2, 3
    `.execute(db),
    sql<BinRow>`
      select floor(date_part('epoch', created_at) / ${bucketSeconds})::int as bucket, source_id,
             ${sql.raw(BIN_SQL)} as bin, count(*)::int as n
      from sync_deliveries
      where created_at >= ${from} and created_at < ${to} and status = 'succeeded' and duration_ms is not null
      group by 1, 2, 3
    `.execute(db),
    sql<RunRow>`
      select floor(date_part('epoch', created_at) / ${bucketSeconds})::int as bucket, status, count(*)::int as n
      from sync_runs
      where created_at >= ${from} and created_at < ${to}
      group by 1, 2
    `.execute(db),
    sql<PostingRow>`
      select floor(date_part('epoch', created_at) / ${bucketSeconds})::int as bucket, job_posting_id, count(*)::int as runs,
             count(*) filter (where status in ('failed', 'partially_failed'))::int as failed_runs,
             sum(succeeded)::int as succeeded, sum(failed)::int as failed, sum(skipped)::int as skipped,
             max(created_at) as last_run_at
      from sync_runs
      where created_at >= ${from} and created_at < ${to}
      group by 1, 2
    `.execute(db),
    // Grouped by the raw message first, so addresses and ids are taken out once per distinct message
    // rather than once per failure.
    sql<ErrorRow>`
      select bucket, error_code, message, source_id, sum(n)::int as count, max(last_seen) as last_seen,
             (array_agg(example_run_id order by last_seen desc))[1] as example_run_id
      from (
        select bucket, error_code, source_id, n, last_seen, example_run_id,
               regexp_replace(regexp_replace(raw, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+', '<email>', 'g'),
                 '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}', '<id>', 'g') as message
        from (
          select floor(date_part('epoch', created_at) / ${bucketSeconds})::int as bucket, error_code, source_id,
                 left(coalesce(error_message, ''), 300) as raw, count(*) as n, max(updated_at) as last_seen,
                 (array_agg(run_id order by updated_at desc))[1] as example_run_id
          from sync_deliveries
          where created_at >= ${from} and created_at < ${to} and status = 'failed'
          group by 1, 2, 3, 4
        ) raw
      ) normalized
      group by bucket, error_code, message, source_id
    `.execute(db),
  ]);
  return {
    hours: hours.rows,
    bins: bins.rows.map((b) => ({ ...b, bucket: b.bucket * bucketHours })),
    runs: runs.rows.map((r) => ({ ...r, bucket: r.bucket * bucketHours })),
    postings: postings.rows.map((r) => ({ ...r, bucket: r.bucket * bucketHours })),
    errors: errors.rows.map((r) => ({ ...r, bucket: r.bucket * bucketHours })),
  };
}

/** One source's numbers in one bucket, as sync_stats_bucket_sources keeps them. */
export type SourceBucket = Omit<Selectable<SyncStatsBucketSourcesTable>, 'bucket_start' | 'bucket_hours'>;

export type BucketRow = Bucket & {
  runs: Record<SyncRunStatus, number>;
  sources: SourceBucket[];
  postings: PostingBucket[];
  errors: ErrorBucket[];
};

const noRuns = () => Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<SyncRunStatus, number>;

/** Folds aggregates into the given buckets (which must cover the aggregated range). */
export function toBucketRows(buckets: Bucket[], agg: Aggregates): BucketRow[] {
  const rows: BucketRow[] = buckets.map((b) => ({ ...b, runs: noRuns(), sources: [], postings: [], errors: [] }));
  // Epoch hour → the bucket it falls in.
  const byHour = new Map<number, BucketRow>();
  for (const row of rows) {
    const first = row.start / HOUR_MS;
    for (let h = 0; h < row.hours; h++) byHour.set(first + h, row);
  }
  const source = (row: BucketRow, sourceId: string) => {
    let s = row.sources.find((x) => x.source_id === sourceId);
    if (!s) {
      s = {
        source_id: sourceId,
        succeeded: 0,
        failed: 0,
        skipped: 0,
        cancelled: 0,
        unfinished: 0,
        duration_bins: [],
        hourly_succeeded: Array(row.hours).fill(0),
        hourly_failed: Array(row.hours).fill(0),
      };
      row.sources.push(s);
    }
    return s;
  };
  for (const r of agg.runs) {
    const row = byHour.get(r.bucket);
    if (row) row.runs[r.status] += r.n;
  }
  for (const h of agg.hours) {
    const row = byHour.get(h.hour);
    if (!row) continue;
    const s = source(row, h.source_id);
    const index = h.hour - row.start / HOUR_MS;
    if (h.status === 'succeeded') {
      s.succeeded += h.n;
      s.hourly_succeeded[index] += h.n;
    } else if (h.status === 'failed') {
      s.failed += h.n;
      s.hourly_failed[index] += h.n;
    } else if (h.status === 'skipped') s.skipped += h.n;
    else if (h.status === 'cancelled') s.cancelled += h.n;
    else s.unfinished += h.n;
  }
  for (const { bucket, ...p } of agg.postings) byHour.get(bucket)?.postings.push(p);
  for (const { bucket, ...e } of agg.errors) byHour.get(bucket)?.errors.push(e);
  for (const b of agg.bins) {
    const row = byHour.get(b.bucket);
    if (!row) continue;
    const s = source(row, b.source_id);
    while (s.duration_bins.length <= b.bin) s.duration_bins.push(0);
    s.duration_bins[b.bin] += b.n;
  }
  return rows;
}

const LOCK = sql`pg_advisory_xact_lock(hashtext('ats-sync:sync-stats-buckets'))`;

/**
 * How late a change to a run may become visible and still be noticed: a transaction that started
 * (and stamped updated_at) this long before a check but committed after it is caught by the next.
 */
export const CHANGE_MARGIN_MS = 2 * 60_000;
const MARK_EVERY_MS = 30_000;
/** Longest window asked for, plus a day: older buckets are pruned. */
const KEEP_DAYS = 32;

/**
 * The statistics of the given buckets (all ended at least CHANGE_MARGIN_MS ago), from the cache
 * where it is still true and computed (and cached) where not. Under one advisory lock, so that
 * concurrent readers neither compute the same bucket twice nor overwrite a newer answer with an
 * older one.
 *
 * A cached bucket is dropped when a run created or fanned out in it changed after the last check
 * (every change to a delivery's status also changes its run's updated_at, and a run's deliveries
 * are queued when it fans out: started_at, give or take the transaction) or when rows of runs or
 * deliveries were deleted anywhere (the table statistics count deletes; they show within seconds).
 */
export async function loadBuckets(
  db: Database,
  buckets: Bucket[],
  options: { detail?: boolean } = {},
): Promise<BucketSet> {
  if (buckets.length === 0) return { rows: [], postings: [], errors: [] };
  return db.transaction().execute(async (trx) => {
    // One round trip: the lock; no waiting for the disk at commit (this is a cache, a crash costs
    // a recomputation); the time of the check and the delete counters.
    const { rows } = await sql<{
      checked_at: Date;
      deletes: number;
      checked_until: Date | null;
      deletes_seen: number | null;
    }>`
      select ${LOCK}, set_config('synchronous_commit', 'off', true), clock_timestamp() as checked_at,
             (select coalesce(sum(n_tup_del), 0)::bigint from pg_stat_user_tables
              where relid in ('sync_runs'::regclass, 'sync_deliveries'::regclass)) as deletes,
             s.checked_until, s.deletes_seen
      from (select 1) one left join sync_stats_state s on s.id = 1
    `.execute(trx);
    const state = rows[0];
    if (state.checked_until === null || Number(state.deletes_seen) !== Number(state.deletes)) {
      await trx.deleteFrom('sync_stats_buckets').execute();
    } else {
      await sql`
        delete from sync_stats_buckets b
        using (
          select distinct t
          from sync_runs r
          cross join lateral (values (r.created_at), (r.started_at - interval '5 minutes'), (r.started_at),
                                     (r.started_at + interval '5 minutes')) v(t)
          where r.updated_at > ${state.checked_until}::timestamptz - make_interval(secs => ${CHANGE_MARGIN_MS / 1000})
            and t is not null
        ) touched
        where touched.t >= b.bucket_start and touched.t < b.bucket_start + make_interval(hours => b.bucket_hours)
           or b.bucket_start < now() - make_interval(days => ${KEEP_DAYS})
      `.execute(trx);
    }
    // The scan above covers CHANGE_MARGIN_MS anyway, so moving the mark now and then is enough; a
    // check that finds nothing then writes nothing, and the dashboard's polls stay read-only.
    const stale =
      state.checked_until === null ||
      Number(state.deletes_seen) !== Number(state.deletes) ||
      state.checked_at.getTime() - state.checked_until.getTime() > MARK_EVERY_MS;
    if (stale) {
      await sql`
        insert into sync_stats_state (id, checked_until, deletes_seen) values (1, ${state.checked_at}, ${state.deletes})
        on conflict (id) do update set checked_until = greatest(sync_stats_state.checked_until, excluded.checked_until),
                                       deletes_seen = excluded.deletes_seen
      `.execute(trx);
    }

    const cached = await readCachedBuckets(trx, buckets, options.detail ?? false);
    const key = (b: Bucket) => `${b.hours}:${b.start}`;
    const missing = buckets.filter((b) => !cached.rows.has(key(b)));
    for (const run of contiguous(missing)) {
      const computed = toBucketRows(
        run,
        await aggregateRange(
          trx,
          new Date(run[0].start),
          new Date(run.at(-1)!.start + run[0].hours * HOUR_MS),
          run[0].hours,
        ),
      );
      await storeBuckets(trx, computed);
      for (const { postings, errors, ...row } of computed) {
        cached.rows.set(key(row), { ...row, postings: [], errors: [] });
        if (options.detail) {
          cached.postings.push(...postings);
          cached.errors.push(...errors);
        }
      }
    }
    return { rows: buckets.map((b) => cached.rows.get(key(b))!), postings: cached.postings, errors: cached.errors };
  });
}

/**
 * Buckets as loadBuckets answers them: each bucket's runs and sources; the postings and errors (only
 * with `detail`, the report) for the whole set, as partial sums the caller adds up, since the report
 * never shows them per bucket.
 */
export type BucketSet = { rows: BucketRow[]; postings: PostingBucket[]; errors: ErrorBucket[] };

/**
 * The cached buckets; with `detail`, their postings and errors summed over all of them in the
 * database: a month holds thousands of per-day rows that would each be parsed only to be added up.
 */
async function readCachedBuckets(
  db: Db,
  buckets: Bucket[],
  detail: boolean,
): Promise<{ rows: Map<string, BucketRow>; postings: PostingBucket[]; errors: ErrorBucket[] }> {
  const starts = buckets.map((b) => new Date(b.start));
  const hours = buckets.map((b) => b.hours);
  const wanted = sql<boolean>`(bucket_start, bucket_hours) in (select * from unnest(${starts}::timestamptz[], ${hours}::smallint[]))`;
  const [bucketRows, sourceRows, postings, errors] = await Promise.all([
    db.selectFrom('sync_stats_buckets').selectAll().where(wanted).execute(),
    // As JSON: node-pg's parser for integer arrays is several times slower than JSON.parse.
    db
      .selectFrom('sync_stats_bucket_sources')
      .select([
        'bucket_start',
        'bucket_hours',
        'source_id',
        'succeeded',
        'failed',
        'skipped',
        'cancelled',
        'unfinished',
        sql<number[]>`array_to_json(duration_bins)`.as('duration_bins'),
        sql<number[]>`array_to_json(hourly_succeeded)`.as('hourly_succeeded'),
        sql<number[]>`array_to_json(hourly_failed)`.as('hourly_failed'),
      ])
      .where(wanted)
      .execute(),
    detail
      ? sql<PostingBucket>`
          select job_posting_id, sum(runs)::int as runs, sum(failed_runs)::int as failed_runs,
                 sum(succeeded)::int as succeeded, sum(failed)::int as failed, sum(skipped)::int as skipped,
                 max(last_run_at) as last_run_at
          from sync_stats_bucket_postings where ${wanted}
          group by job_posting_id
        `
          .execute(db)
          .then((r) => r.rows)
      : [],
    detail
      ? sql<ErrorBucket>`
          select error_code, message, source_id, sum(count)::int as count, max(last_seen) as last_seen,
                 (array_agg(example_run_id order by last_seen desc))[1] as example_run_id
          from sync_stats_bucket_errors where ${wanted}
          group by error_code, message, source_id
        `
          .execute(db)
          .then((r) => r.rows)
      : [],
  ]);
  const rows = new Map<string, BucketRow>();
  for (const b of bucketRows) {
    rows.set(`${b.bucket_hours}:${b.bucket_start.getTime()}`, {
      start: b.bucket_start.getTime(),
      hours: b.bucket_hours as 1 | 24,
      runs: {
        pending: b.runs_pending,
        running: b.runs_running,
        completed: b.runs_completed,
        partially_failed: b.runs_partially_failed,
        failed: b.runs_failed,
        cancelled: b.runs_cancelled,
      },
      sources: [],
      postings: [],
      errors: [],
    });
  }
  for (const { bucket_start, bucket_hours, ...source } of sourceRows) {
    rows.get(`${bucket_hours}:${bucket_start.getTime()}`)?.sources.push(source);
  }
  return { rows, postings, errors };
}

const SLICE = 5_000;

async function storeBuckets(trx: Transaction<DB>, rows: BucketRow[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('sync_stats_buckets')
    .values(
      rows.map((r) => ({
        bucket_start: new Date(r.start),
        bucket_hours: r.hours,
        runs_pending: r.runs.pending,
        runs_running: r.runs.running,
        runs_completed: r.runs.completed,
        runs_partially_failed: r.runs.partially_failed,
        runs_failed: r.runs.failed,
        runs_cancelled: r.runs.cancelled,
      })),
    )
    .execute();
  const sources = rows.flatMap((r) =>
    r.sources.map((s) => ({ bucket_start: new Date(r.start), bucket_hours: r.hours, ...s })),
  );
  if (sources.length) await trx.insertInto('sync_stats_bucket_sources').values(sources).execute();
  const postings = rows.flatMap((r) =>
    r.postings.map((p) => ({ bucket_start: new Date(r.start), bucket_hours: r.hours, ...p })),
  );
  // In slices: a month of buckets may hold many postings and distinct messages, and a statement
  // takes at most 65,535 parameters.
  for (let i = 0; i < postings.length; i += SLICE)
    await trx
      .insertInto('sync_stats_bucket_postings')
      .values(postings.slice(i, i + SLICE))
      .execute();
  const errors = rows.flatMap((r) =>
    r.errors.map((e) => ({ bucket_start: new Date(r.start), bucket_hours: r.hours, ...e })),
  );
  for (let i = 0; i < errors.length; i += SLICE)
    await trx
      .insertInto('sync_stats_bucket_errors')
      .values(errors.slice(i, i + SLICE))
      .execute();
}

/** Runs of adjacent buckets of the same size, each computed with one set of queries. */
function contiguous(buckets: Bucket[]): Bucket[][] {
  const sorted = [...buckets].sort((a, b) => a.hours - b.hours || a.start - b.start);
  const out: Bucket[][] = [];
  for (const b of sorted) {
    const last = out.at(-1);
    const prev = last?.at(-1);
    if (last && prev && prev.hours === b.hours && b.start - prev.start === b.hours * HOUR_MS) last.push(b);
    else out.push([b]);
  }
  return out;
}
