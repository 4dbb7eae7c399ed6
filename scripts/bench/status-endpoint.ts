/**
 * The status endpoint against its ceiling (issue 19, item 1): a bare Next.js route handler of the
 * same `next` package reading one row by primary key through `pg` (scripts/bench-baseline/,
 * production build in .data/bench-baseline-next), started here and loaded in the same run as the
 * product's `GET /recruitment/sync/task/{task_id}/status/` with a Bearer token and with a session
 * cookie. Autocannon drives each in turn, in interleaved rounds (closed loop: every connection asks
 * again at once), and a short sequential series reads the product's Server-Timing header
 * (API_SERVER_TIMING=true) to show where one request's time goes. Prints nothing itself; the caller prints the rows.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';
import { freePort, root, sleep, treeCpuSeconds } from '../lib/bench-stack';
import { autocannon, autocannonSplit } from './autocannon';

const require = createRequire(import.meta.url);
const nextBin = require.resolve('next/dist/bin/next');
const BASELINE_DIR = path.join(root, 'scripts', 'bench-baseline');
const BASELINE_DIST = path.join(root, '.data', 'bench-baseline-next');

export type StatusBenchOptions = {
  /** The product's web server, e.g. http://127.0.0.1:3000. */
  appUrl: string;
  /** The product's database: the baseline reads the same sync_runs row. */
  databaseUrl: string;
  taskId: string;
  bearerToken: string;
  /** `name=value` of a signed-in session cookie. */
  sessionCookie: string;
  connections?: number;
  /** Seconds of each variant in each round. */
  seconds?: number;
  /** Rounds of baseline, Bearer, cookie in turn. */
  rounds?: number;
  /** Seconds of load on a variant before each of its measured runs (see runStatusEndpointBench). */
  warmupSeconds?: number;
  /** Sequential requests per variant for the time breakdown. */
  breakdownRequests?: number;
  /** The product's web process, for CPU per request (from /proc). */
  appPid?: number;
  onLine?: (line: string) => void;
};

export type StatusBenchRow = {
  variant: 'baseline' | 'bearer' | 'cookie';
  url: string;
  connections: number;
  requests: number;
  req_per_s: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  errors: number;
  non_2xx: number;
  rounds: number;
  /** Medians over the rounds of this variant's req/s / the baseline's, and its p99 / the baseline's. */
  ratio_req_per_s: number;
  p99_x_baseline: number;
  /**
   * p99 split (medians over the rounds): the first answer on each of the 200 connections a run
   * opens at once, and the answers after it on connections already open; both are in p99_ms.
   */
  p99_first_on_connection_ms: number;
  p99_kept_connections_ms: number;
  /** CPU milliseconds of the serving process per answered request. */
  cpu_ms_per_request: number | null;
  /** SQL statements PostgreSQL ran per answered request (pg_stat_statements), null without the extension. */
  statements_per_request: number | null;
};

/** Median milliseconds of one sequential request and of each Server-Timing part. */
export type StatusBreakdown = {
  variant: 'baseline' | 'bearer' | 'cookie';
  requests: number;
  client_ms: number;
  /** client_ms minus the route's own total: HTTP, Next.js routing and the proxy. */
  outside_route_ms: number | null;
  parts: Record<string, number>;
};

export type StatusBenchResult = {
  rows: StatusBenchRow[];
  breakdown: StatusBreakdown[];
  targets: typeof STATUS_TARGETS;
};

export const STATUS_TARGETS = { req_per_s_ratio: 0.8, p99_x_baseline: 1.5 };

function baselineHash(): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(require.resolve('next/package.json')));
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) for (const name of readdirSync(p).sort()) walk(path.join(p, name));
    else hash.update(path.relative(BASELINE_DIR, p)).update(readFileSync(p));
  };
  walk(BASELINE_DIR);
  return hash.digest('hex');
}

function waitForExit(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? 1);
    else child.once('exit', (code) => resolve(code ?? 1));
  });
}

/** `next build` of the baseline, when its sources or the `next` package changed since the last one. */
export async function buildBaseline(onLine: (line: string) => void = () => {}): Promise<void> {
  const marker = path.join(BASELINE_DIST, 'ats-baseline-hash');
  const hash = baselineHash();
  if (existsSync(path.join(BASELINE_DIST, 'BUILD_ID')) && existsSync(marker) && readFileSync(marker, 'utf8') === hash)
    return;
  onLine('building the baseline app (scripts/bench-baseline, production build)');
  const build = spawn(process.execPath, [nextBin, 'build', BASELINE_DIR], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [build.stdout!, build.stderr!]) {
    readline.createInterface({ input: stream }).on('line', (line) => onLine(`baseline build | ${line}`));
  }
  if ((await waitForExit(build)) !== 0) throw new Error('the baseline app did not build');
  writeFileSync(marker, hash);
}

async function startBaseline(databaseUrl: string, onLine: (line: string) => void) {
  const port = await freePort();
  // BENCH_CPU_PROF=<dir> profiles the baseline as bench-stack profiles the product's processes, for a side-by-side.
  const profile = process.env.BENCH_CPU_PROF
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`,
        '--cpu-prof-name=baseline.cpuprofile',
      ]
    : [];
  const child = spawn(
    process.execPath,
    [...profile, nextBin, 'start', BASELINE_DIR, '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream }).on('line', (line) => onLine(`baseline | ${line}`));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await waitForExit(child);
      clearTimeout(killer);
    },
  };
}

async function waitForOk(url: string, headers: Record<string, string>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(url, { headers })
      .then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      })
      .catch(() => 0);
    if (status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s (last ${status})`);
    await sleep(250);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Statements run so far, per statement text, from pg_stat_statements; null when it is not installed. */
async function statementCalls(client: pg.Client): Promise<Map<string, number> | null> {
  try {
    const { rows } = await client.query<{ query: string; calls: string }>(
      'select query, sum(calls)::text as calls from pg_stat_statements group by query',
    );
    return new Map(rows.map((r) => [r.query, Number(r.calls)]));
  } catch {
    return null;
  }
}

/** Statements run between two readings, most frequent first, less the reading itself. */
function statementsBetween(before: Map<string, number> | null, after: Map<string, number> | null) {
  if (!before || !after) return null;
  const ran = [...after]
    .map(([query, calls]) => ({ query, calls: calls - (before.get(query) ?? 0) }))
    .filter((s) => s.calls > 0 && !s.query.includes('pg_stat_statements'))
    .sort((a, b) => b.calls - a.calls);
  return { total: ran.reduce((n, s) => n + s.calls, 0), top: ran.slice(0, 3) };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** `auth;dur=0.41, db;dur=1.20` -> { auth: 0.41, db: 1.2 } */
export function parseServerTiming(header: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of (header ?? '').split(',')) {
    const [name, ...params] = entry.trim().split(';');
    const dur = params.map((p) => /^\s*dur=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    if (name && dur !== undefined) out[name] = Number(dur);
  }
  return out;
}

type Variant = { variant: StatusBreakdown['variant']; url: string; headers: Record<string, string> };

/**
 * Sequential requests taking turns between the variants, one of each at a time: measured one
 * variant after the other, the first one measured on the product paid for what the next ones found
 * warm (the product's Bearer figures came out ~0.3 ms slower outside the route than the cookie's).
 */
async function breakdownOf(variants: readonly Variant[], requests: number): Promise<StatusBreakdown[]> {
  const client = new Map<string, number[]>(variants.map((v) => [v.variant, []]));
  const parts = new Map<string, Record<string, number[]>>(variants.map((v) => [v.variant, {}]));
  for (let i = 0; i < requests; i++) {
    // Each turn starts with another variant: the one right after the baseline's request found the
    // product's process cold (its caches taken by the other server) and came out slower in every part.
    for (const v of [...variants.slice(i % variants.length), ...variants.slice(0, i % variants.length)]) {
      const started = performance.now();
      const res = await fetch(v.url, { headers: v.headers });
      await res.arrayBuffer();
      client.get(v.variant)!.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`${v.variant}: ${v.url} answered ${res.status}`);
      const own = parts.get(v.variant)!;
      for (const [name, ms] of Object.entries(parseServerTiming(res.headers.get('server-timing')))) {
        own[name] = [...(own[name] ?? []), ms];
      }
    }
  }
  return variants.map((v) => {
    const medians = Object.fromEntries(
      Object.entries(parts.get(v.variant)!).map(([name, values]) => [name, round(median(values), 3)]),
    );
    const clientMs = round(median(client.get(v.variant)!), 3);
    return {
      variant: v.variant,
      requests,
      client_ms: clientMs,
      outside_route_ms: medians.total === undefined ? null : round(clientMs - medians.total, 3),
      parts: medians,
    };
  });
}

/**
 * Runs baseline, Bearer and cookie variants in one run against the same row and returns one row per
 * variant with its ratios to the baseline, and the per-request time breakdown of each.
 */
export async function runStatusEndpointBench(options: StatusBenchOptions): Promise<StatusBenchResult> {
  const onLine = options.onLine ?? (() => {});
  const connections = options.connections ?? 200;
  const seconds = options.seconds ?? 10;
  const rounds = options.rounds ?? 3;
  const warmupSeconds = options.warmupSeconds ?? 3;
  const breakdownRequests = options.breakdownRequests ?? 200;
  await buildBaseline(onLine);
  const baseline = await startBaseline(options.databaseUrl, onLine);
  const stats = new pg.Client({ connectionString: options.databaseUrl });
  await stats.connect();
  try {
    const statusUrl = `${options.appUrl.replace(/\/$/, '')}/recruitment/sync/task/${options.taskId}/status/`;
    const variants = [
      { variant: 'baseline', url: `${baseline.url}/row/${options.taskId}`, headers: {}, pid: baseline.pid },
      {
        variant: 'bearer',
        url: statusUrl,
        headers: { authorization: `Bearer ${options.bearerToken}` },
        pid: options.appPid,
      },
      { variant: 'cookie', url: statusUrl, headers: { cookie: options.sessionCookie }, pid: options.appPid },
    ] as const;
    for (const v of variants) await waitForOk(v.url, v.headers);

    // Warm the code paths and connection pools first: the first requests of a fresh server compile and connect.
    await breakdownOf(variants, 50);
    const breakdown = await breakdownOf(variants, breakdownRequests);

    // Rounds interleave the variants, so a burst of load from elsewhere on the machine hits them
    // alike; each figure is the median of its rounds and each ratio the median of the rounds' ratios.
    const measured = new Map<
      string,
      {
        req: number;
        p50: number;
        p99: number;
        max: number;
        p99First: number;
        p99Kept: number;
        errors: number;
        non2xx: number;
        answered: number;
        cpu: number;
        statements: number;
      }[]
    >();
    for (let r = 1; r <= rounds; r++) {
      // Each round starts with another variant, so none is always the one measured right after the baseline.
      const shift = (r - 1) % variants.length;
      for (const v of [...variants.slice(shift), ...variants.slice(0, shift)]) {
        // The product's process sits idle while the baseline is measured (V8 shrinks an idle heap).
        // With 1 s of warm-up, the product variant measured right after the baseline came out lower
        // in most rounds (2026-12-07: 0.65-0.84 x against 0.80-1.07 x for the same variant after the
        // other one), so whichever variant followed the baseline more often lost by it. 3 s narrows that.
        await autocannon({ url: v.url, connections, duration: warmupSeconds, headers: v.headers });
        await sleep(300);
        const statementsBefore = await statementCalls(stats);
        const cpuBefore = v.pid ? treeCpuSeconds(v.pid) : Number.NaN;
        const result = await autocannonSplit({ url: v.url, connections, duration: seconds, headers: v.headers });
        const cpu = v.pid ? treeCpuSeconds(v.pid) - cpuBefore : Number.NaN;
        const answered = result.requests.total;
        const ran = statementsBetween(statementsBefore, await statementCalls(stats));
        const statements = ran?.total ?? Number.NaN;
        for (const st of ran?.top ?? []) {
          onLine(
            `  ${v.variant}: ${(st.calls / answered).toFixed(3)} per request: ${st.query.replace(/\s+/g, ' ').slice(0, 140)}`,
          );
        }
        const round_ = {
          req: answered / result.duration,
          p50: result.latency.p50,
          p99: result.latency.p99,
          max: result.latency.max,
          p99First: result.p99FirstMs,
          p99Kept: result.p99KeptMs,
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
          answered,
          cpu,
          statements,
        };
        measured.set(v.variant, [...(measured.get(v.variant) ?? []), round_]);
        onLine(
          `round ${r}, ${v.variant}: ${Math.round(round_.req)} req/s, p50 ${round_.p50} ms, p99 ${round_.p99} ms ` +
            `(first answer on each new connection: p99 ${round_.p99First} ms; on connections kept open: p99 ${round_.p99Kept} ms)`,
        );
      }
    }
    const base = measured.get('baseline')!;
    const rows: StatusBenchRow[] = variants.map((v) => {
      const m = measured.get(v.variant)!;
      const answered = m.reduce((n, x) => n + x.answered, 0);
      const cpu = m.reduce((n, x) => n + x.cpu, 0);
      const statements = m.reduce((n, x) => n + x.statements, 0);
      return {
        variant: v.variant,
        url: v.url,
        connections,
        rounds: m.length,
        requests: answered,
        req_per_s: Math.round(median(m.map((x) => x.req))),
        p50_ms: median(m.map((x) => x.p50)),
        p99_ms: median(m.map((x) => x.p99)),
        max_ms: Math.max(...m.map((x) => x.max)),
        p99_first_on_connection_ms: median(m.map((x) => x.p99First)),
        p99_kept_connections_ms: median(m.map((x) => x.p99Kept)),
        errors: m.reduce((n, x) => n + x.errors, 0),
        non_2xx: m.reduce((n, x) => n + x.non2xx, 0),
        ratio_req_per_s: round(median(m.map((x, i) => x.req / base[i].req)), 3),
        p99_x_baseline: round(median(m.map((x, i) => x.p99 / base[i].p99)), 3),
        cpu_ms_per_request: Number.isFinite(cpu) && answered > 0 ? round((cpu * 1000) / answered, 3) : null,
        statements_per_request: Number.isFinite(statements) && answered > 0 ? round(statements / answered, 3) : null,
      };
    });
    return { rows, breakdown, targets: STATUS_TARGETS };
  } finally {
    await stats.end();
    await baseline.stop();
  }
}

/** The rows and the breakdown as text lines for a bench's table. */
export function formatStatusBench(result: StatusBenchResult): string[] {
  const { req_per_s_ratio: minRatio, p99_x_baseline: maxP99 } = result.targets;
  const verdict = (row: StatusBenchRow, ok: boolean) => (row.variant === 'baseline' ? '' : ok ? ' ok' : ' MISSED');
  const lines = [
    `variant   req/s   p50 ms  p99 ms  errors non-2xx  x baseline req/s (>= ${minRatio})  p99 x baseline (<= ${maxP99})  CPU ms/req  SQL/req`,
  ];
  for (const r of result.rows) {
    lines.push(
      [
        r.variant.padEnd(8),
        String(r.req_per_s).padStart(6),
        String(r.p50_ms).padStart(8),
        String(r.p99_ms).padStart(7),
        String(r.errors).padStart(7),
        String(r.non_2xx).padStart(7),
        `${r.ratio_req_per_s.toFixed(2)}${verdict(r, r.ratio_req_per_s >= minRatio)}`.padStart(27),
        `${r.p99_x_baseline.toFixed(2)}${verdict(r, r.p99_x_baseline <= maxP99)}`.padStart(26),
        String(r.cpu_ms_per_request ?? '-').padStart(11),
        String(r.statements_per_request ?? '-').padStart(8),
      ].join(' '),
    );
  }
  lines.push(
    `(medians of ${result.rows[0]?.rounds ?? 0} rounds; CPU of the serving process per answered request, from /proc; SQL statements per answered request, from pg_stat_statements)`,
    'p99 split, ms: the first answer on each of the connections a round opens at once / the answers after it on connections kept open',
    ...result.rows.map((r) => `${r.variant.padEnd(8)} ${r.p99_first_on_connection_ms} / ${r.p99_kept_connections_ms}`),
    '',
    'one request, sequential, median ms (Server-Timing parts of the route; outside = client - route total)',
  );
  for (const b of result.breakdown) {
    const parts = Object.entries(b.parts)
      .map(([name, ms]) => `${name} ${ms}`)
      .join(', ');
    lines.push(
      `${b.variant.padEnd(8)} client ${b.client_ms}${b.outside_route_ms === null ? '' : `, outside route ${b.outside_route_ms}`}${parts ? `; ${parts}` : ''}`,
    );
  }
  return lines;
}
