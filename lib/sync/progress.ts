import { type Transaction, sql } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import type { DB } from '@/db/types';
import { emitRunsFinished } from '@/lib/webhooks/events';

type Db = Database | Transaction<DB>;

/**
 * A run's live counters live in sync_run_progress: one row per source and lane. A worker adds each
 * recorded batch to a lane that no other transaction uses at that moment (see LanePool), so
 * batches never queue on one row; readers sum the rows. Lane '' (BASE_LANE) takes what the
 * fan-out, cancel, retry-failed and the sweeper count. sync_runs keeps a copy of the sums for
 * lists and statistics, refreshed at most every second while a run is running and exactly when
 * it ends (settleRun).
 */
export const BASE_LANE = '';

export type Counts = { total: number; succeeded: number; failed: number; skipped: number; cancelled: number };
export type SourceCountsRow = Counts & { source_id: string };

/** Hands out lane numbers so that no two transactions in this process write the same lane at once. */
export class LanePool {
  #free: number[] = [];
  #next = 0;
  acquire(): number {
    return this.#free.pop() ?? this.#next++;
  }
  release(lane: number): void {
    this.#free.push(lane);
  }
}

/** Adds to the base lane of each source (negative numbers subtract). */
export async function addBaseCounts(
  db: Db,
  runId: string,
  rows: ({ sourceId: string } & Partial<Counts>)[],
): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map(
    (r) =>
      sql`(${runId}::uuid, ${r.sourceId}::uuid, ${BASE_LANE}, ${r.total ?? 0}::int, ${r.succeeded ?? 0}::int, ${r.failed ?? 0}::int, ${r.skipped ?? 0}::int, ${r.cancelled ?? 0}::int)`,
  );
  await sql`
    insert into sync_run_progress as p (run_id, source_id, lane, total, succeeded, failed, skipped, cancelled)
    values ${sql.join(values)}
    on conflict (run_id, source_id, lane) do update set
      total = p.total + excluded.total, succeeded = p.succeeded + excluded.succeeded, failed = p.failed + excluded.failed,
      skipped = p.skipped + excluded.skipped, cancelled = p.cancelled + excluded.cancelled
  `.execute(db);
}

/** Replaces a finished run's rows with exact counts taken from its deliveries (the sweeper's repair). */
export async function rebuildProgress(db: Db, runIds: string[]): Promise<void> {
  if (runIds.length === 0) return;
  await sql`delete from sync_run_progress where run_id = any(${runIds}::uuid[])`.execute(db);
  await sql`
    insert into sync_run_progress (run_id, source_id, lane, total, succeeded, failed, skipped, cancelled)
    select run_id, source_id, ${BASE_LANE}, count(*),
           count(*) filter (where status = 'succeeded'), count(*) filter (where status = 'failed'),
           count(*) filter (where status = 'skipped'), count(*) filter (where status = 'cancelled')
    from sync_deliveries
    where run_id = any(${runIds}::uuid[])
    group by run_id, source_id
  `.execute(db);
}

/** Per-source sums of a run, in source order. */
export async function sourceCounts(db: Db, runId: string): Promise<SourceCountsRow[]> {
  const { rows } = await sql<SourceCountsRow>`
    select source_id, sum(total)::int as total, sum(succeeded)::int as succeeded, sum(failed)::int as failed,
           sum(skipped)::int as skipped, sum(cancelled)::int as cancelled
    from sync_run_progress where run_id = ${runId}
    group by source_id
  `.execute(db);
  return rows;
}

export function sumCounts(rows: Counts[]): Counts {
  const t: Counts = { total: 0, succeeded: 0, failed: 0, skipped: 0, cancelled: 0 };
  for (const r of rows) {
    t.total += r.total;
    t.succeeded += r.succeeded;
    t.failed += r.failed;
    t.skipped += r.skipped;
    t.cancelled += r.cancelled;
  }
  return t;
}

// The run row is locked first (FOR NO KEY UPDATE reads its latest version, after any concurrent
// settle committed), so of two batches settling at once only one sees it running and finishes it.
// A refresh that finishes nothing does not wait for the lock (the fan-out holds it while it writes
// a chunk): it skips, and a later batch refreshes.
const settleSql = (runId: string, touch: boolean, wait: boolean) => sql<{ finishing: boolean }>`
  with prev as (
    select status, total, expanded_at, succeeded, failed, skipped, cancelled
    from sync_runs where id = ${runId} for no key update ${wait ? sql`` : sql`skip locked`}
  ), p as (
    select coalesce(sum(succeeded), 0)::int as succeeded, coalesce(sum(failed), 0)::int as failed,
           coalesce(sum(skipped), 0)::int as skipped, coalesce(sum(cancelled), 0)::int as cancelled
    from sync_run_progress where run_id = ${runId}
  ), f as (
    select prev.status = 'running' and prev.expanded_at is not null
           and p.succeeded + p.failed + p.skipped + p.cancelled >= prev.total as finishing,
           prev.status not in ('pending', 'running')
           and (prev.succeeded, prev.failed, prev.skipped, prev.cancelled) is distinct from (p.succeeded, p.failed, p.skipped, p.cancelled) as stale
    from prev, p
  )
  update sync_runs r set
    succeeded = p.succeeded, failed = p.failed, skipped = p.skipped, cancelled = p.cancelled,
    version = r.version + 1, updated_at = now(),
    status = case when not f.finishing then r.status
                  when p.failed = 0 then 'completed'
                  when p.succeeded + p.skipped = 0 then 'failed'
                  else 'partially_failed' end,
    finished_at = case when f.finishing then now() else r.finished_at end
  from p, f
  where r.id = ${runId} and (f.finishing or f.stale or ${touch})
  returning f.finishing
`;

/**
 * Brings sync_runs up to date with the progress rows after a batch was committed, and finishes
 * the run when its fan-out is complete (expanded_at) and every delivery has settled. Runs after
 * the commit: of two batches committing at the same time the later one sees both, so it finishes
 * the run; the run row is locked and re-read first, so exactly one does, and its completion event
 * is sent in the same transaction. `touch` refreshes the copied counters even when nothing ends
 * (the caller throttles it).
 */
export async function settleRun(
  db: Database,
  boss: PgBoss,
  runId: string,
  touch: boolean,
): Promise<'finished' | 'updated' | 'unchanged'> {
  const { rows: check } = await sql<{ finishing: boolean; stale: boolean }>`
    select r.status = 'running' and r.expanded_at is not null and p.done >= r.total as finishing,
           r.status not in ('pending', 'running') and r.succeeded + r.failed + r.skipped + r.cancelled <> p.done as stale
    from sync_runs r,
         (select coalesce(sum(succeeded + failed + skipped + cancelled), 0)::int as done
          from sync_run_progress where run_id = ${runId}) p
    where r.id = ${runId}
  `.execute(db);
  if (!check[0] || (!check[0].finishing && !check[0].stale && !touch)) return 'unchanged';
  return db.transaction().execute(async (trx) => {
    const { rows } = await settleSql(runId, touch, check[0].finishing || check[0].stale).execute(trx);
    const finished = rows.some((r) => r.finishing);
    if (finished) await emitRunsFinished(trx, boss, [runId]);
    return finished ? 'finished' : rows.length ? 'updated' : 'unchanged';
  });
}

/** Copies the progress sums to the run row now (cancel, retry-failed). */
export async function refreshRunCounts(db: Db, runId: string): Promise<void> {
  await sql`
    update sync_runs r set succeeded = p.succeeded, failed = p.failed, skipped = p.skipped, cancelled = p.cancelled,
           version = r.version + 1, updated_at = now()
    from (select coalesce(sum(succeeded), 0)::int as succeeded, coalesce(sum(failed), 0)::int as failed,
                 coalesce(sum(skipped), 0)::int as skipped, coalesce(sum(cancelled), 0)::int as cancelled
          from sync_run_progress where run_id = ${runId}) p
    where r.id = ${runId}
  `.execute(db);
}
