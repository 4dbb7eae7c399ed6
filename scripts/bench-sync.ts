/**
 * `npm run bench:sync`: benchmark of the sync engine on a throw-away copy of the product. Prints
 * figures and asserts nothing. It starts its own embedded PostgreSQL (temp dir, free port), applies
 * the migrations, builds the web app when the build is not current, runs `next start` and the worker
 * as child processes like `npm start`, creates an admin token and then drives everything over the
 * HTTP API against mock receivers in this process. Everything is removed at the end, also on Ctrl-C.
 *
 * Scenarios:
 *   1  latency-bound: 1,000 hired x 3 webhook sources, 20 ms answers, max_concurrency 16 each
 *   2  throughput-bound: 10,000 hired x 1 source, 0 ms answers
 *   3  status endpoint under 200 concurrent pollers (autocannon), 200 and 304 (If-None-Match) paths
 *   4  pick-up latency: 50 sequential single-candidate syncs, POST -> first request at the receiver
 *   1w scenario 1 again with BENCH_MULTI_WORKERS worker processes
 * Scenarios 1, 2 and 1w start with one warm-up run of the same size: printed, not counted.
 * Results: a table on stdout and JSON in .data/bench/bench-sync-<timestamp>.json.
 *
 * Optional environment (all have defaults):
 *   BENCH_ROUNDS=3            rounds of scenarios 1, 2 and 1w (best and median are reported)
 *   BENCH_S2_CONCURRENCY=32   max_concurrency of the scenario-2 source (1-64)
 *   BENCH_POLLERS=200         autocannon connections;  BENCH_POLL_SECONDS=12  duration of each variant
 *   BENCH_PICKUPS=50          syncs in scenario 4
 *   BENCH_MULTI_WORKERS=2     workers for scenario 1w (0 skips it)
 *   BENCH_SCENARIOS=1,2,3,4,1w  which scenarios to run
 *   BENCH_LOG_LEVEL=warn      LOG_LEVEL of the web and worker processes
 * Diagnostics (why a figure is what it is):
 *   BENCH_PG_STATEMENTS=1     pg_stat_statements (loaded at start): statement time, calls per delivery, commits, WAL
 *   BENCH_ACTIVITY=1          pg_stat_activity sampled every 10 ms: what the connections wait on (off by default: it costs CPU)
 *   BENCH_PG_SETTINGS=a=b,..  PostgreSQL settings for experiments, e.g. synchronous_commit=off
 *   BENCH_CPU_PROF=<dir>      V8 CPU profiles of the web and worker processes (written when they stop)
 * CPU per delivery is measured per process from /proc (web, worker<n>, postgres with all its
 * backends, bench = this process: the mock receivers, status polling and autocannon). The machine is
 * shared: compare rounds by CPU per delivery and the CPU-bound ceiling, which load barely moves.
 * Needs nothing but `npm ci`; builds the web app first when the build is not current (~1 min).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { MockSource } from '@/scripts/mock-source/server';
import type { RunStatus } from '@/lib/sync/schemas';
import {
  type ActivityReport,
  formatActivity,
  formatStatements,
  measureStatements,
  sampleActivity,
} from './lib/bench-activity';
import { type CpuSnapshot, root, say, sleep, type Stack, waitForQueues, withStack } from './lib/bench-stack';

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 0) throw new Error(`${name} must be a whole number`);
  return v;
};
const ROUNDS = Math.max(1, int('BENCH_ROUNDS', 3));
const S2_CONCURRENCY = Math.min(64, Math.max(1, int('BENCH_S2_CONCURRENCY', 32)));
const POLLERS = Math.max(1, int('BENCH_POLLERS', 200));
const POLL_SECONDS = Math.max(1, int('BENCH_POLL_SECONDS', 12));
const PICKUPS = Math.max(1, int('BENCH_PICKUPS', 50));
const MULTI_WORKERS = int('BENCH_MULTI_WORKERS', 2);
const ACTIVITY = process.env.BENCH_ACTIVITY === '1';
const SCENARIOS = new Set((process.env.BENCH_SCENARIOS ?? '1,2,3,4,1w').split(',').map((s) => s.trim()));

const S1 = { candidates: 1000, sources: 3, latencyMs: 20, concurrency: 16 };
const S2 = { candidates: 10_000, latencyMs: 0 };
// The progress modal's pace: the figures come from the run's finished_at, not from when a poll sees it.
const RUN_POLL_MS = 2000;
const TERMINAL = new Set(['completed', 'partially_failed', 'failed', 'cancelled']);

type AutocannonResult = {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
};
// autocannon ships no types; this is the part of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  overallRate?: number;
}) => Promise<AutocannonResult>;

export class Api {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; data: T }> {
    const res = await fetch(new URL(path, this.base), {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
    return { status: res.status, headers: res.headers, data: (text ? JSON.parse(text) : null) as T };
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const median = (values: number[]) => percentile(values, 50);
export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(after)) {
    if (before[name] !== undefined) out[name] = round(value - before[name]);
  }
  return out;
}

/**
 * CPU milliseconds per delivery by process, and the rate the machine could reach if nothing but CPU
 * limited it (all cores busy with this work alone): robust to noise from other load on the machine.
 */
function cpuPerDelivery(cpu: Record<string, number>, deliveries: number) {
  const perDelivery = Object.fromEntries(
    Object.entries(cpu).map(([name, seconds]) => [name, round((seconds * 1000) / deliveries, 3)]),
  );
  const total = Object.values(perDelivery).reduce((n, ms) => n + ms, 0);
  return {
    cpu_ms_per_delivery: { ...perDelivery, total: round(total, 3) },
    cpu_bound_deliveries_per_s: Math.round((os.cpus().length * 1000) / total),
  };
}

let uniq = 0;
const tag = () => `${Date.now().toString(36)}${(uniq++).toString(36)}`;

export async function createSources(
  api: Api,
  stack: Stack,
  mock: MockSource,
  prefixes: string[],
  maxConcurrency: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (const prefix of prefixes) {
    const { data } = await api.call<{ id: string }>('POST', '/api/v1/sources', {
      name: `bench ${prefix} ${tag()}`,
      connector: 'generic_webhook',
      base_url: mock.url,
      sync_endpoint: `/${prefix}/hired`,
      max_concurrency: maxConcurrency,
      timeout_ms: 15_000,
      max_attempts: 3,
    });
    ids.push(data.id);
  }
  // Sources exist long before a real sync: wait until every worker delivers to them (reconcile every 3 s).
  await waitForQueues(
    stack.db,
    ids.map((id) => `sync-deliver/${id}`),
  );
  await sleep(3500);
  return ids;
}

async function deactivateSources(api: Api, ids: string[]): Promise<void> {
  for (const id of ids) await api.call('PATCH', `/api/v1/sources/${id}`, { is_active: false });
}

export async function createPosting(api: Api, hired: number): Promise<string> {
  const t = tag();
  const { data: job } = await api.call<{ slug: string }>('POST', '/api/v1/jobs', {
    title: `Bench ${t}`,
    department: 'Benchmark',
  });
  for (let offset = 0; offset < hired; offset += 1000) {
    const candidates = Array.from({ length: Math.min(1000, hired - offset) }, (_, i) => {
      const n = offset + i;
      return {
        first_name: `Bench${n}`,
        last_name: `Hired${n % 97}`,
        email: `bench-${t}-${n}@example.test`,
        phone: `+1 555 ${String(n).padStart(6, '0')}`,
        stage: 'hired',
      };
    });
    await api.call('POST', `/api/v1/jobs/${job.slug}/candidates`, { candidates });
  }
  return job.slug;
}

export async function startSync(api: Api, slug: string, sourceIds: string[]): Promise<string> {
  const { status, data } = await api.call<{ task_id: string; deduplicated: boolean }>(
    'POST',
    `/recruitment/jobs/${slug}/sync-hired-candidates/`,
    { source_ids: sourceIds },
  );
  if (status !== 202 || data.deduplicated) throw new Error(`sync of ${slug} was not started: ${JSON.stringify(data)}`);
  return data.task_id;
}

/** Polls the status endpoint the way the progress modal does, with If-None-Match. */
export async function waitForRun(api: Api, taskId: string, intervalMs: number, timeoutMs = 300_000) {
  const url = `/recruitment/sync/task/${taskId}/status/`;
  const deadline = Date.now() + timeoutMs;
  let etag: string | null = null;
  let body: RunStatus | null = null;
  for (;;) {
    const res: { status: number; headers: Headers; data: RunStatus | null } = await api.call<RunStatus | null>(
      'GET',
      url,
      undefined,
      etag ? { 'if-none-match': etag } : {},
    );
    if (res.status === 200) {
      body = res.data;
      etag = res.headers.get('etag');
    }
    if (body && TERMINAL.has(body.status)) return { body, etag: etag!, observedAt: Date.now() };
    if (Date.now() > deadline) throw new Error(`run ${taskId} did not finish within ${timeoutMs / 1000} s`);
    await sleep(intervalMs);
  }
}

function receiverWindow(mock: MockSource, prefix: string) {
  const times = mock.requests({ path: `/${prefix}` }).map((r) => Date.parse(r.received_at));
  return { count: times.length, first: Math.min(...times), last: Math.max(...times) };
}

export async function scenarioSyncRun(
  api: Api,
  stack: Stack,
  mock: MockSource,
  opts: {
    label: string;
    candidates: number;
    prefixes: string[];
    concurrency: number;
    latencyMs: number;
    rounds?: number;
    /** For A/B experiments: changes something before each round and names the variant. */
    beforeRound?: (round: number) => Promise<string>;
  },
) {
  const sourceIds = await createSources(api, stack, mock, opts.prefixes, opts.concurrency);
  // A warm-up run of the same size first, not counted, so that no round pays for the first request
  // to a route, connection pools, the source's HTTP agent or unoptimised code (V8 and PostgreSQL
  // both get faster over the first thousands of deliveries): a server in use is warm.
  const warmSlug = await createPosting(api, opts.candidates);
  mock.configure({ latency_ms: opts.latencyMs });
  const warmStart = Date.now();
  const warm = await waitForRun(api, await startSync(api, warmSlug, sourceIds), RUN_POLL_MS);
  say(
    `${opts.label} warm-up (not counted): ${warm.body.progress.total} deliveries in ` +
      `${((Date.parse(warm.body.finished_at!) - warmStart) / 1000).toFixed(3)} s`,
  );
  const rounds: Record<string, unknown>[] = [];
  let lastTaskId = '';
  for (let r = 1; r <= (opts.rounds ?? ROUNDS); r++) {
    const variant = (await opts.beforeRound?.(r)) ?? null;
    const slug = await createPosting(api, opts.candidates);
    mock.reset();
    mock.configure({ latency_ms: opts.latencyMs });
    await sleep(500);
    const cpuBefore = stack.cpu();
    const statements = await measureStatements(stack.db, stack.pgStatements);
    const sampler = ACTIVITY ? sampleActivity(stack.db) : undefined;
    const t0 = Date.now();
    const taskId = await startSync(api, slug, sourceIds);
    const postMs = Date.now() - t0;
    const { body, observedAt } = await waitForRun(api, taskId, RUN_POLL_MS);
    const cpu = cpuDelta(cpuBefore, stack.cpu());
    const activity: ActivityReport | undefined = await sampler?.stop();
    const database = await statements.stop();
    lastTaskId = taskId;
    const finished = Date.parse(body.finished_at!);
    const deliveries = body.progress.total;
    const seconds = (finished - t0) / 1000;
    const windows = opts.prefixes.map((p) => receiverWindow(mock, p));
    const first = Math.min(...windows.map((w) => w.first));
    const last = Math.max(...windows.map((w) => w.last));
    const received = windows.reduce((n, w) => n + w.count, 0);
    const stats = mock.stats();
    const perSource = opts.prefixes.map((p) => ({
      path: `/${p}`,
      requests: stats.by_path[`/${p}`]?.total_requests ?? 0,
      max_in_flight: stats.by_path[`/${p}`]?.max_in_flight ?? 0,
      duplicates: stats.by_path[`/${p}`]?.duplicates ?? 0,
    }));
    const idealSeconds = (deliveries * opts.latencyMs) / 1000 / (opts.concurrency * opts.prefixes.length);
    const row = {
      round: r,
      variant,
      task_id: taskId,
      status: body.status,
      deliveries,
      succeeded: body.progress.succeeded,
      failed: body.progress.failed,
      received,
      seconds: round(seconds, 3),
      observed_seconds: round((observedAt - t0) / 1000, 3),
      deliveries_per_s: Math.round(deliveries / seconds),
      post_ms: postMs,
      fan_out_ms: first - t0,
      receiver_seconds: round((last - first) / 1000, 3),
      receiver_deliveries_per_s: last > first ? Math.round(received / ((last - first) / 1000)) : null,
      tail_ms: finished - last,
      ideal_seconds: opts.latencyMs ? round(idealSeconds, 3) : null,
      ratio_to_ideal: opts.latencyMs ? round(seconds / idealSeconds, 2) : null,
      max_in_flight: Math.max(...perSource.map((s) => s.max_in_flight)),
      duplicates: stats.duplicates,
      per_source: perSource,
      cpu_seconds: cpu,
      ...cpuPerDelivery(cpu, deliveries),
      load_average: round(os.loadavg()[0], 1),
      db_activity: activity,
      db_statements: database,
    };
    rounds.push(row);
    say(
      `${opts.label} round ${r}${variant ? ` [${variant}]` : ''}: ${row.status} ${deliveries} deliveries in ${row.seconds} s (${row.deliveries_per_s}/s` +
        `${row.ratio_to_ideal ? `, ${row.ratio_to_ideal}x ideal` : ''}); receiver ${row.receiver_deliveries_per_s}/s; ` +
        `fan-out ${row.fan_out_ms} ms (POST->202 ${postMs} ms); max in flight ${perSource.map((s) => s.max_in_flight).join('/')}; ` +
        `duplicates ${row.duplicates}; cpu ${JSON.stringify(cpu)}`,
    );
    if (r === 1) {
      for (const line of formatStatements(database, { name: 'delivery', count: deliveries })) say(line);
      if (activity) for (const line of formatActivity(activity)) say(line);
    }
  }
  await deactivateSources(api, sourceIds);
  const secs = rounds.map((x) => x.seconds as number);
  const best = rounds[secs.indexOf(Math.min(...secs))];
  return {
    label: opts.label,
    settings: {
      candidates: opts.candidates,
      sources: opts.prefixes.length,
      max_concurrency: opts.concurrency,
      latency_ms: opts.latencyMs,
      workers: stack.workers(),
    },
    best,
    median_seconds: median(secs),
    rounds,
    lastTaskId,
  };
}

export async function scenarioPollers(
  api: Api,
  stack: Stack,
  taskId: string,
  opts: { pollers: number; seconds: number } = { pollers: POLLERS, seconds: POLL_SECONDS },
) {
  const url = `${stack.baseUrl}/recruitment/sync/task/${taskId}/status/`;
  const { headers } = await api.call('GET', `/recruitment/sync/task/${taskId}/status/`);
  const etag = headers.get('etag')!;
  const variants: Record<string, unknown>[] = [];
  // Closed loop (each connection polls again at once) gives capacity; the last variant offers the
  // load the progress modal makes (one poll per 2 s per open modal) and shows the latency it sees.
  for (const [name, extra, expected, rate] of [
    ['200 (full body)', {}, '200', undefined],
    ['304 (If-None-Match)', { 'if-none-match': etag }, '304', undefined],
    [`200, 1 poll/2 s each (${opts.pollers / 2} req/s)`, {}, '200', opts.pollers / 2],
  ] as const) {
    await sleep(1000);
    const cpuBefore = stack.cpu();
    const statements = await measureStatements(stack.db, stack.pgStatements);
    const started = performance.now();
    const result = await autocannon({
      url,
      connections: opts.pollers,
      duration: opts.seconds,
      headers: { authorization: `Bearer ${stack.token}`, ...extra },
      ...(rate ? { overallRate: rate } : {}),
    });
    const wall = (performance.now() - started) / 1000;
    const database = await statements.stop(6);
    const codes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, Number(v.count)]));
    const unexpected = Object.entries(codes)
      .filter(([code]) => code !== expected)
      .reduce((n, [, c]) => n + c, 0);
    const row = {
      variant: name,
      connections: opts.pollers,
      seconds: round(wall, 1),
      requests: result.requests.total,
      req_per_s: Math.round(result.requests.total / result.duration),
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99,
      max_ms: result.latency.max,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      unexpected_status: unexpected,
      status_codes: codes,
      cpu_seconds: cpuDelta(cpuBefore, stack.cpu()),
      db_statements: database,
    };
    variants.push(row);
    say(
      `pollers ${name}: ${row.req_per_s} req/s p50 ${row.p50_ms} ms p99 ${row.p99_ms} ms errors ${row.errors} ` +
        `codes ${JSON.stringify(codes)} cpu ${JSON.stringify(row.cpu_seconds)}`,
    );
    for (const line of formatStatements(database, { name: 'request', count: result.requests.total })) say(line);
  }
  return { task_id: taskId, variants };
}

/** Timestamps of one single-candidate sync along its way, from the database (same clock as ours). */
async function pickupTimeline(stack: Stack, taskId: string) {
  const { rows } = await sql<{
    run_created: Date;
    run_job_started: Date | null;
    run_started: Date | null;
    deliver_job_created: Date | null;
    deliver_job_started: Date | null;
    claimed: Date | null;
  }>`
    select r.created_at as run_created, r.started_at as run_started,
           (select min(j.started_on) from pgboss.job j where j.name = 'sync-run' and j.data->>'runId' = r.id::text) as run_job_started,
           (select min(j.created_on) from pgboss.job j where j.name like 'sync-deliver/%' and j.data->>'runId' = r.id::text) as deliver_job_created,
           (select min(j.started_on) from pgboss.job j where j.name like 'sync-deliver/%' and j.data->>'runId' = r.id::text) as deliver_job_started,
           (select min(d.started_at) from sync_deliveries d where d.run_id = r.id) as claimed
    from sync_runs r where r.id = ${taskId}
  `.execute(stack.db);
  return rows[0];
}

async function scenarioPickup(api: Api, stack: Stack, mock: MockSource) {
  const prefix = `pick${tag()}`;
  const [sourceId] = await createSources(api, stack, mock, [prefix], 8);
  mock.reset();
  mock.configure({ latency_ms: 0 });
  const slugs: string[] = [];
  for (let i = 0; i < PICKUPS; i++) slugs.push(await createPosting(api, 1));
  const samples: Record<string, number>[] = [];
  for (const slug of slugs) {
    await sleep(100 + Math.random() * 200);
    const before = mock.requests({ path: `/${prefix}` }).length;
    const t0 = Date.now();
    const taskId = await startSync(api, slug, [sourceId]);
    const t202 = Date.now();
    const deadline = t0 + 30_000;
    let received: string | undefined;
    while (!received) {
      const list = mock.requests({ path: `/${prefix}` });
      if (list.length > before) received = list[before].received_at;
      else if (Date.now() > deadline) throw new Error(`no delivery for ${slug} within 30 s`);
      else await sleep(2);
    }
    const { body } = await waitForRun(api, taskId, 20);
    const at = Date.parse(received);
    const t = await pickupTimeline(stack, taskId);
    const since = (d: Date | null) => (d ? new Date(d).getTime() - t0 : Number.NaN);
    samples.push({
      pickup: at - t0,
      post_202: t202 - t0,
      after_202: at - t202,
      run_inserted: since(t.run_created),
      fan_out_job_fetched: since(t.run_job_started),
      fan_out_done: since(t.run_started),
      delivery_job_fetched: since(t.deliver_job_started),
      claimed: since(t.claimed),
      received: at - t0,
      run_finished: Date.parse(body.finished_at!) - t0,
    });
  }
  await deactivateSources(api, [sourceId]);
  const summary = (key: string) => {
    const v = samples.map((s) => s[key]).filter((n) => Number.isFinite(n));
    return { p50: percentile(v, 50), p95: percentile(v, 95), max: Math.max(...v), min: Math.min(...v) };
  };
  const result = {
    syncs: samples.length,
    pickup_ms: summary('pickup'),
    post_202_ms: summary('post_202'),
    after_202_ms: summary('after_202'),
    run_finished_ms: summary('run_finished'),
    /** Milliseconds after the POST was sent at which each step happened (database timestamps). */
    timeline_ms: Object.fromEntries(
      [
        'run_inserted',
        'post_202',
        'fan_out_job_fetched',
        'fan_out_done',
        'delivery_job_fetched',
        'claimed',
        'received',
        'run_finished',
      ].map((k) => [k, summary(k)]),
    ),
    samples: samples.map((s) => s.pickup),
  };
  say(
    `pick-up: p50 ${result.pickup_ms.p50} ms p95 ${result.pickup_ms.p95} ms max ${result.pickup_ms.max} ms ` +
      `(POST->202 p50 ${result.post_202_ms.p50} ms, 202->receiver p50 ${result.after_202_ms.p50} ms)`,
  );
  return result;
}

const med2 = (s: any, pick: (round: any) => number) => round(median(s.rounds.map(pick)), 3);

function printTable(results: Record<string, any>): void {
  const lines: string[] = [];
  const row = (...cells: (string | number | null | undefined)[]) =>
    lines.push(
      cells
        .map((c, i) => String(c ?? '-')[i === 0 ? 'padEnd' : 'padStart'](i === 0 ? 44 : 14))
        .join(' ')
        .trimEnd(),
    );
  lines.push('', `ATS Sync — sync engine benchmark (${os.cpus().length} cores, Node ${process.versions.node})`, '');
  for (const key of ['s1', 's2', 's1w']) {
    const s = results[key];
    if (!s) continue;
    const b = s.best;
    lines.push(
      `${s.label}: ${s.settings.candidates} hired x ${s.settings.sources} source(s), max_concurrency ${s.settings.max_concurrency}, ` +
        `latency ${s.settings.latency_ms} ms, ${s.settings.workers} worker(s), ${s.rounds.length} round(s)`,
    );
    row('', 'best', 'median');
    const med = (k: string) => median(s.rounds.map((x: any) => x[k]));
    row('  seconds (POST -> finished_at)', b.seconds, med('seconds'));
    row('  deliveries/s incl. fan-out', b.deliveries_per_s, med('deliveries_per_s'));
    row('  deliveries/s at the receiver (first->last)', b.receiver_deliveries_per_s, med('receiver_deliveries_per_s'));
    row('  fan-out: POST -> first delivery (ms)', b.fan_out_ms, med('fan_out_ms'));
    row('  last delivery -> finished_at (ms)', b.tail_ms, med('tail_ms'));
    if (b.ideal_seconds) {
      row('  ideal seconds', b.ideal_seconds, b.ideal_seconds);
      row('  ratio to ideal (target <= 1.5)', b.ratio_to_ideal, med('ratio_to_ideal'));
    }
    row(
      '  max in flight per source (limit)',
      `${b.max_in_flight} (${s.settings.max_concurrency})`,
      med('max_in_flight'),
    );
    row('  duplicates (must be 0)', b.duplicates, Math.max(...s.rounds.map((x: any) => x.duplicates)));
    row('  succeeded / failed', `${b.succeeded}/${b.failed}`, '');
    const cpuMs = (x: any) => x.cpu_ms_per_delivery;
    row(
      '  CPU ms per delivery, all processes',
      cpuMs(b).total,
      med2(s, (x) => cpuMs(x).total),
    );
    for (const proc of Object.keys(cpuMs(b)).filter((k) => k !== 'total'))
      row(
        `    ${proc}`,
        cpuMs(b)[proc],
        med2(s, (x) => cpuMs(x)[proc]),
      );
    row(
      `  CPU-bound ceiling, deliveries/s (${os.cpus().length} cores)`,
      b.cpu_bound_deliveries_per_s,
      med('cpu_bound_deliveries_per_s'),
    );
    row('  load average (1 min) at the end', b.load_average, med('load_average'));
    lines.push(`  all rounds (s): ${s.rounds.map((x: any) => x.seconds).join(', ')}`, '');
  }
  if (results.s3) {
    lines.push(`Scenario 3 — status endpoint, ${POLLERS} concurrent pollers, ${POLL_SECONDS} s each (autocannon)`);
    row('  variant', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'unexpected');
    for (const v of results.s3.variants)
      row(`  ${v.variant}`, v.req_per_s, v.p50_ms, v.p99_ms, v.errors, v.non2xx, v.unexpected_status);
    lines.push('');
  }
  if (results.s4) {
    const p = results.s4;
    lines.push(`Scenario 4 — pick-up latency, ${p.syncs} sequential single-candidate syncs`);
    row('  ms', 'p50', 'p95', 'max');
    row('  POST sent -> first request at receiver', p.pickup_ms.p50, p.pickup_ms.p95, p.pickup_ms.max);
    row('  of which POST -> 202', p.post_202_ms.p50, p.post_202_ms.p95, p.post_202_ms.max);
    row('  of which 202 -> receiver', p.after_202_ms.p50, p.after_202_ms.p95, p.after_202_ms.max);
    row('  POST -> run finished_at', p.run_finished_ms.p50, p.run_finished_ms.p95, p.run_finished_ms.max);
    lines.push('  timeline (ms after the POST was sent; database timestamps)');
    for (const [step, v] of Object.entries(p.timeline_ms) as [string, any][]) row(`    ${step}`, v.p50, v.p95, v.max);
    lines.push('');
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const started = Date.now();
  await withStack({ workers: 1, mock: { maxRequests: 60_000, maxStoredBytes: 2 ** 29 } }, async (stack, mock) => {
    const api = new Api(stack.baseUrl, stack.token);
    say(`web ${stack.baseUrl}, mock receiver ${mock.url}, ${stack.workers()} worker`);
    const results: Record<string, any> = {};

    if (SCENARIOS.has('1') || SCENARIOS.has('3')) {
      results.s1 = await scenarioSyncRun(api, stack, mock, {
        label: 'Scenario 1 — latency-bound',
        candidates: S1.candidates,
        prefixes: ['s1a', 's1b', 's1c'],
        concurrency: S1.concurrency,
        latencyMs: S1.latencyMs,
      });
    }
    if (SCENARIOS.has('2')) {
      results.s2 = await scenarioSyncRun(api, stack, mock, {
        label: 'Scenario 2 — throughput-bound',
        candidates: S2.candidates,
        prefixes: ['s2'],
        concurrency: S2_CONCURRENCY,
        latencyMs: S2.latencyMs,
      });
    }
    if (SCENARIOS.has('4')) results.s4 = await scenarioPickup(api, stack, mock);
    if (SCENARIOS.has('3')) results.s3 = await scenarioPollers(api, stack, results.s1.lastTaskId);
    if (SCENARIOS.has('1w') && MULTI_WORKERS > 1) {
      say(`restarting with ${MULTI_WORKERS} workers`);
      await stack.setWorkers(MULTI_WORKERS);
      results.s1w = await scenarioSyncRun(api, stack, mock, {
        label: `Scenario 1w — latency-bound, ${MULTI_WORKERS} workers`,
        candidates: S1.candidates,
        prefixes: ['w1a', 'w1b', 'w1c'],
        concurrency: S1.concurrency,
        latencyMs: S1.latencyMs,
      });
    }

    printTable(results);
    const file = path.join(root, '.data', 'bench', `bench-sync-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          started_at: new Date(started).toISOString(),
          duration_seconds: Math.round((Date.now() - started) / 1000),
          machine: {
            cores: os.cpus().length,
            cpu: os.cpus()[0]?.model,
            node: process.versions.node,
            loadavg: os.loadavg(),
          },
          settings: {
            rounds: ROUNDS,
            s2_concurrency: S2_CONCURRENCY,
            pollers: POLLERS,
            poll_seconds: POLL_SECONDS,
            pickups: PICKUPS,
            multi_workers: MULTI_WORKERS,
          },
          results,
        },
        null,
        2,
      )}\n`,
    );
    say(`results written to ${path.relative(root, file)}`);
  });
}

// Run when started as a script; the scenarios can also be imported for one-off experiments.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(`bench:sync failed: ${err?.stack ?? err}`);
      process.exit(1);
    },
  );
