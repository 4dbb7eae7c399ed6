import type { SourceConfig } from '../connectors/types';
import { type ClaimedRow, claimDeliveries, findHeldDeliveries } from '../delivery-repository';
import type { EngineContext } from '../engine-context';
import { claimStaleSeconds, deliverQueueName } from '../jobs';

/** Claims the deliveries of a batch of jobs for this worker, in one statement (see claimDeliveries). */
export function claim(ctx: EngineContext, source: SourceConfig, ids: string[]): Promise<ClaimedRow[]> {
  return claimDeliveries(ctx.db, ctx.workerId, ids, claimStaleSeconds(source.timeoutMs));
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
  const latest = Math.max(...held.map((h) => h.started_at?.getTime() ?? Date.now()));
  const startAfter = new Date(latest + (claimStaleSeconds(source.timeoutMs) + 1) * 1000);
  await ctx.boss.insert(deliverQueueName(source.id), [
    { data: { runId, sourceId: source.id, deliveryIds: held.map((h) => h.id) }, startAfter },
  ]);
}
