import type { SourceConnector } from '@/db/types';
import { findConnectorModule } from './connectors/registry';

type JobSource = { connector: SourceConnector; batchSize: number; maxConcurrency: number };

/**
 * Candidates per delivery job. A batch API sends the job as one request of batch_size candidates.
 * A per-record connector's job holds up to batch_size candidates, sent side by side within the source's slots
 * (max_concurrency), but never more than three times max_concurrency (see deliverFetchPlan).
 * Jobs larger than max_concurrency matter with many small sources: every job costs a fetch, a
 * claim, a record and a completion whatever its size, and 200 sources at max_concurrency 4 spent
 * 3.2 commits per delivery on jobs of 4 (measured with BENCH_PG_STATEMENTS).
 */
export function deliverJobSize(source: JobSource): number {
  const perRequest = itemsPerRequest(source);
  return perRequest > 1 ? perRequest : Math.max(1, Math.min(source.batchSize, 3 * source.maxConcurrency));
}

/** Candidates the source's slots take at once: max_concurrency requests of a request's candidates each. */
export function candidatesFillingSlots(source: JobSource): number {
  return source.maxConcurrency * itemsPerRequest(source);
}

/** Candidates per request, as the source's connector sends them (an unknown one: one each, failed one by one). */
function itemsPerRequest(source: { connector: SourceConnector; batchSize: number }): number {
  return findConnectorModule(source.connector)?.itemsPerRequest(source) ?? 1;
}

/**
 * A worker holds at most this many times a source's max_concurrency of its deliveries (claimed,
 * waiting for a slot or in flight); claimStaleSeconds follows from it.
 */
export const HOLD_FACTOR = 5;

/**
 * A source answers fast when the slowest request of each of its last few batches took at most this
 * long. A worker then holds up to FAST_HOLD_FACTOR times its max_concurrency: at that speed it
 * sends them all within FAST_HOLD_FACTOR x FAST_ANSWER_MS (2.5 s), far inside the lease
 * (claimStaleSeconds, at least 15 s, and renewed while a batch waits), and each fetch, claim,
 * record and completion covers more deliveries (those per-batch statements were a third of the CPU
 * of a 10,000 x 1 run at 0 ms at 2 x max_concurrency, and a tenth at 5 x).
 */
export const FAST_ANSWER_MS = 250;
export const FAST_HOLD_FACTOR = 10;

/**
 * How the worker takes a source's jobs. A source whose job already fills its slots (most webhook
 * sources with a small max_concurrency) gets one fetch loop taking two jobs at a time when they fit
 * in HOLD_FACTOR times max_concurrency: each fetch, claim, record and completion then covers twice
 * the deliveries, and with many such sources those per-batch statements are most of the
 * database's work. Other sources get enough jobs to hold about twice as many requests as
 * max_concurrency (at most three times) in two fetch loops: while one loop records its batch and
 * fetches the next, the other's requests fill the slots (measured: 20 per batch cost a third less
 * database time per delivery than 10). A source that answers fast gets nine to ten times
 * max_concurrency in three loops: its requests take less time than a batch's statements, so two
 * loops left the CPU idle while both waited for the database.
 */
export function deliverFetchPlan(source: JobSource, { fast = false }: { fast?: boolean } = {}) {
  const c = source.maxConcurrency;
  const requestsPerJob = itemsPerRequest(source) > 1 ? 1 : deliverJobSize(source);
  if (requestsPerJob >= c) {
    return { loops: 1, batchSize: Math.max(1, Math.min(2, Math.floor((HOLD_FACTOR * c) / requestsPerJob))) };
  }
  const [least, most] = fast ? [FAST_HOLD_FACTOR - 1, FAST_HOLD_FACTOR] : [2, 3];
  const jobs = Math.max(1, Math.min(Math.ceil((least * c) / requestsPerJob), Math.floor((most * c) / requestsPerJob)));
  const loops = Math.min(jobs, fast ? 3 : 2);
  const perLoop = Math.ceil(jobs / loops);
  const fits = loops * perLoop * requestsPerJob <= most * c;
  return { loops, batchSize: fits ? perLoop : Math.max(1, Math.floor(jobs / loops)) };
}

/**
 * A worker holds at most HOLD_FACTOR times a source's max_concurrency of its deliveries (see
 * deliverFetchPlan), so a claimed delivery is sent within that many of the source's timeouts (of a
 * source answering fast, up to FAST_HOLD_FACTOR times, sent within seconds). A claim older than
 * that belongs to a worker that died or lost its database connection; a batch that waits longer
 * renews its claim (ClaimLease).
 */
export const claimStaleSeconds = (timeoutMs: number) => HOLD_FACTOR * Math.ceil(timeoutMs / 1000) + 10;
