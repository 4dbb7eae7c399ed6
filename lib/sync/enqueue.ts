import { type Transaction, sql } from 'kysely';
import { fromKysely, type PgBoss } from 'pg-boss';
import type { DB } from '@/db/types';
import { connectorFor } from './connectors';
import { getEnv } from '@/lib/env';
import { type DeliverJob, ensureDeliverQueue } from './jobs';

/**
 * Enqueues delivery jobs for pending deliveries inside the caller's transaction: one job per
 * request the source's connector makes (one candidate for webhooks, a chunk for batch APIs).
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
    .select(['id', 'connector', 'batch_size'])
    .where('id', 'in', sourceIds)
    .execute();
  let jobs = 0;
  for (const source of sources) {
    const ids = deliveries.filter((d) => d.source_id === source.id).map((d) => d.id);
    const size = connectorFor(source.connector).itemsPerRequest({ batchSize: source.batch_size });
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

export async function touchRun(trx: Transaction<DB>, runId: string): Promise<void> {
  await trx
    .updateTable('sync_runs')
    .set({ version: sql`version + 1`, updated_at: new Date() })
    .where('id', '=', runId)
    .execute();
}
