import { z } from 'zod';
import type { Env } from '@/lib/env';
import { queueOptions } from '@/lib/sync/jobs';

/**
 * The queue pg-boss's cron pass sends to for every enabled schedule: one job per occurrence,
 * carrying only our schedule id, so an edit takes effect at the next run without re-sending.
 */
export const SCHEDULE_QUEUE = 'sync-schedule';

export const scheduledSyncJobSchema = z.object({ scheduleId: z.uuid() });

/**
 * A failed occurrence is retried a couple of times (startSync deduplicates a posting that is
 * already syncing, and unchanged deliveries are skipped), then left to the next occurrence.
 */
export function scheduleQueueOptions(env: Env) {
  const { retryDelayMax: _, ...base } = queueOptions(env);
  return { ...base, retryLimit: 2, retryDelay: 30, retryBackoff: false, expireInSeconds: 300 } as const;
}

/** Missed occurrences (the worker was down) are skipped unless SCHEDULE_CATCH_UP asks for one catch-up run. */
export function missedPolicy(env: Env): 'skip' | 'once' {
  return env.SCHEDULE_CATCH_UP ? 'once' : 'skip';
}
