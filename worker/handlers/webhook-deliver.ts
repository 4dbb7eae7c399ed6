import { deliverWebhook } from '@/lib/webhooks/deliver';
import { webhookQueue } from '@/lib/queue/queues';
import type { WorkerContext } from '../context';

/** Thrown so pg-boss schedules the next attempt with its backoff; the attempt itself is already recorded. */
class WebhookRetry extends Error {
  constructor(deliveryId: string) {
    super(`webhook delivery ${deliveryId} failed; retrying`);
    this.name = 'WebhookRetry';
  }
}

/** Sends completion webhooks, one job per delivery, a few at a time. */
export async function startWebhookDeliveries(ctx: WorkerContext): Promise<void> {
  const { boss, db, log } = ctx;
  await boss.work(
    webhookQueue.name,
    { localConcurrency: 4, includeMetadata: true, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
    async (jobs) => {
      for (const job of jobs) {
        const parsed = webhookQueue.schema.safeParse(job.data);
        if (!parsed.success) {
          // A payload that does not parse will never parse: permanent, not retried.
          log.error({ jobId: job.id, issues: parsed.error.issues }, 'invalid webhook job payload: dropped');
          continue;
        }
        const outcome = await deliverWebhook({ db, boss, log }, parsed.data.deliveryId, {
          final: job.retryCount >= job.retryLimit,
        });
        if (outcome === 'retrying') throw new WebhookRetry(parsed.data.deliveryId);
      }
    },
  );
}
