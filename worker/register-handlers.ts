import { type EngineContext, expandRun, processDeliveries } from '@/lib/sync/engine';
import { closeAgents } from '@/lib/http/outbound-client';
import {
  SYNC_RUN_QUEUE,
  SYNC_SWEEP_QUEUE,
  deliverJobSchema,
  queueOptions,
  syncRunJobSchema,
  syncRunQueueOptions,
} from '@/lib/sync/jobs';
import { releaseClaimsOf } from '@/lib/sync/repository';
import { sweep } from '@/lib/sync/sweep';
import type { WorkerContext } from './context';
import { startMaintenance } from './handlers/maintenance';
import { startScheduledSyncs } from './handlers/scheduled-sync';
import { startWebhookDeliveries } from './handlers/webhook-deliver';
import { startSourceQueues } from './source-queues';

/** Creates the queues and starts the pg-boss workers: fan-out, per-source delivery, sweeper. */
export async function registerHandlers(ctx: WorkerContext): Promise<{ queues: string[]; close: () => Promise<void> }> {
  const { boss, env, log } = ctx;
  const engine: EngineContext = {
    db: ctx.db,
    boss,
    log,
    workerId: ctx.workerId,
    retryDelaySeconds: env.RETRY_DELAY_SECONDS,
  };

  const sources = startSourceQueues(ctx, async (source, jobs) => {
    const valid = jobs.filter((j) => deliverJobSchema.safeParse({ ...j, sourceId: source.id }).success);
    if (valid.length < jobs.length)
      log.error({ sourceId: source.id, dropped: jobs.length - valid.length }, 'invalid delivery job payload: dropped');
    if (valid.length) await processDeliveries(engine, source, valid);
  });

  await boss.createQueue(SYNC_RUN_QUEUE, syncRunQueueOptions(env));
  await boss.work(
    SYNC_RUN_QUEUE,
    { localConcurrency: env.WORKER_CONCURRENCY, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 2 },
    async (jobs) => {
      for (const job of jobs) {
        const parsed = syncRunJobSchema.safeParse(job.data);
        if (!parsed.success) {
          // A payload that does not parse will never parse: permanent, not retried.
          log.error({ jobId: job.id, issues: parsed.error.issues }, 'invalid sync-run job payload: dropped');
          continue;
        }
        const runLog = log.child({ runId: parsed.data.runId });
        const result = await expandRun(engine, parsed.data.runId);
        if (result) {
          runLog.info(result, 'sync run fanned out');
          await sources.refresh();
        }
      }
    },
  );

  await boss.createQueue(SYNC_SWEEP_QUEUE, { ...queueOptions(env), retryLimit: 0, expireInSeconds: 300 });
  await boss.schedule(SYNC_SWEEP_QUEUE, '* * * * *', {}, { missed: 'skip' });
  await boss.work(SYNC_SWEEP_QUEUE, { pollingIntervalSeconds: 5 }, async () => {
    await sweep(engine);
  });

  await startScheduledSyncs(ctx);
  await startWebhookDeliveries(ctx);
  await startMaintenance(ctx);
  await sources.start();
  return {
    queues: [SYNC_RUN_QUEUE, SYNC_SWEEP_QUEUE, ...sources.queues()],
    close: async () => {
      await sources.stop();
      // Called once the shutdown grace is over: what is still in flight is given back, then abandoned.
      const released = await releaseClaimsOf(ctx.db, ctx.workerId);
      if (released) log.warn({ released }, 'released deliveries still in flight at shutdown');
      await closeAgents();
    },
  };
}
