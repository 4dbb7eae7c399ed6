import type { Selectable, Transaction } from 'kysely';
import { fromKysely } from 'pg-boss';
import type { DB, SourcesTable } from '@/db/types';
import type { DeliverJob, DeliverQueues } from '@/lib/queue/queues';
import { deliverJobSize } from './jobs';

/** What enqueueing needs to know of a source (select these columns to call enqueueForSources). */
export const ENQUEUE_SOURCE_COLUMNS = ['id', 'connector', 'batch_size', 'max_concurrency'] as const;
export type EnqueueSource = Pick<Selectable<SourcesTable>, (typeof ENQUEUE_SOURCE_COLUMNS)[number]>;

/** The source as the job sizes and fetch plans of jobs.ts take it. */
export const jobSourceOf = (source: EnqueueSource) => ({
  connector: source.connector,
  batchSize: source.batch_size,
  maxConcurrency: source.max_concurrency,
});

/**
 * Enqueues delivery jobs for pending deliveries inside the caller's transaction: per source, jobs
 * of up to its batch size of candidates (deliverJobSize). A batch API gets one request per job;
 * webhooks get one request per candidate, sent side by side within the source's max_concurrency.
 */
export async function enqueueDeliveries(
  trx: Transaction<DB>,
  queues: DeliverQueues,
  runId: string,
  deliveries: { id: string; source_id: string }[],
): Promise<number> {
  if (deliveries.length === 0) return 0;
  const sources = await trx
    .selectFrom('sources')
    .select(ENQUEUE_SOURCE_COLUMNS)
    .where('id', 'in', [...new Set(deliveries.map((d) => d.source_id))])
    .execute();
  return enqueueForSources(trx, queues, runId, deliveries, sources);
}

/**
 * Deliveries of several runs (the sweeper's repairs, a resumed source's backlog), each run's
 * enqueued as enqueueDeliveries does, their sources read once.
 */
export async function enqueueByRun(
  trx: Transaction<DB>,
  queues: DeliverQueues,
  deliveries: { id: string; run_id: string; source_id: string }[],
): Promise<number> {
  if (deliveries.length === 0) return 0;
  const sources = await trx
    .selectFrom('sources')
    .select(ENQUEUE_SOURCE_COLUMNS)
    .where('id', 'in', [...new Set(deliveries.map((d) => d.source_id))])
    .execute();
  const byRun = new Map<string, { id: string; source_id: string }[]>();
  for (const d of deliveries) byRun.set(d.run_id, [...(byRun.get(d.run_id) ?? []), d]);
  let enqueued = 0;
  for (const [runId, ofRun] of byRun) enqueued += await enqueueForSources(trx, queues, runId, ofRun, sources);
  return enqueued;
}

/** enqueueDeliveries for a caller that has read the sources already (the fan-out, every chunk). */
export async function enqueueForSources(
  trx: Transaction<DB>,
  queues: DeliverQueues,
  runId: string,
  deliveries: { id: string; source_id: string }[],
  sources: EnqueueSource[],
): Promise<number> {
  const inserts: { queue: string; batch: { data: DeliverJob }[] }[] = [];
  for (const source of sources) {
    const ids = deliveries.filter((d) => d.source_id === source.id).map((d) => d.id);
    if (ids.length === 0) continue;
    const size = deliverJobSize(jobSourceOf(source));
    const batch: { data: DeliverJob }[] = [];
    for (let i = 0; i < ids.length; i += size) {
      batch.push({ data: { runId, sourceId: source.id, deliveryIds: ids.slice(i, i + size) } });
    }
    inserts.push({ queue: await queues.ensure(source.id), batch });
  }
  // One insert per queue, all handed to the transaction's connection at once: it sends each as the
  // previous one completes, without waiting for this process's event loop in between (a fan-out
  // chunk to 200 sources is 200 inserts, and a worker busy delivering is slow to come round).
  const db = fromKysely(trx);
  await Promise.all(inserts.map(({ queue, batch }) => queues.boss.insert(queue, batch, { db })));
  return inserts.reduce((n, i) => n + i.batch.length, 0);
}
