import type { Env } from '@/lib/env';
import type { RetentionPolicy } from './retention';

export function retentionPolicy(env: Env): RetentionPolicy {
  return { syncHistoryDays: env.SYNC_HISTORY_DAYS, auditRetentionDays: env.AUDIT_RETENTION_DAYS };
}
