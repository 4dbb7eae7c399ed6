import pLimit from 'p-limit';
import type { SourceConfig } from './connectors/types';
import { connectorFor } from './connectors';
import { claim, recheckLater } from './delivery/claim';
import { recordOutcomes } from './delivery/record';
import { type Settled, sendChunk } from './delivery/send';
import type { EngineContext } from './engine-context';
import { expandRun, type FanOutContext } from './fan-out';
import { LanePool, settleRun } from './progress';

export type DeliveryJob = { runId: string; deliveryIds: string[] };
export type DeliveryEngine = {
  /** Sends one batch of a source's delivery jobs and records every outcome. */
  process: (source: SourceConfig, jobs: DeliveryJob[]) => Promise<{ sent: number }>;
  /** Fans a run out (see expandRun). */
  expand: (runId: string) => Promise<{ total: number; pending: number } | null>;
  stop: () => Promise<void>;
};

// How often this worker copies a run's counters to sync_runs while it runs (for lists and statistics).
const TOUCH_EVERY_MS = 1000;

/**
 * The delivery engine of one worker: it owns what the worker keeps between batches (the request
 * slots per source, the progress lanes, when each run's counters were last copied), created at
 * start and stopped at shutdown.
 */
export function createDeliveryEngine(ctx: EngineContext & Pick<FanOutContext, 'beforeEnqueue'>): DeliveryEngine {
  const limiters = new Map<string, ReturnType<typeof pLimit>>();
  const lanes = new LanePool();
  const touchedAt = new Map<string, number>();

  /**
   * The source's request slots in this worker: every batch the worker holds for the source sends
   * through the same limiter, so at most max_concurrency requests are in flight to it from here.
   */
  function limiterFor(source: SourceConfig) {
    let limit = limiters.get(source.id);
    if (!limit) {
      limit = pLimit(source.maxConcurrency);
      limiters.set(source.id, limit);
    } else if (limit.concurrency !== source.maxConcurrency) {
      limit.concurrency = source.maxConcurrency;
    }
    return limit;
  }

  function touchDue(runId: string): boolean {
    const now = Date.now();
    if (now - (touchedAt.get(runId) ?? 0) < TOUCH_EVERY_MS) return false;
    if (touchedAt.size > 10_000) touchedAt.clear();
    touchedAt.set(runId, now);
    return true;
  }

  /**
   * Each request waits for one of the source's slots; a worker holds about twice as many
   * deliveries as slots, so while one batch is being claimed or recorded another keeps the slots busy.
   */
  async function process(source: SourceConfig, jobs: DeliveryJob[]): Promise<{ sent: number }> {
    const connector = connectorFor(source.connector);
    const limit = limiterFor(source);
    // One claim for the whole batch of jobs: one round trip instead of one per job.
    const claimed = await claim(
      ctx,
      source,
      jobs.flatMap((j) => j.deliveryIds),
    );
    const claimedById = new Map(claimed.map((r) => [r.id, r]));
    const requests: Promise<Settled[]>[] = [];
    for (const job of jobs) {
      const rows = job.deliveryIds.flatMap((id) => claimedById.get(id) ?? []);
      await recheckLater(ctx, source, job.runId, job.deliveryIds, new Set(rows.map((r) => r.id)));
      const size = connector.itemsPerRequest(source);
      for (let i = 0; i < rows.length; i += size) {
        const chunk = rows.slice(i, i + size);
        requests.push(limit(() => sendChunk(ctx, source, connector, chunk)));
      }
    }
    const settled = (await Promise.all(requests)).flat();
    if (settled.length > 0) await record(source, settled);
    return { sent: settled.length };
  }

  async function record(source: SourceConfig, settled: Settled[]) {
    const lane = lanes.acquire();
    let runs: Set<string>;
    try {
      runs = await recordOutcomes(ctx, source, settled, `${ctx.workerId}#${lane}`);
    } finally {
      lanes.release(lane);
    }
    for (const runId of runs) await settleRun(ctx.db, ctx.boss, runId, touchDue(runId));
  }

  return {
    process,
    expand: (runId) => expandRun(ctx, runId),
    async stop() {
      limiters.clear();
      touchedAt.clear();
    },
  };
}
