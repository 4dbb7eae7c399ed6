import { deliverQueue } from '@/lib/queue/queues';
import type { Transaction } from 'kysely';
import { fromKysely } from 'pg-boss';
import type { DB } from '@/db/types';
import { getEnv } from '@/lib/env';
import { emitSourceUnhealthy } from '@/lib/webhooks/events';
import type { SourceConfig } from '../connectors/types';
import { recordDeliveriesStatement } from '../delivery-repository';
import type { EngineContext } from '../engine-context';

import { holdSource } from '../limits-repository';
import { credentialsRefusedReason, healthAfterBatch, isTurnUnhealthy } from '../source-health';
import { addSourceFailures, confirmSourceHealthy } from '../source-health-repository';
import type { Settled } from './send';

/**
 * Records a batch's outcomes in the progress lane `lane`. When everything succeeded that is one
 * autocommitted statement; failures and retries take a transaction that also schedules the retries
 * and updates the source's health. Returns the runs in which a delivery settled (to be settled).
 */
export async function recordOutcomes(
  ctx: EngineContext,
  source: SourceConfig,
  settled: Settled[],
  lane: string,
): Promise<Set<string>> {
  let recorded: { id: string; run_id: string; status: string }[];
  if (settled.every((s) => s.status === 'succeeded')) {
    ({ rows: recorded } = await recordDeliveriesStatement(ctx.workerId, source.id, lane, settled, true).execute(
      ctx.db,
    ));
  } else {
    recorded = await ctx.db.transaction().execute(async (trx) => {
      const { rows } = await recordDeliveriesStatement(ctx.workerId, source.id, lane, settled, false).execute(trx);
      const ids = new Set(rows.map((r) => r.id));
      const mine = settled.filter((s) => ids.has(s.deliveryId));
      await scheduleRetries(ctx, trx, source, mine);
      await updateSourceHealth(ctx, trx, source, mine);
      return rows;
    });
  }
  return new Set(recorded.filter((r) => r.status !== 'pending').map((r) => r.run_id));
}

async function scheduleRetries(ctx: EngineContext, trx: Transaction<DB>, source: SourceConfig, mine: Settled[]) {
  const retries = mine.filter((s) => s.status === 'pending');
  if (retries.length === 0) return;
  const byTime = new Map<number, Settled[]>();
  for (const r of retries) {
    const t = r.nextAttemptAt!.getTime();
    byTime.set(t, [...(byTime.get(t) ?? []), r]);
  }
  await ctx.boss.insert(
    deliverQueue.name(source.id),
    [...byTime.entries()].flatMap(([t, group]) =>
      groupByRun(group).map(([runId, ids]) => ({
        data: { runId, sourceId: source.id, deliveryIds: ids },
        startAfter: new Date(t),
      })),
    ),
    { db: fromKysely(trx) },
  );
}

function groupByRun(items: Settled[]): [string, string[]][] {
  const map = new Map<string, string[]>();
  for (const i of items) map.set(i.runId, [...(map.get(i.runId) ?? []), i.deliveryId]);
  return [...map.entries()];
}

async function updateSourceHealth(ctx: EngineContext, trx: Transaction<DB>, source: SourceConfig, outcomes: Settled[]) {
  const change = healthAfterBatch(outcomes);
  if (!change) return;
  if (change.kind === 'healthy') return confirmSourceHealthy(trx, source.id);
  const after = await addSourceFailures(trx, source.id, change, getEnv().SOURCE_UNHEALTHY_AFTER);
  if (!after) return;
  const { previous, ...current } = after;
  // Refused credentials will be refused again: the source is paused until someone fixes them,
  // rather than spend every delivery's attempts on answers that cannot change.
  const paused =
    current.health_status === 'auth_failed'
      ? await holdSource(trx, source.id, {
          kind: 'auth_failed',
          reason: credentialsRefusedReason(current.health_error),
          pausedBy: null,
        })
      : false;
  if (paused) ctx.log.warn({ sourceId: source.id }, 'source paused: credentials refused');
  if (paused || isTurnUnhealthy(previous, current.health_status)) {
    await emitSourceUnhealthy(trx, ctx.boss, {
      id: source.id,
      ...current,
      paused: paused ? { reason: credentialsRefusedReason(current.health_error) } : null,
    });
  }
}
