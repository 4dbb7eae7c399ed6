import { retentionPolicy } from '@/lib/maintenance/jobs';
import { maintenanceQueue } from '@/lib/queue/queues';
import { runMaintenance } from '@/lib/maintenance/retention';
import type { WorkerContext } from '../context';

/** The daily retention pass: old history out, in batches (lib/maintenance/retention.ts). */
export async function startMaintenance(ctx: WorkerContext): Promise<void> {
  const { boss, db, env, log } = ctx;
  await boss.schedule(maintenanceQueue.name, env.MAINTENANCE_CRON, {}, { tz: 'UTC', missed: 'skip' });
  await boss.work(maintenanceQueue.name, { pollingIntervalSeconds: 30, notifyPollingIntervalSeconds: 30 }, async () => {
    await runMaintenance(db, retentionPolicy(env), { log: log.child({ job: maintenanceQueue.name }) });
  });
}
