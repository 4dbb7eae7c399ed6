/**
 * 1,000 hired x 3 webhook sources, a receiver answering in 20 ms, max_concurrency 16 each, the
 * sources created 1 s before the sync (as a user who adds sources and syncs at once), the sync
 * started by the seed's POST and followed by polling the status URL every 100 ms from outside.
 * Ideal: 3,000 requests over 48 slots of 20 ms = 1.25 s.
 */
import { say, sleep } from '../lib/bench-stack';
import { createPosting, createSources, deactivateSources, startSync, tag, waitForRun } from './api';
import type { BenchContext } from './context';
import { cpuDelta, limitedBy, machineCpu, median, round } from './measure';
import type { ScenarioResult } from './table';

const CANDIDATES = 1000;
const SOURCES = 3;
const LATENCY_MS = 20;
const CONCURRENCY = 16;
const POLL_MS = 100;
const SOURCE_AGE_MS = 1000;
const IDEAL_S = (CANDIDATES * SOURCES * LATENCY_MS) / 1000 / (CONCURRENCY * SOURCES);

async function oneRound(ctx: BenchContext) {
  const { api, stack, mock } = ctx;
  const slug = await createPosting(api, CANDIDATES);
  mock.reset();
  mock.configure({ latency_ms: LATENCY_MS });
  const prefixes = Array.from({ length: SOURCES }, (_, i) => `cold${tag()}${i}`);
  const sourceIds = await createSources(api, stack, mock.url, prefixes, CONCURRENCY, false);
  await sleep(SOURCE_AGE_MS);
  const cpuBefore = stack.cpu();
  const machine = machineCpu();
  const t0 = Date.now();
  const taskId = await startSync(api, slug, sourceIds);
  const { body, observedAt } = await waitForRun(api, taskId, POLL_MS);
  const cpu = cpuDelta(cpuBefore, stack.cpu());
  const machineShare = machine();
  const received = prefixes.flatMap((p) => mock.requests({ path: `/${p}` }).map((r) => Date.parse(r.received_at)));
  const stats = mock.stats();
  await deactivateSources(api, sourceIds);
  return {
    task_id: taskId,
    status: body.status,
    deliveries: body.progress.total,
    succeeded: body.progress.succeeded,
    observed_s: round((observedAt - t0) / 1000, 3),
    finished_s: round((Date.parse(body.finished_at as string) - t0) / 1000, 3),
    first_delivery_ms: Math.min(...received) - t0,
    max_in_flight: Math.max(...prefixes.map((p) => stats.by_path[`/${p}`]?.max_in_flight ?? 0)),
    duplicates: stats.duplicates,
    cpu_seconds: cpu,
    machine_busy: round(machineShare.busy, 2),
    machine_steal: round(machineShare.steal, 3),
  };
}

export async function runColdStart(ctx: BenchContext): Promise<ScenarioResult> {
  const warm = await oneRound(ctx);
  say(`cold start warm-up (not counted): ${warm.deliveries} deliveries, observed ${warm.observed_s} s`);
  const rounds = [];
  for (let r = 1; r <= ctx.rounds; r++) {
    const x = await oneRound(ctx);
    rounds.push(x);
    say(
      `cold start round ${r}: ${x.status} ${x.succeeded}/${x.deliveries}, observed ${x.observed_s} s (finished_at ${x.finished_s} s), ` +
        `first delivery ${x.first_delivery_ms} ms, max in flight ${x.max_in_flight}, duplicates ${x.duplicates}, cpu ${JSON.stringify(x.cpu_seconds)}`,
    );
  }
  const observed = median(rounds.map((x) => x.observed_s));
  const first = median(rounds.map((x) => x.first_delivery_ms));
  const mid = rounds.find((x) => x.observed_s === observed) ?? rounds[0];
  return {
    key: 'cold',
    title: `1,000 hired x 3 sources at 20 ms, max_concurrency 16, sources 1 s old, polled every 100 ms (median of ${rounds.length})`,
    rows: [
      {
        figure: 'POST -> finished, seen by the poller (s)',
        value: observed,
        against: round(IDEAL_S, 3),
        ratio: round(observed / IDEAL_S, 2),
        target: '<= 1.5x',
        limitedBy: limitedBy(
          mid.cpu_seconds,
          mid.observed_s,
          'receiver latency and slot refills',
          mid.machine_busy,
          mid.machine_steal,
        ),
      },
      {
        figure: 'POST -> first request at a receiver (ms)',
        value: first,
        against: null,
        ratio: null,
        target: '<= 100 ms',
        limitedBy: 'fan-out and queue pick-up',
      },
      {
        figure: 'max in flight per source / duplicates',
        value: `${Math.max(...rounds.map((x) => x.max_in_flight))} / ${Math.max(...rounds.map((x) => x.duplicates))}`,
        against: `${CONCURRENCY} / 0`,
        ratio: null,
        target: '<= limit / 0',
        limitedBy: '',
      },
    ],
    detail: { ideal_seconds: IDEAL_S, warm_up: warm, rounds },
  };
}
