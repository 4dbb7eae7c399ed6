import { type RawBuilder, type Transaction, sql } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import type { DB } from '@/db/types';
import { emitRunsFinished } from '@/lib/webhooks/events';

type Db = Database | Transaction<DB>;
/** A run id, or a column holding one (sql`r.id`) to use the fragments inside a larger query. */
type RunRef = string | RawBuilder<unknown>;

/**
 * A run's live counters live in sync_run_progress: one row per source and lane. A worker adds each
 * recorded batch to a lane that no other transaction uses at that moment (see LanePool), so
 * batches never queue on one row; readers sum the rows. Lane '' (BASE_LANE) takes what the
 * fan-out, cancel, retry-failed and the sweeper count. sync_runs keeps a copy of the sums for
 * lists and statistics, refreshed at most every second while a run is running and exactly when
 * it ends (settleRunIn).
 */
export const BASE_LANE = '';

export type Counts = { total: number; succeeded: number; failed: number; skipped: number; cancelled: number };

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

/** A run's counts: the sums of its progress rows, one row (0 when it has none). */
export const totalsOf = (runId: RunRef) => sql`
  select coalesce(sum(total), 0)::int as total, coalesce(sum(succeeded), 0)::int as succeeded,
         coalesce(sum(failed), 0)::int as failed, coalesce(sum(skipped), 0)::int as skipped,
         coalesce(sum(cancelled), 0)::int as cancelled
  from sync_run_progress where run_id = ${runId}
`;

/**
 * Copies a run's counts to its row and finishes it when its fan-out is complete (expanded_at) and
 * every delivery has settled: the one place that decides a run's final status. The run row is
 * locked first (FOR NO KEY UPDATE reads its latest version, after any concurrent settle
 * committed), so of two callers at once only one sees it running and finishes it. Without
 * `touch` the row is written only when something ends or the copy is stale; without `wait` a
 * locked row (a fan-out chunk being written) is skipped rather than waited for; without `finish`
 * it only copies the counts. The caller announces a finished run in the same transaction.
 */
export async function settleRunIn(
  trx: Db,
  runId: string,
  { touch, wait = true, finish = true }: { touch: boolean; wait?: boolean; finish?: boolean },
): Promise<'finished' | 'updated' | 'unchanged'> {
  const { rows } = await sql<{ finishing: boolean }>`
    with prev as (
      select status, total, expanded_at, succeeded, failed, skipped, cancelled
      from sync_runs where id = ${runId} for no key update ${wait ? sql`` : sql`skip locked`}
    ), p as (${totalsOf(runId)}), f as (
      select ${finish ? sql`prev.status = 'running' and prev.expanded_at is not null and p.succeeded + p.failed + p.skipped + p.cancelled >= prev.total` : sql`false`} as finishing,
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
  `.execute(trx);
  if (rows.some((r) => r.finishing)) return 'finished';
  return rows.length ? 'updated' : 'unchanged';
}

/**
 * After a batch was committed: settles its run (settleRunIn) and announces it when it finished.
 * Of two batches committing at the same time the later one sees both, so the last delivery of a
 * run always finishes it. A first unlocked read keeps the common case (nothing ends, no refresh
 * due) to one cheap query; a refresh that finishes nothing does not wait for a locked run row.
 * `touch` refreshes the copied counters even when nothing ends (the caller throttles it).
 */
export async function settleRun(
  db: Database,
  boss: PgBoss,
  runId: string,
  touch: boolean,
): Promise<'finished' | 'updated' | 'unchanged'> {
  // A running run with a delivery still open cannot be finishing: found on the partial index of open
  // deliveries, instead of summing the progress rows (one per source and lane: thousands for a run
  // to 200 sources, read after every batch). The batch that records the last open delivery sees none.
  // A run whose fan-out is still writing chunks cannot be finishing either.
  const { rows: open } = await sql<{ open: boolean }>`
    select r.expanded_at is null
           or exists (select 1 from sync_deliveries d where d.run_id = r.id and d.status = 'pending') as open
    from sync_runs r where r.id = ${runId} and r.status = 'running'
  `.execute(db);
  if (open[0]?.open) {
    if (!touch) return 'unchanged';
    // One autocommitted statement that never finishes the run (the batch that records its last
    // open delivery does, and announces it): the run row is locked only while it runs. As a
    // transaction it stayed locked until the worker's event loop came round to COMMIT, and with
    // 200 busy sources the fan-out's next chunk waited seconds for that lock (BENCH_PG_STATEMENTS).
    return settleRunIn(db, runId, { touch, wait: false, finish: false });
  }
  const { rows: check } = await sql<{ finishing: boolean; stale: boolean }>`
    select r.status = 'running' and r.expanded_at is not null
           and p.succeeded + p.failed + p.skipped + p.cancelled >= r.total as finishing,
           r.status not in ('pending', 'running')
           and (r.succeeded, r.failed, r.skipped, r.cancelled) is distinct from (p.succeeded, p.failed, p.skipped, p.cancelled) as stale
    from sync_runs r, (${totalsOf(runId)}) p
    where r.id = ${runId}
  `.execute(db);
  const due = check[0] && (check[0].finishing || check[0].stale);
  if (!check[0] || (!due && !touch)) return 'unchanged';
  return db.transaction().execute(async (trx) => {
    const result = await settleRunIn(trx, runId, { touch, wait: due });
    if (result === 'finished') await emitRunsFinished(trx, boss, [runId]);
    return result;
  });
}

/** A run's total as its progress rows count it (exact once its fan-out is complete). */
export function progressTotal(runId: RunRef) {
  return sql<number>`(select coalesce(sum(total), 0)::int from sync_run_progress where run_id = ${runId})`;
}
