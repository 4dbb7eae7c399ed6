import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { SourceConnector } from '@/db/types';
import type { Env } from '@/lib/env';

/**
 * Queue definitions shared by the web (which sends) and the worker (which works).
 * Every delivery queue belongs to one source, so a slow or hanging source only ever
 * occupies its own workers and never starves the others.
 */
export const SYNC_RUN_QUEUE = 'sync-run';
export const SYNC_SWEEP_QUEUE = 'sync-sweep';
export const DELIVER_QUEUE_PREFIX = 'sync-deliver/';

export const deliverQueueName = (sourceId: string) => `${DELIVER_QUEUE_PREFIX}${sourceId}`;

export const syncRunJobSchema = z.object({ runId: z.uuid() });
export type SyncRunJob = z.infer<typeof syncRunJobSchema>;

export const deliverJobSchema = z.object({
  runId: z.uuid(),
  sourceId: z.uuid(),
  deliveryIds: z.array(z.uuid()).min(1).max(1000),
});
export type DeliverJob = z.infer<typeof deliverJobSchema>;

/**
 * pg-boss's own retries only cover a worker that died or a job that overran its timeout; HTTP
 * retries with backoff and Retry-After are ours (new jobs with startAfter), recorded per delivery.
 */
export function queueOptions(env: Env) {
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

/** The fan-out job: a few retries, then the sweeper restarts a run that is still pending. */
export const syncRunQueueOptions = (env: Env) => ({ ...queueOptions(env), retryLimit: 5 });

const createdDeliverQueues = new WeakMap<PgBoss, Set<string>>();

/**
 * Creates a source's delivery queue, with the same options wherever that happens first, once per
 * pg-boss instance: createQueue takes an advisory lock and a round trip, so it is not repeated on
 * every fan-out or retry.
 */
export async function ensureDeliverQueue(boss: PgBoss, sourceId: string, env: Env): Promise<string> {
  const name = deliverQueueName(sourceId);
  const created = createdDeliverQueues.get(boss) ?? new Set<string>();
  createdDeliverQueues.set(boss, created);
  if (!created.has(name)) {
    await boss.createQueue(name, queueOptions(env));
    created.add(name);
  }
  return name;
}

/**
 * Candidates per delivery job. A batch API sends the job as one request of batch_size candidates.
 * A webhook job holds up to batch_size candidates, but never more than the source's
 * max_concurrency, since they are all sent at once.
 */
export function deliverJobSize(source: {
  connector: SourceConnector;
  batchSize: number;
  maxConcurrency: number;
}): number {
  return source.connector === 'rest_batch'
    ? source.batchSize
    : Math.max(1, Math.min(source.batchSize, source.maxConcurrency));
}

/**
 * How the worker takes a source's jobs: enough of them at a time to hold about twice as many
 * requests as the source's max_concurrency, so that while one batch is claimed or recorded the
 * others keep every request slot busy. Two fetch loops (one for small sources), each taking
 * `batchSize` jobs: while one loop records its batch and fetches the next, the other's requests
 * fill the slots. Fewer, larger batches mean fewer statements per delivery (measured: 20 per
 * batch cost a third less database time per delivery than 10).
 */
export function deliverFetchPlan(source: { connector: SourceConnector; batchSize: number; maxConcurrency: number }) {
  const requestsPerJob = source.connector === 'rest_batch' ? 1 : deliverJobSize(source);
  const jobs = Math.max(1, Math.ceil((2 * source.maxConcurrency) / requestsPerJob));
  const loops = Math.min(jobs, 2);
  return { loops, batchSize: Math.ceil(jobs / loops) };
}

/**
 * A worker holds at most about three times as many requests as a source's max_concurrency (see
 * deliverFetchPlan), so a claimed delivery is sent within three of the source's timeouts. A claim
 * older than that belongs to a worker that died or lost its database connection.
 */
export const claimStaleSeconds = (timeoutMs: number) => 3 * Math.ceil(timeoutMs / 1000) + 10;
