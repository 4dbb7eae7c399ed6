import type { Env } from '@/lib/env';
import { queueOptions } from '@/lib/sync/jobs';
import type { RetentionPolicy } from './retention';

/** pg-boss's cron pass sends one job per MAINTENANCE_CRON occurrence (UTC); a missed one is skipped. */
export const MAINTENANCE_QUEUE = 'maintenance';

export function maintenanceQueueOptions(env: Env) {
  const { retryDelayMax: _, ...base } = queueOptions(env);
  // Batches commit one by one, so a run cut short is simply continued by the next occurrence.
  return { ...base, retryLimit: 1, retryDelay: 300, retryBackoff: false, expireInSeconds: 3600 } as const;
}

export function retentionPolicy(env: Env): RetentionPolicy {
  return { syncHistoryDays: env.SYNC_HISTORY_DAYS, auditRetentionDays: env.AUDIT_RETENTION_DAYS };
}
