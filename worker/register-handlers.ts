import { getKeyring } from '@/lib/crypto/secret-box';
import { closeAgents } from '@/lib/http/outbound-client';
import { createSourceAuthorizer } from '@/lib/sync/connectors/authorize';
import {
  createQueues,
  deliverQueue,
  deliverQueues,
  syncRunQueue,
  syncSweepQueue,
  WORKER_QUEUES,
} from '@/lib/queue/queues';
import { createDeliveryEngine } from '@/lib/sync/delivery-engine';
import type { EngineContext } from '@/lib/sync/engine-context';
import { releaseClaimsOf } from '@/lib/sync/repository';
import { sweep } from '@/lib/sync/sweep';
import type { WorkerContext } from './context';
import { startFollowHires } from './handlers/follow-hires';
import { startMaintenance } from './handlers/maintenance';
import { startScheduledSyncs } from './handlers/scheduled-sync';
import { startWebhookDeliveries } from './handlers/webhook-deliver';
import { listenForSourceEvents } from './source-events';
import { startSourceQueues } from './source-queues';

/** Creates the queues and starts the pg-boss workers: fan-out, per-source delivery, sweeper. */
export async function registerHandlers(ctx: WorkerContext): Promise<{ queues: string[]; close: () => Promise<void> }> {
  const { boss, env, log } = ctx;
  await createQueues(boss, env, WORKER_QUEUES);
  const engineContext: EngineContext = {
    db: ctx.db,
    boss,
    log,
    workerId: ctx.workerId,
    retryDelaySeconds: env.RETRY_DELAY_SECONDS,
    queues: deliverQueues(boss, env),
    authorizer: createSourceAuthorizer({ db: ctx.db, keyring: getKeyring(), log }),
  };
  // The fan-out makes sure this worker takes a source's jobs before it enqueues the first ones.
  const engine = createDeliveryEngine({ ...engineContext, beforeEnqueue: (ids) => sources.ensure(ids) });

  const sources = startSourceQueues(
    ctx,
    engineContext.queues,
    async (source, jobs) => {
      const valid = jobs.filter((j) => deliverQueue.schema.safeParse({ ...j, sourceId: source.id }).success);
      if (valid.length < jobs.length)
        log.error(
          { sourceId: source.id, dropped: jobs.length - valid.length },
          'invalid delivery job payload: dropped',
        );
      if (valid.length) await engine.process(source, valid);
    },
    { answersFast: engine.answersFast },
  );
  const events = listenForSourceEvents(env.DATABASE_URL, log, {
    changed: () => sources.refresh(),
    paused: engine.sourcePaused,
    slotsWanted: engine.slotsWanted,
  });
  await events.start();

  await boss.work(
    syncRunQueue.name,
    { localConcurrency: env.WORKER_CONCURRENCY, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 2 },
    async (jobs) => {
      for (const job of jobs) {
        const parsed = syncRunQueue.schema.safeParse(job.data);
        if (!parsed.success) {
          // A payload that does not parse will never parse: permanent, not retried.
          log.error({ jobId: job.id, issues: parsed.error.issues }, 'invalid sync-run job payload: dropped');
          continue;
        }
        const runLog = log.child({ runId: parsed.data.runId });
        const result = await engine.expand(parsed.data.runId);
        if (result) runLog.info(result, 'sync run fanned out');
      }
    },
  );

  const follow = await startFollowHires(ctx);
  await boss.schedule(syncSweepQueue.name, '* * * * *', {}, { missed: 'skip' });
  await boss.work(syncSweepQueue.name, { pollingIntervalSeconds: 5 }, async () => {
    await sweep(engineContext);
    await follow.sweep();
  });

  await startScheduledSyncs(ctx);
  await startWebhookDeliveries(ctx);
  await startMaintenance(ctx);
  await sources.start();
  return {
    queues: [syncRunQueue.name, syncSweepQueue.name, ...sources.queues()],
    close: async () => {
      await sources.stop();
      await events.stop();
      await engine.stop();
      // Called once the shutdown grace is over: what is still in flight is given back, then abandoned.
      const released = await releaseClaimsOf(ctx.db, ctx.workerId);
      if (released) log.warn({ released }, 'released deliveries still in flight at shutdown');
      await closeAgents();
    },
  };
}
