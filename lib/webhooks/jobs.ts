import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { Env } from '@/lib/env';
import { queueOptions } from '@/lib/sync/jobs';

/** One job per webhook delivery row; the row holds the body, so the job carries only its id. */
export const WEBHOOK_QUEUE = 'webhook-deliver';

export const webhookJobSchema = z.object({ deliveryId: z.uuid() });
export type WebhookJob = z.infer<typeof webhookJobSchema>;

/**
 * Retries are pg-boss's own here: exponential backoff from WEBHOOK_RETRY_DELAY_SECONDS (doubling,
 * with jitter, capped at an hour) for WEBHOOK_MAX_ATTEMPTS attempts in all. A base of 0 retries at
 * once, without backoff. Set on each job too, so a changed variable applies to new events even
 * though the queue row keeps the options it was created with.
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

export function webhookQueueOptions(env: Env) {
  const { retryLimit: _l, retryDelay: _d, retryBackoff: _b, retryDelayMax: _m, ...base } = queueOptions(env);
  return { ...base, ...webhookRetryOptions(env), expireInSeconds: 60 };
}

const created = new WeakSet<PgBoss>();

/** Sending needs the queue to exist: the web's sender may enqueue a test event before any worker ran. */
export async function ensureWebhookQueue(boss: PgBoss, env: Env): Promise<void> {
  if (created.has(boss)) return;
  await boss.createQueue(WEBHOOK_QUEUE, webhookQueueOptions(env));
  created.add(boss);
}
