import type { Env } from '@/lib/env';
import { scheduleQueue } from '@/lib/queue/queues';

// Defined in lib/queue/queues.ts with every other queue.
export const SCHEDULE_QUEUE = scheduleQueue.name;
export const scheduledSyncJobSchema = scheduleQueue.schema;
export const scheduleQueueOptions = scheduleQueue.options;

/** Missed occurrences (the worker was down) are skipped unless SCHEDULE_CATCH_UP asks for one catch-up run. */
export function missedPolicy(env: Env): 'skip' | 'once' {
  return env.SCHEDULE_CATCH_UP ? 'once' : 'skip';
}
