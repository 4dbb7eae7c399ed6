import { scheduleQueue } from '@/lib/queue/queues';
import { reconcileSchedules, runScheduledSync } from '@/lib/schedules/service';
import type { WorkerContext } from '../context';

/**
 * Scheduled syncs: pg-boss's cron pass (run by workers) sends one job per occurrence to
 * scheduleQueue.name; this handler turns it into sync runs. On start the registrations are made to
 * match the sync_schedules table, which is the source of truth.
 */
export async function startScheduledSyncs(ctx: WorkerContext): Promise<void> {
  const { boss, db, log } = ctx;
  const reconciled = await reconcileSchedules(db, boss, log);
  log.info(reconciled, 'schedules registered with pg-boss');
  await boss.work(scheduleQueue.name, { pollingIntervalSeconds: 2 }, async (jobs) => {
    for (const job of jobs) {
      const parsed = scheduleQueue.schema.safeParse(job.data);
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
