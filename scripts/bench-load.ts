/**
 * `npm run bench:load`: load benchmark on a throw-away copy of the product (the same stack as
 * `npm run bench:sync`: embedded PostgreSQL in a temp dir, `next start` and a worker as child
 * processes, mock receiver in this process). Prints figures and asserts nothing; everything is
 * removed at the end, also on Ctrl-C.
 *
 * Scenarios (run in the order 8, 6, 7):
 *   6  status endpoint: 500 concurrent pollers for 60 s each (autocannon, bench:sync's scenario): closed
 *      loop with full 200 answers, closed loop with If-None-Match (304), and at the modal's pace
 *      (1 poll per 2 s each, 250 requests/s) with full answers
 *   7  burst: 50 syncs of 200 hired candidates started at once across 50 postings, one source, 10 ms answers
 *   8  memory: RSS of web and worker (/proc/<pid>/status) before, during and after 10 runs of 10,000
 *      deliveries (0 ms answers), the run's status polled every 2 s as the progress modal does
 * Results: a summary on stdout and JSON in .data/bench/bench-load-<timestamp>.json.
 *
 * Optional environment (defaults in brackets):
 *   BENCH_LOAD_SCENARIOS=6,7,8   BENCH_LOAD_POLLERS=500   BENCH_LOAD_POLL_SECONDS=60
 *   BENCH_LOAD_BURST_SYNCS=50    BENCH_LOAD_BURST_HIRED=200   BENCH_LOAD_BURST_LATENCY_MS=10
 *   BENCH_LOAD_MEMORY_RUNS=10    BENCH_LOAD_MEMORY_HIRED=10000
 *   BENCH_LOG_LEVEL=warn         LOG_LEVEL of the web and worker processes
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { type MockSource, startMockSource } from '@/scripts/mock-source/server';
import { Api, createPosting, createSources, startSync, waitForRun } from './bench/api';
import { cpuDelta, percentile, round } from './bench/measure';
import { pollStatus } from './bench/status-pollers';
import { root, say, sleep, type Stack, withStack } from './lib/bench-stack';

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive whole number`);
  return v;
};
const SCENARIOS = new Set((process.env.BENCH_LOAD_SCENARIOS ?? '6,7,8').split(',').map((s) => s.trim()));
const POLLERS = int('BENCH_LOAD_POLLERS', 500);
const POLL_SECONDS = int('BENCH_LOAD_POLL_SECONDS', 60);
const BURST = {
  syncs: int('BENCH_LOAD_BURST_SYNCS', 50),
  hired: int('BENCH_LOAD_BURST_HIRED', 200),
  latencyMs: int('BENCH_LOAD_BURST_LATENCY_MS', 10),
};
const MEMORY = { runs: int('BENCH_LOAD_MEMORY_RUNS', 10), hired: int('BENCH_LOAD_MEMORY_HIRED', 10_000) };
const TERMINAL = ['completed', 'partially_failed', 'failed', 'cancelled'];

const summary = (values: number[]) => ({
  p50: percentile(values, 50),
  p99: percentile(values, 99),
  max: Math.max(...values),
});

/** Resident memory in MB of a process and its descendants, from /proc (Linux only). */
function rssMb(pid: number): number {
  let kb = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
      for (const task of readdirSync(`/proc/${p}/task`)) {
        const children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim();
        if (children) stack.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // the process ended meanwhile
    }
  }
  return round(kb / 1024, 1);
}

function memory(stack: Stack): { web: number; worker: number } {
  const pids = stack.pids();
  return { web: rssMb(pids.web), worker: rssMb(pids.worker1) };
}

/** bench:sync's poller scenario at 500 connections: closed loop 200 and 304, then the modal's pace. */
async function scenarioPollers(api: Api, stack: Stack, mock: MockSource) {
  const [sourceId] = await createSources(api, stack, mock.url, ['poll'], 8, true);
  const taskId = await startSync(api, await createPosting(api, 20), [sourceId]);
  await waitForRun(api, taskId, 200);
  const webBefore = memory(stack).web;
  const { variants } = await pollStatus(api, stack, taskId, { pollers: POLLERS, seconds: POLL_SECONDS });
  return {
    // The per-statement database figures are bench:sync's business; here the request figures suffice.
    variants: variants.map(({ db_statements, ...v }) => v),
    web_rss_mb: { before: webBefore, after: memory(stack).web },
  };
}

async function scenarioBurst(api: Api, stack: Stack, mock: MockSource) {
  const [sourceId] = await createSources(api, stack, mock.url, ['burst'], 16, true);
  say(`burst: creating ${BURST.syncs} postings of ${BURST.hired} hired candidates`);
  const slugs: string[] = [];
  for (let i = 0; i < BURST.syncs; i++) slugs.push(await createPosting(api, BURST.hired));
  mock.reset();
  mock.configure({ path: '/burst', latency_ms: BURST.latencyMs });
  await sleep(1000);
  const cpuBefore = stack.cpu();
  const t0 = Date.now();
  const posts = await Promise.all(
    slugs.map(async (slug) => {
      const started = Date.now();
      const taskId = await startSync(api, slug, [sourceId]);
      return { taskId, ms: Date.now() - started };
    }),
  );
  const ids = posts.map((p) => p.taskId);
  const deadline = Date.now() + 900_000;
  let runs: { id: string; status: string; total: number; succeeded: number; created_at: Date; finished_at: Date }[];
  for (;;) {
    runs = await stack.db
      .selectFrom('sync_runs')
      .select(['id', 'status', 'total', 'succeeded', 'created_at', 'finished_at'])
      .where('id', 'in', ids)
      .execute()
      .then((rows) => rows.map((r) => ({ ...r, finished_at: r.finished_at! })));
    if (runs.every((r) => TERMINAL.includes(r.status))) break;
    if (Date.now() > deadline) throw new Error('the burst did not finish within 15 minutes');
    await sleep(250);
  }
  const lastFinished = Math.max(...runs.map((r) => r.finished_at.getTime()));
  const seconds = (lastFinished - t0) / 1000;
  const stats = mock.stats().by_path['/burst'];
  const expected = BURST.syncs * BURST.hired;
  const row = {
    syncs: BURST.syncs,
    hired_each: BURST.hired,
    latency_ms: BURST.latencyMs,
    max_concurrency: 16,
    post_ms: summary(posts.map((p) => p.ms)),
    seconds_until_all_finished: round(seconds, 2),
    deliveries_per_s: Math.round(expected / seconds),
    run_seconds: summary(runs.map((r) => (r.finished_at.getTime() - r.created_at.getTime()) / 1000)),
    runs_completed: runs.filter((r) => r.status === 'completed').length,
    runs_with_exact_counts: runs.filter((r) => r.total === BURST.hired && r.succeeded === BURST.hired).length,
    receiver: {
      requests: stats.total_requests,
      unique_deliveries: stats.unique_deliveries,
      duplicates: stats.duplicates,
      max_in_flight: stats.max_in_flight,
    },
    counts_correct:
      runs.length === BURST.syncs &&
      runs.every((r) => r.status === 'completed' && r.total === BURST.hired && r.succeeded === BURST.hired) &&
      stats.unique_deliveries === expected &&
      stats.duplicates === 0,
    cpu_seconds: cpuDelta(cpuBefore, stack.cpu()),
  };
  say(
    `burst: ${row.syncs} syncs x ${row.hired_each}: all finished in ${row.seconds_until_all_finished} s ` +
      `(${row.deliveries_per_s} deliveries/s), POST p50 ${row.post_ms.p50} ms max ${row.post_ms.max} ms, ` +
      `completed ${row.runs_completed}/${row.syncs}, receiver unique ${stats.unique_deliveries}/${expected}, ` +
      `duplicates ${stats.duplicates}, counts correct: ${row.counts_correct}`,
  );
  return row;
}

async function scenarioMemory(api: Api, stack: Stack, mock: MockSource) {
  const [sourceId] = await createSources(api, stack, mock.url, ['mem'], 32, true);
  say(`memory: creating ${MEMORY.runs} postings of ${MEMORY.hired} hired candidates`);
  const slugs: string[] = [];
  for (let i = 0; i < MEMORY.runs; i++) slugs.push(await createPosting(api, MEMORY.hired));
  await sleep(10_000);
  const before = memory(stack);
  const samples: { t: number; web: number; worker: number }[] = [];
  const t0 = Date.now();
  const sampler = setInterval(() => samples.push({ t: round((Date.now() - t0) / 1000, 1), ...memory(stack) }), 1000);
  const afterRun: { run: number; seconds: number; status: string; web: number; worker: number }[] = [];
  try {
    for (const [i, slug] of slugs.entries()) {
      mock.reset();
      const { body } = await waitForRun(api, await startSync(api, slug, [sourceId]), 2000, 900_000);
      const row = {
        run: i + 1,
        seconds: round((Date.parse(body.finished_at!) - Date.parse(body.created_at)) / 1000, 1),
        status: `${body.status} ${body.progress.succeeded}/${body.progress.total}`,
        ...memory(stack),
      };
      afterRun.push(row);
      say(`memory: run ${row.run} ${row.status} in ${row.seconds} s; RSS web ${row.web} MB, worker ${row.worker} MB`);
    }
    await sleep(15_000);
  } finally {
    clearInterval(sampler);
  }
  const after = memory(stack);
  const half = Math.floor(afterRun.length / 2) - 1;
  const growth = (key: 'web' | 'worker') => ({
    first_half_mb: round(afterRun[half][key] - before[key], 1),
    second_half_mb: round(afterRun[afterRun.length - 1][key] - afterRun[half][key], 1),
  });
  const row = {
    runs: MEMORY.runs,
    deliveries: MEMORY.runs * MEMORY.hired,
    rss_mb: {
      before,
      peak: {
        web: Math.max(...samples.map((s) => s.web)),
        worker: Math.max(...samples.map((s) => s.worker)),
      },
      after_idle_15s: after,
    },
    growth: { web: growth('web'), worker: growth('worker') },
    after_each_run: afterRun,
    samples,
  };
  say(
    `memory: ${row.deliveries} deliveries; RSS MB before/peak/after web ${before.web}/${row.rss_mb.peak.web}/${after.web}, ` +
      `worker ${before.worker}/${row.rss_mb.peak.worker}/${after.worker}; growth over runs 1-${half + 1} vs ` +
      `${half + 2}-${afterRun.length}: web ${row.growth.web.first_half_mb}/${row.growth.web.second_half_mb} MB, ` +
      `worker ${row.growth.worker.first_half_mb}/${row.growth.worker.second_half_mb} MB`,
  );
  return row;
}

async function main(): Promise<void> {
  if (!existsSync('/proc/self/status')) throw new Error('bench:load reads memory from /proc: Linux only');
  const started = Date.now();
  // The memory scenario keeps its receiver small by resetting it between runs.
  const mockOptions = { maxRequests: BURST.syncs * BURST.hired + 1000, maxStoredBytes: 2 ** 29 };
  await withStack({ workers: 1 }, async (stack) => {
    const mock = await startMockSource(mockOptions);
    try {
      const api = new Api(stack.baseUrl, stack.token);
      say(`web ${stack.baseUrl}, mock receiver ${mock.url}`);
      const results: Record<string, unknown> = {};
      // Memory first, so that its "before" is the fresh web and worker processes.
      if (SCENARIOS.has('8')) results.memory = await scenarioMemory(api, stack, mock);
      if (SCENARIOS.has('6')) results.pollers = await scenarioPollers(api, stack, mock);
      if (SCENARIOS.has('7')) results.burst = await scenarioBurst(api, stack, mock);
      const { rows } = await sql<{ status: string; n: number }>`
        select status, count(*)::int as n from sync_deliveries group by status order by status
      `.execute(stack.db);
      results.deliveries_by_status = Object.fromEntries(rows.map((r) => [r.status, r.n]));

      const file = path.join(
        root,
        '.data',
        'bench',
        `bench-load-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
      );
      mkdirSync(path.dirname(file), { recursive: true });
      const machine = {
        cores: os.cpus().length,
        cpu: os.cpus()[0]?.model,
        memory_gb: round(os.totalmem() / 1024 ** 3, 1),
        node: process.versions.node,
        loadavg_at_end: os.loadavg(),
      };
      writeFileSync(
        file,
        `${JSON.stringify(
          {
            started_at: new Date(started).toISOString(),
            duration_seconds: Math.round((Date.now() - started) / 1000),
            machine,
            settings: { pollers: POLLERS, poll_seconds: POLL_SECONDS, burst: BURST, memory: MEMORY },
            results,
          },
          null,
          2,
        )}\n`,
      );
      say(`machine: ${JSON.stringify(machine)}`);
      say(`results written to ${path.relative(root, file)}`);
    } finally {
      await mock.close();
    }
  });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench:load failed: ${err?.stack ?? err}`);
    process.exit(1);
  },
);
