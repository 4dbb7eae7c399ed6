import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { Env } from '@/lib/env';

/**
 * Every pg-boss queue of the application, defined once: its name, the zod schema of its jobs and
 * its options. Web and worker import these; each process creates the queues it uses once, at
 * start (createQueues), except the per-source delivery queues, created when a source is first used
 * (DeliverQueues).
 */
export type QueueDefinition<Schema extends z.ZodType = z.ZodType> = {
  name: string;
  schema: Schema;
  options: (env: Env) => Parameters<PgBoss['createQueue']>[1];
};

/**
 * pg-boss's own retries only cover a worker that died or a job that overran its timeout; HTTP
 * retries with backoff and Retry-After are ours (new jobs with startAfter), recorded per delivery.
 */
export function baseQueueOptions(env: Env) {
  return {
    notify: true,
    expireInSeconds: env.JOB_TIMEOUT_SECONDS,
    // A worker that is killed stops heartbeating; its jobs come back after this many seconds.
    heartbeatSeconds: 10,
    retryLimit: 20,
    retryDelay: 1,
    retryBackoff: true,
    retryDelayMax: 60,
    deleteAfterSeconds: 7 * 24 * 3600,
    retentionSeconds: 14 * 24 * 3600,
  } as const;
}

const define = <Schema extends z.ZodType>(d: QueueDefinition<Schema>) => d;

/** The fan-out job: a few retries, then the sweeper restarts a run that is still pending. */
export const syncRunQueue = define({
  name: 'sync-run',
  schema: z.object({ runId: z.uuid() }),
  options: (env) => ({ ...baseQueueOptions(env), retryLimit: 5 }),
});
export type SyncRunJob = z.infer<typeof syncRunQueue.schema>;

/**
 * Sync on hire: one job per posting wakes the run that follows its changed candidates (hired,
 * edited, withdrawn). Sent in the transaction of the change, SYNC_ON_HIRE_DELAY_SECONDS later; the
 * `short` policy keeps one queued job per posting (singletonKey), so the changes of those seconds
 * (a bulk add, an import, a burst of edits) become one run.
 */
export const syncFollowQueue = define({
  name: 'sync-follow',
  schema: z.object({ jobPostingId: z.uuid() }),
  options: (env) => ({ ...baseQueueOptions(env), policy: 'short', retryLimit: 5 }),
});
export type SyncFollowJob = z.infer<typeof syncFollowQueue.schema>;

/** The sweeper, once a minute (cron): a missed or failed pass is simply left to the next one. */
export const syncSweepQueue = define({
  name: 'sync-sweep',
  schema: z.object({}),
  options: (env) => ({ ...baseQueueOptions(env), retryLimit: 0, expireInSeconds: 300 }),
});

/**
 * Delivery jobs, one queue per source, so a slow or hanging source only ever occupies its own
 * workers and never starves the others.
 */
export const DELIVER_QUEUE_PREFIX = 'sync-deliver/';
export const deliverQueue = {
  prefix: DELIVER_QUEUE_PREFIX,
  name: (sourceId: string) => `${DELIVER_QUEUE_PREFIX}${sourceId}`,
  schema: z.object({
    runId: z.uuid(),
    sourceId: z.uuid(),
    deliveryIds: z.array(z.uuid()).min(1).max(1000),
  }),
  options: (env: Env) => baseQueueOptions(env),
};
export type DeliverJob = z.infer<typeof deliverQueue.schema>;

/**
 * Completion webhooks, one job per delivery row (the row holds the body). Retries are pg-boss's
 * own here: exponential backoff from WEBHOOK_RETRY_DELAY_SECONDS (doubling, with jitter, capped at
 * an hour) for WEBHOOK_MAX_ATTEMPTS attempts in all; a base of 0 retries at once. Set on each job
 * too, so a changed variable applies to new events even though the queue keeps its first options.
 */
export function webhookRetryOptions(env: Env) {
  const backoff = env.WEBHOOK_RETRY_DELAY_SECONDS > 0;
  return {
    retryLimit: env.WEBHOOK_MAX_ATTEMPTS - 1,
    retryDelay: env.WEBHOOK_RETRY_DELAY_SECONDS,
    retryBackoff: backoff,
    ...(backoff ? { retryDelayMax: 3600 } : {}),
  };
}
export const webhookQueue = define({
  name: 'webhook-deliver',
  schema: z.object({ deliveryId: z.uuid() }),
  options: (env) => {
    const { retryLimit: _l, retryDelay: _d, retryBackoff: _b, retryDelayMax: _m, ...base } = baseQueueOptions(env);
    return { ...base, ...webhookRetryOptions(env), expireInSeconds: 60 };
  },
});
export type WebhookJob = z.infer<typeof webhookQueue.schema>;

/** pg-boss's cron pass sends one job per MAINTENANCE_CRON occurrence (UTC); a missed one is skipped. */
export const maintenanceQueue = define({
  name: 'maintenance',
  schema: z.object({}),
  options: (env) => {
    const { retryDelayMax: _, ...base } = baseQueueOptions(env);
    // Batches commit one by one, so a run cut short is simply continued by the next occurrence.
    return { ...base, retryLimit: 1, retryDelay: 300, retryBackoff: false, expireInSeconds: 3600 };
  },
});

/**
 * Scheduled syncs: the cron pass sends one job per occurrence carrying only our schedule id, so an
 * edit takes effect at the next run without re-sending. A failed occurrence is retried a couple of
 * times (startSync deduplicates a posting already syncing; unchanged deliveries are skipped).
 */
export const scheduleQueue = define({
  name: 'sync-schedule',
  schema: z.object({ scheduleId: z.uuid() }),
  options: (env) => {
    const { retryDelayMax: _, ...base } = baseQueueOptions(env);
    return { ...base, retryLimit: 2, retryDelay: 30, retryBackoff: false, expireInSeconds: 300 };
  },
});

/** What the worker works; the web sends to some (a webhook test event, a schedule's registration, a sync, a hire). */
export const WORKER_QUEUES = [
  syncRunQueue,
  syncSweepQueue,
  webhookQueue,
  maintenanceQueue,
  scheduleQueue,
  syncFollowQueue,
] as const;
export const SENDER_QUEUES = [syncRunQueue, webhookQueue, scheduleQueue, syncFollowQueue] as const;

/** Creates the given queues, in one pass at process start. */
export async function createQueues(boss: PgBoss, env: Env, definitions: readonly QueueDefinition[]): Promise<void> {
  for (const d of definitions) await boss.createQueue(d.name, d.options(env));
}

export type DeliverQueues = { boss: PgBoss; ensure: (sourceId: string) => Promise<string> };

/**
 * The per-source delivery queues one holder (the worker's engine, or one web request) has made
 * sure of: createQueue takes an advisory lock and a round trip, so it is not repeated on every
 * fan-out chunk or retry. The holder owns the memo; nothing is kept at module level.
 */
export function deliverQueues(boss: PgBoss, env: Env): DeliverQueues {
  const created = new Set<string>();
  return {
    boss,
    async ensure(sourceId) {
      const name = deliverQueue.name(sourceId);
      if (!created.has(name)) {
        await boss.createQueue(name, deliverQueue.options(env));
        created.add(name);
      }
      return name;
    },
  };
}
