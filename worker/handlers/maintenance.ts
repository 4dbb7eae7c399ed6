import { MAINTENANCE_QUEUE, maintenanceQueueOptions, retentionPolicy } from '@/lib/maintenance/jobs';
import { runMaintenance } from '@/lib/maintenance/retention';
import type { WorkerContext } from '../context';

/** The daily retention pass: old history out, in batches (lib/maintenance/retention.ts). */
export async function startMaintenance(ctx: WorkerContext): Promise<void> {
  const { boss, db, env, log } = ctx;
  await boss.createQueue(MAINTENANCE_QUEUE, maintenanceQueueOptions(env));
  await boss.schedule(MAINTENANCE_QUEUE, env.MAINTENANCE_CRON, {}, { tz: 'UTC', missed: 'skip' });
  await boss.work(MAINTENANCE_QUEUE, { pollingIntervalSeconds: 30, notifyPollingIntervalSeconds: 30 }, async () => {
    await runMaintenance(db, retentionPolicy(env), { log: log.child({ job: MAINTENANCE_QUEUE }) });
  });
}
