import type { Transaction } from 'kysely';
import { fromKysely, type PgBoss } from 'pg-boss';
import type { DB } from '@/db/types';
import { getEnv } from '@/lib/env';
import { type DeliverJob, deliverJobSize, ensureDeliverQueue } from './jobs';

/**
 * Enqueues delivery jobs for pending deliveries inside the caller's transaction: per source, jobs
 * of up to its batch size of candidates (deliverJobSize). A batch API gets one request per job;
 * webhooks get one request per candidate, sent side by side within the source's max_concurrency.
 */
export async function enqueueDeliveries(
  trx: Transaction<DB>,
  boss: PgBoss,
  runId: string,
  deliveries: { id: string; source_id: string }[],
  startAfter?: Date,
): Promise<number> {
  if (deliveries.length === 0) return 0;
  const sourceIds = [...new Set(deliveries.map((d) => d.source_id))];
  const sources = await trx
    .selectFrom('sources')
    .select(['id', 'connector', 'batch_size', 'max_concurrency'])
    .where('id', 'in', sourceIds)
    .execute();
  let jobs = 0;
  for (const source of sources) {
    const ids = deliveries.filter((d) => d.source_id === source.id).map((d) => d.id);
    const size = deliverJobSize({
      connector: source.connector,
      batchSize: source.batch_size,
      maxConcurrency: source.max_concurrency,
    });
    const batch: { data: DeliverJob; startAfter?: Date }[] = [];
    for (let i = 0; i < ids.length; i += size) {
      batch.push({
        data: { runId, sourceId: source.id, deliveryIds: ids.slice(i, i + size) },
        ...(startAfter ? { startAfter } : {}),
      });
    }
    const queue = await ensureDeliverQueue(boss, source.id, getEnv());
    await boss.insert(queue, batch, { db: fromKysely(trx) });
    jobs += batch.length;
  }
  return jobs;
}
