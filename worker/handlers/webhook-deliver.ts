import { deliverWebhook } from '@/lib/webhooks/deliver';
import { WEBHOOK_QUEUE, webhookJobSchema, webhookQueueOptions } from '@/lib/webhooks/jobs';
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
  const { boss, db, env, log } = ctx;
  await boss.createQueue(WEBHOOK_QUEUE, webhookQueueOptions(env));
  await boss.work(
    WEBHOOK_QUEUE,
    { localConcurrency: 4, includeMetadata: true, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
    async (jobs) => {
      for (const job of jobs) {
        const parsed = webhookJobSchema.safeParse(job.data);
        if (!parsed.success) {
          // A payload that does not parse will never parse: permanent, not retried.
          log.error({ jobId: job.id, issues: parsed.error.issues }, 'invalid webhook job payload: dropped');
          continue;
        }
        const outcome = await deliverWebhook({ db, log }, parsed.data.deliveryId, {
          final: job.retryCount >= job.retryLimit,
        });
        if (outcome === 'retrying') throw new WebhookRetry(parsed.data.deliveryId);
      }
    },
  );
}
