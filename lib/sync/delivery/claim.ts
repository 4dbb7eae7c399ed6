import { deliverQueue } from '@/lib/queue/queues';
import type { SourceConfig } from '../connectors/types';
import {
  type ClaimedRow,
  claimDeliveries,
  deferPendingDeliveries,
  findHeldDeliveries,
  putBackDeliveries,
} from '../delivery-repository';
import type { EngineContext } from '../engine-context';
import { hasNoEnd } from '../limits-repository';
import { claimStaleSeconds } from '../jobs';

// The delivery job schema's limit (lib/queue/queues.ts).
const JOB_MAX_IDS = 1000;

/**
 * Claims the deliveries of a batch of jobs for this worker, in one statement (see claimDeliveries),
 * for `leaseSeconds` (claimStaleSeconds unless the engine was given another lease).
 */
export function claim(
  ctx: EngineContext,
  source: SourceConfig,
  ids: string[],
  leaseSeconds = claimStaleSeconds(source.timeoutMs),
): Promise<{ rows: ClaimedRow[]; pausedUntil: Date | null }> {
  return claimDeliveries(ctx.db, ctx.workerId, source.id, ids, leaseSeconds);
}

/** Deliveries still held by another worker come back to us when that worker's claim goes stale. */
export async function recheckLater(
  ctx: EngineContext,
  source: SourceConfig,
  runId: string,
  ids: string[],
  claimedIds: Set<string>,
): Promise<void> {
  const rest = ids.filter((id) => !claimedIds.has(id));
  if (rest.length === 0) return;
  const held = await findHeldDeliveries(ctx.db, rest);
  if (held.length === 0) return;
  const latest = Math.max(
    ...held.map((h) => h.held_until?.getTime() ?? Date.now() + claimStaleSeconds(source.timeoutMs) * 1000),
  );
  const startAfter = new Date(latest + 1000);
  await ctx.boss.insert(deliverQueue.name(source.id), [
    { data: { runId, sourceId: source.id, deliveryIds: held.map((h) => h.id) }, startAfter },
  ]);
}

/**
 * Deliveries that meet a pause of their source wait for its end: claimed ones are given back
 * uncounted, pending ones say when they go next, and a job for them starts after the pause. A
 * pause with no end gets no job: resuming the source enqueues its pending deliveries.
 */
export async function deferUntil(
  ctx: EngineContext,
  source: SourceConfig,
  until: Date,
  jobs: { runId: string; deliveryIds: string[]; claimed: boolean }[],
): Promise<void> {
  const claimed = jobs.filter((j) => j.claimed).flatMap((j) => j.deliveryIds);
  const pending = jobs.filter((j) => !j.claimed).flatMap((j) => j.deliveryIds);
  const next = hasNoEnd(until) ? null : until;
  if (claimed.length) await putBackDeliveries(ctx.db, ctx.workerId, claimed, next);
  if (pending.length) await deferPendingDeliveries(ctx.db, pending, next);
  if (!next) return;
  const byRun = new Map<string, string[]>();
  for (const j of jobs) byRun.set(j.runId, [...(byRun.get(j.runId) ?? []), ...j.deliveryIds]);
  await ctx.boss.insert(
    deliverQueue.name(source.id),
    [...byRun].flatMap(([runId, ids]) => {
      const out = [];
      for (let i = 0; i < ids.length; i += JOB_MAX_IDS) {
        out.push({
          data: { runId, sourceId: source.id, deliveryIds: ids.slice(i, i + JOB_MAX_IDS) },
          startAfter: until,
        });
      }
      return out;
    }),
  );
}
