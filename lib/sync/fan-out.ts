import type { Transaction } from 'kysely';
import type { DB } from '@/db/types';
import { emitRunsFinished } from '@/lib/webhooks/events';
import type { EngineContext } from './engine-context';
import { findConnectorModule } from './connectors/registry';
import { type EnqueueSource, enqueueForSources, jobSourceOf } from './enqueue';
import {
  countRunCandidates,
  exactRunTotal,
  findRunSources,
  insertRunDeliveries,
  markRunEmpty,
  markRunExpanded,
  markRunStarted,
  nextRunCandidates,
  type SourceActions,
  saveExpandCursor,
} from './fan-out-repository';
import { candidatesFillingSlots, deliverFetchPlan, deliverJobSize } from './jobs';
import { addBaseCounts, settleRun } from './progress';
import { lockRun } from './repository';

/**
 * What the fan-out needs beyond the engine context: a hook run before deliveries are enqueued for
 * sources, so the worker is taking those sources' jobs by the time they commit (a new source's
 * first delivery then does not wait for the worker's periodic look at the sources table).
 */
export type FanOutContext = EngineContext & { beforeEnqueue?: (sourceIds: string[]) => Promise<void> };

// Deliveries per fan-out transaction. The first fills each source's slots twice (at most 200 rows),
// so sending starts within milliseconds of the request; the second (200, rounded up to whole jobs
// like every later chunk) is written while those first requests are out, and keeps the slots busy
// while the third and later (1,000 each) are written. Measured at 1,000 x 3 on a busy 2-core machine: a first chunk of 200 rows took
// 14-17 ms to insert, the 96 that fill 3 sources at max_concurrency 16 twice about half of that.
const FIRST_EXPAND_ROWS = 200;
const EXPAND_ROWS = 1000;
const SMALL_CHUNKS = 2;

type ExpandStep = { inserted: number; pending: number; done: boolean };

/**
 * Fans a run out into one delivery per candidate and source, skipping candidates already delivered
 * with the same content (unless forced), and enqueues the delivery jobs. It works through the
 * candidates in id order, a chunk per transaction (run row locked, cursor saved with the chunk),
 * so the first deliveries go out while later ones are still being written, and a fan-out cut
 * short by a crash resumes where it stopped when its job runs again. The run cannot finish before
 * the last chunk is in (expanded_at); until then its total is the expected count.
 */
export async function expandRun(ctx: FanOutContext, runId: string): Promise<{ total: number; pending: number } | null> {
  let total = 0;
  let pending = 0;
  for (let chunk = 0; ; chunk++) {
    const step = await expandRunChunk(ctx, runId, chunk < SMALL_CHUNKS ? FIRST_EXPAND_ROWS : EXPAND_ROWS);
    if (!step) return chunk === 0 ? null : { total, pending };
    total += step.inserted;
    pending += step.pending;
    if (step.done) break;
  }
  // Deliveries of the first chunks may all have been sent before the last chunk was in.
  await settleRun(ctx.db, ctx.boss, runId, true);
  return { total, pending };
}

/**
 * Candidates of one chunk: about `rowsWanted` deliveries over all the run's sources. The first
 * chunk holds no more candidates than the sources' slots send in two rounds of requests (twice the
 * largest max_concurrency times the candidates a request carries): written in a few milliseconds,
 * and enough to keep the slots busy while the second is written and fetched. After it a chunk holds,
 * for every source, whole delivery jobs, as many as one fetch of its worker takes: with many
 * sources, 1,000 rows are only a few candidates each, and jobs cut at chunk ends, or fetched one by
 * one as chunks come in, would each cost a fetch, a claim and a record for a fraction of the
 * deliveries they could hold.
 */
function candidatesPerChunk(sources: EnqueueSource[], rowsWanted: number, first: boolean): number {
  const limit = Math.max(1, Math.ceil(rowsWanted / Math.max(1, sources.length)));
  const jobSources = sources.map(jobSourceOf);
  if (first) return Math.min(limit, Math.max(1, ...jobSources.map((s) => 2 * candidatesFillingSlots(s))));
  const perFetch = Math.max(1, ...jobSources.map((s) => deliverJobSize(s) * deliverFetchPlan(s).batchSize));
  return Math.ceil(limit / perFetch) * perFetch;
}

/** One fan-out transaction of about `rowsWanted` deliveries; null when the run needs none. */
export function expandRunChunk(ctx: FanOutContext, runId: string, rowsWanted: number): Promise<ExpandStep | null> {
  return ctx.db.transaction().execute((trx) => expandChunk(ctx, trx, runId, rowsWanted));
}

async function expandChunk(
  ctx: FanOutContext,
  trx: Transaction<DB>,
  runId: string,
  rowsWanted: number,
): Promise<ExpandStep | null> {
  const run = await lockRun(trx, runId);
  if (!run || run.expanded_at || (run.status !== 'pending' && run.status !== 'running')) return null;
  const sources = await findRunSources(trx, run.source_ids);
  const sourceIds = sources.map((s) => s.id);

  if (run.status === 'pending') {
    if (sourceIds.length === 0) {
      await finishEmptyRun(ctx, trx, runId, 'no active source to sync to');
      return { inserted: 0, pending: 0, done: true };
    }
    await markRunStarted(trx, runId, (await countRunCandidates(trx, run)) * sourceIds.length);
  }

  const limit = candidatesPerChunk(sources, rowsWanted, run.status === 'pending');
  const ids = await nextRunCandidates(trx, run, limit);
  const done = ids.length < limit || sourceIds.length === 0;

  const rows = await insertRunDeliveries(trx, run, ids, sourceIds, actionsOf(sources));
  const pending = rows.filter((r) => r.status === 'pending');
  const perSource = new Map<string, { sourceId: string; total: number; skipped: number }>();
  for (const r of rows) {
    const c = perSource.get(r.source_id) ?? { sourceId: r.source_id, total: 0, skipped: 0 };
    c.total += 1;
    if (r.status === 'skipped') c.skipped += 1;
    perSource.set(r.source_id, c);
  }
  await addBaseCounts(trx, runId, [...perSource.values()]);
  if (pending.length > 0 && ctx.beforeEnqueue) await ctx.beforeEnqueue([...new Set(pending.map((p) => p.source_id))]);
  await enqueueForSources(trx, ctx.queues, runId, pending, sources);

  if (!done) {
    await saveExpandCursor(trx, runId, ids[ids.length - 1]);
    return { inserted: rows.length, pending: pending.length, done };
  }
  // The last chunk: the total becomes exact, and a run with nothing to send ends here (one whose
  // deliveries were all skipped or have all been sent already is finished by settleRun).
  const exact = await exactRunTotal(trx, runId);
  if (exact === 0) await finishEmptyRun(ctx, trx, runId, 'the posting has no hired candidates any more');
  else await markRunExpanded(trx, runId, exact);
  return { inserted: rows.length, pending: pending.length, done };
}

function actionsOf(sources: EnqueueSource[]): SourceActions {
  const can = (s: EnqueueSource, action: 'update' | 'withdraw' | 'rehire') =>
    findConnectorModule(s.connector)?.actions.includes(action) ?? false;
  return {
    update: sources.filter((s) => can(s, 'update')).map((s) => s.id),
    withdraw: sources.filter((s) => can(s, 'withdraw')).map((s) => s.id),
    rehire: sources.filter((s) => can(s, 'rehire')).map((s) => s.id),
  };
}

async function finishEmptyRun(ctx: EngineContext, trx: Transaction<DB>, runId: string, summary: string) {
  await markRunEmpty(trx, runId, summary);
  await emitRunsFinished(trx, ctx.boss, [runId]);
}
