import type { PgBoss } from 'pg-boss';
import type { Env } from '@/lib/env';
import { webhookQueue } from '@/lib/queue/queues';

// Defined in lib/queue/queues.ts with every other queue.
export const WEBHOOK_QUEUE = webhookQueue.name;
export const webhookJobSchema = webhookQueue.schema;
export { type WebhookJob, webhookRetryOptions } from '@/lib/queue/queues';

const created = new WeakSet<PgBoss>();

/** Sending needs the queue to exist: the web's sender may enqueue a test event before any worker ran. */
export async function ensureWebhookQueue(boss: PgBoss, env: Env): Promise<void> {
  if (created.has(boss)) return;
  await boss.createQueue(WEBHOOK_QUEUE, webhookQueue.options(env));
  created.add(boss);
}
