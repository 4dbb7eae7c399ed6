import { SCHEDULE_QUEUE, scheduleQueueOptions, scheduledSyncJobSchema } from '@/lib/schedules/jobs';
import { reconcileSchedules, runScheduledSync } from '@/lib/schedules/service';
import type { WorkerContext } from '../context';

/**
 * Scheduled syncs: pg-boss's cron pass (run by workers) sends one job per occurrence to
 * SCHEDULE_QUEUE; this handler turns it into sync runs. On start the registrations are made to
 * match the sync_schedules table, which is the source of truth.
 */
export async function startScheduledSyncs(ctx: WorkerContext): Promise<void> {
  const { boss, db, env, log } = ctx;
  await boss.createQueue(SCHEDULE_QUEUE, scheduleQueueOptions(env));
  const reconciled = await reconcileSchedules(db, boss, log);
  log.info(reconciled, 'schedules registered with pg-boss');
  await boss.work(SCHEDULE_QUEUE, { pollingIntervalSeconds: 2 }, async (jobs) => {
    for (const job of jobs) {
      const parsed = scheduledSyncJobSchema.safeParse(job.data);
      if (!parsed.success) {
        // A payload that does not parse will never parse: permanent, not retried.
        log.error({ jobId: job.id, issues: parsed.error.issues }, 'invalid scheduled-sync job payload: dropped');
        continue;
      }
      await runScheduledSync(
        { db, boss, log: log.child({ scheduleId: parsed.data.scheduleId }) },
        parsed.data.scheduleId,
      );
    }
  });
}
