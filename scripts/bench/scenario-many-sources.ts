/**
 * 200 active webhook sources (known to the worker), one sync of 100 hired candidates to all of
 * them: 20,000 deliveries at the lean receiver (0 ms). The ideal is the larger of two bounds: the
 * same 20,000 deliveries at the 10,000 x 1 rate measured in this run (the engine's cost per
 * delivery does not depend on the number of sources), and the per-source latency bound (100
 * requests per source over its slots: 0 at a 0 ms receiver). Worker memory and the database's
 * connections are sampled during the run; neither may grow with the number of sources.
 */
import { getEnv } from '@/lib/env';
import { say } from '../lib/bench-stack';
import { createPosting, createSources, deactivateSources, tag } from './api';
import { type BenchContext, int } from './context';
import { limitedBy, round, rssMiB, samplePeaks } from './measure';
import { timedLeanSync } from './scenario-throughput';
import type { ScenarioResult } from './table';

const SOURCES = int('BENCH_MANY_SOURCES', 200);
const CANDIDATES = 100;
const CONCURRENCY = 4;
const LATENCY_MS = 0;
/** A worker's memory budget with 200 sources: well under what a small container gives a process. */
const WORKER_RSS_BOUND_MIB = 512;

export async function runManySources(ctx: BenchContext): Promise<ScenarioResult> {
  const prefix = `ms${tag()}`;
  const workerPids = () => Object.entries(ctx.stack.pids()).filter(([name]) => name.startsWith('worker'));
  const idleRss = Math.max(...workerPids().map(([, pid]) => rssMiB(pid)));
  const sourceIds = await createSources(
    ctx.api,
    ctx.stack,
    ctx.lean.url,
    Array.from({ length: SOURCES }, (_, i) => `${prefix}-${i}`),
    CONCURRENCY,
    true,
  );
  // To every active source: the other scenarios deactivate theirs when they end.
  const warm = await timedLeanSync(ctx, await createPosting(ctx.api, CANDIDATES), null);
  say(`${SOURCES} sources warm-up (not counted): ${warm.deliveries} deliveries in ${warm.seconds} s`);
  const peaks = samplePeaks(ctx.stack);
  const x = await timedLeanSync(ctx, await createPosting(ctx.api, CANDIDATES), null, 'delivery');
  const peak = await peaks.stop();
  await deactivateSources(ctx.api, sourceIds);
  say(
    `${SOURCES} sources: ${x.status} ${x.succeeded}/${x.deliveries} in ${x.seconds} s (${x.deliveries_per_s}/s), ` +
      `worker RSS idle ${idleRss} MiB peak ${peak.worker_rss_mib} MiB, db connections peak ${peak.db_connections} ${JSON.stringify(peak.db_connections_by_app)}`,
  );

  const rate = (ctx.results.get('throughput')?.detail.rate_per_s as number | undefined) ?? null;
  const rateBound = rate ? x.deliveries / rate : 0;
  const latencyBound = (CANDIDATES * LATENCY_MS) / 1000 / CONCURRENCY;
  const ideal = Math.max(rateBound, latencyBound);
  const env = getEnv();
  // Each process's own pool plus its pg-boss pool (lib/queue/boss.ts: 2 in the web, 10 in a worker).
  const connectionBound = env.DB_POOL_MAX + 2 + ctx.stack.workers() * (env.DB_POOL_MAX + 10);
  return {
    key: 'many-sources',
    title: `${SOURCES} active sources, one sync of ${CANDIDATES} hired to all (${x.deliveries} deliveries at 0 ms, max_concurrency ${CONCURRENCY})`,
    rows: [
      {
        figure: 'POST -> finished_at (s)',
        value: x.seconds,
        against: ideal ? round(ideal, 3) : 'needs 10k x 1',
        ratio: ideal ? round(x.seconds / ideal, 2) : null,
        target: '<= 2x',
        limitedBy: limitedBy(
          x.cpu_seconds,
          x.seconds,
          'per-source queues and pick-up',
          x.machine_busy,
          x.machine_steal,
        ),
      },
      {
        figure: 'worker RSS peak (MiB; idle before the sources)',
        value: peak.worker_rss_mib,
        against: idleRss,
        ratio: round(peak.worker_rss_mib / WORKER_RSS_BOUND_MIB, 2),
        target: `<= ${WORKER_RSS_BOUND_MIB} MiB`,
        limitedBy: '',
      },
      {
        figure: 'database connections peak (pg_stat_activity)',
        value: peak.db_connections,
        against: connectionBound,
        ratio: round(peak.db_connections / connectionBound, 2),
        target: '<= pools',
        limitedBy: Object.entries(peak.db_connections_by_app)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      },
    ],
    detail: {
      ideal_seconds: ideal,
      rate_bound_seconds: rateBound,
      latency_bound_seconds: latencyBound,
      idle_rss_mib: idleRss,
      peak,
      warm_up: warm,
      run: x,
    },
  };
}
