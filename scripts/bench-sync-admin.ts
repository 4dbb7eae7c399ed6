/**
 * Benchmark of the sync admin's stats API and tasks list with a large history:
 *   npm run bench:sync-admin
 * starts its own PostgreSQL (embedded, free port, temp dir), migrates, seeds 100,000 runs and about
 * 1,000,000 deliveries over 30 days (scripts/seed-sync-history.ts), then calls the route handlers
 * in-process with an admin API token, as Next would, and prints latency figures. It asserts nothing.
 *
 * Every filter the tasks page offers (each status choice, posting, source, trigger, dates, the search
 * box as task id or email fragment) and combinations of them are printed with p50/p95, the ratio of
 * their p95 to the unfiltered first page's measured just before in the same section (this machine is
 * shared and noisy: read the ratios), and the CPU each request cost this process and PostgreSQL.
 *
 *   BENCH_DATA_DIR=.data/bench-sync-admin   keep the database there and reuse it (seeded once)
 *   BENCH_ONLY=source                        only the cases whose label matches (a regular expression)
 *   SEED_RUNS=100000                         size of the history
 *   SEED_CANDIDATES=500000                   candidates in all (the search cases: scripts/seed-sync-history.ts)
 *   BENCH_SAMPLES=100                        requests per scenario
 *   BASE_URL=http://127.0.0.1:3000 TOKEN=…   measure a running app over HTTP instead (local only;
 *                                            seed it first with npm run seed:sync-history)
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort } from './lib/bench-stack';
import { percentile } from './lib/latency-report';
import { embeddedDatabasePassword } from './lib/local-secrets';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const RUNS = Number(process.env.SEED_RUNS ?? 100_000);
const CANDIDATES = Number(process.env.SEED_CANDIDATES ?? 500_000);
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;

type Call = (pathAndQuery: string) => Promise<{ status: number; body: any }>;

/** The PostgreSQL server's processes (postmaster and backends), when it runs here; CPU in ms. */
let postmasterPid: number | null = null;
const TICK_MS = 10;

function databaseCpuMs(): number | null {
  if (postmasterPid === null) return null;
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the command name (which may hold spaces): state ppid … utime(14) stime(15).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(entry) === postmasterPid || Number(fields[1]) === postmasterPid) {
      ticks += Number(fields[11]) + Number(fields[12]);
    }
  }
  return ticks * TICK_MS;
}

type Figures = { p50: number; p95: number };

async function measure(
  call: Call,
  label: string,
  paths: string[] | string,
  options: { samples?: number; baseline?: Figures } = {},
): Promise<Figures> {
  const list = Array.isArray(paths) ? paths : [paths];
  const samples = options.samples ?? SAMPLES;
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  const db0 = databaseCpuMs();
  for (let i = 0; i < samples; i++) {
    const p = list[i % list.length];
    const started = performance.now();
    const res = await call(p);
    times.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`${p} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  const cpu = process.cpuUsage(cpu0);
  const db1 = databaseCpuMs();
  const sorted = [...times].sort((a, b) => a - b);
  const figures = { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
  const ms = (n: number) => n.toFixed(1).padStart(7);
  const ratio = options.baseline ? `${(figures.p95 / options.baseline.p95).toFixed(1)}x`.padStart(7) : '   base';
  const dbCpu = db0 === null || db1 === null ? '      -' : ms((db1 - db0) / samples);
  console.log(
    `${label.padEnd(52)} ${String(samples).padStart(4)} ${ms(figures.p50)} ${ms(figures.p95)} ${ratio} ${ms(
      (cpu.user + cpu.system) / 1000 / samples,
    )} ${dbCpu}`,
  );
  return figures;
}

type Case = [label: string, paths: string[] | string];

/** A section: its baseline (the unfiltered first page) measured first, then every case against it. */
async function section(call: Call, title: string, cases: Case[], samples = SAMPLES): Promise<void> {
  const chosen = cases.filter(([label]) => !ONLY || ONLY.test(label));
  if (chosen.length === 0) return;
  console.log(`\n${title}`);
  console.log(
    `${'case'.padEnd(52)} ${'n'.padStart(4)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p95/bl'.padStart(7)} ${'cpu/req'.padStart(7)} ${'db cpu'.padStart(7)}`,
  );
  const baseline = await measure(call, 'baseline: first page, no filter', '/api/v1/sync-admin/tasks?limit=50');
  for (const [label, paths] of chosen) await measure(call, label, paths, { samples, baseline });
}

/** Route handlers called in-process with a real request, the way Next calls them. */
async function inProcessCaller(token: string): Promise<Call> {
  const { NextRequest } = await import('next/server');
  type Handler = (
    req: InstanceType<typeof NextRequest>,
    ctx: { params: Promise<Record<string, string>> },
  ) => Promise<Response>;
  const routes: { re: RegExp; handler: Handler; params: (m: RegExpMatchArray) => Record<string, string> }[] = [
    {
      re: /^\/sync-admin\/api\/sync-stats\/report\/?$/,
      handler: (await import('@/app/api/v1/sync-admin/sync-stats/report/route')).GET,
      params: () => ({}),
    },
    {
      re: /^\/sync-admin\/api\/sync-stats\/?$/,
      handler: (await import('@/app/api/v1/sync-admin/sync-stats/route')).GET,
      params: () => ({}),
    },
    {
      re: /^\/sync-admin\/api\/tasks\/count\/?$/,
      handler: (await import('@/app/api/v1/sync-admin/tasks/count/route')).GET,
      params: () => ({}),
    },
    {
      re: /^\/sync-admin\/api\/tasks\/?$/,
      handler: (await import('@/app/api/v1/sync-admin/tasks/route')).GET,
      params: () => ({}),
    },
    {
      re: /^\/sync-admin\/api\/tasks\/([^/]+)\/deliveries\/?$/,
      handler: (await import('@/app/api/v1/sync-admin/tasks/[id]/deliveries/route')).GET,
      params: (m) => ({ id: m[1] }),
    },
    {
      re: /^\/sync-admin\/api\/tasks\/([^/]+)\/?$/,
      handler: (await import('@/app/api/v1/sync-admin/tasks/[id]/route')).GET,
      params: (m) => ({ id: m[1] }),
    },
  ];
  return async (pathAndQuery) => {
    const url = new URL(pathAndQuery, 'http://127.0.0.1:3000');
    const route = routes.find((r) => r.re.test(url.pathname));
    if (!route) throw new Error(`no route for ${url.pathname}`);
    const params = route.params(url.pathname.match(route.re)!);
    const req = new NextRequest(url, { headers: { authorization: `Bearer ${token}`, host: '127.0.0.1:3000' } });
    const res = await route.handler(req, { params: Promise.resolve(params) });
    return { status: res.status, body: await res.json() };
  };
}

function httpCaller(baseUrl: string, token: string): Call {
  const base = new URL(baseUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) {
    throw new Error(`BASE_URL must point at this machine (127.0.0.1 or localhost), not ${base.hostname}`);
  }
  return async (pathAndQuery) => {
    const res = await fetch(new URL(pathAndQuery, base), {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    return { status: res.status, body: await res.json() };
  };
}

async function scenarios(call: Call, searchCases?: { rare: string; unused: string }): Promise<void> {
  const first = await call('/api/v1/sync-admin/tasks?limit=50');
  const someTask = first.body.data[0]?.task_id as string | undefined;
  if (!someTask) throw new Error('no runs in the database: seed it first');
  for (const window of ['24h', '7d', '30d']) {
    const started = performance.now();
    await call(`/api/v1/sync-admin/sync-stats?window=${window}`);
    console.log(`${`stats window=${window}, first call`.padEnd(52)} ${(performance.now() - started).toFixed(1)} ms`);
  }

  // Walk 200 pages deep once to collect cursors, then sample pages at every depth.
  const cursors: string[] = [];
  let cursor: string | null = first.body.next_cursor;
  while (cursor && cursors.length < 200) {
    cursors.push(cursor);
    cursor = (await call(`/api/v1/sync-admin/tasks?limit=50&cursor=${cursor}`)).body.next_cursor;
  }
  const stats = await call('/api/v1/sync-admin/sync-stats?window=30d');
  const busiest = [...stats.body.by_source].sort(
    (a: { succeeded: number }, b: { succeeded: number }) => b.succeeded - a.succeeded,
  )[0].source_id as string;
  const named = (prefix: string) =>
    stats.body.by_source.find((s: { name: string }) => s.name.startsWith(prefix))?.source_id as string | undefined;
  const rare = searchCases?.rare ?? named('Rarely used export');
  const unused = searchCases?.unused ?? named('Never used sandbox');
  const sample = first.body.data[0];
  const detail = await call(`/api/v1/sync-admin/tasks/${sample.task_id}/deliveries?limit=1`);
  const email = detail.body.data[0]?.candidate.email as string;
  const day = 86_400_000;
  const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * day).toISOString();
  const slug = sample.job.slug as string;

  // Each filter the page offers, with every value it offers where they are few.
  const statusChoices = [
    'failed,partially_failed',
    'pending,running',
    'pending',
    'running',
    'completed',
    'partially_failed',
    'failed',
    'cancelled',
  ];
  const emails: [string, string][] = [
    ['q=<candidate email>', email],
    ['q=<email fragment, one candidate>', email.split('@')[0]],
    ['q=<email fragment, a posting>', email.split('@')[0].replace(/-[0-9]+$/, '-')],
    ['q=example.test (every candidate)', 'example.test'],
    ['q=lovelace.4 (8,400 applicants, none delivered)', 'lovelace.4'],
    ['q=zqxj (no match)', 'zqxj'],
  ];
  const ids: [string, string][] = [
    ['q=<task id>', someTask],
    ['q=<task id, 4 hex digits>', someTask.slice(0, 4)],
    ['q=<task id, 8 hex digits>', someTask.slice(0, 8)],
    ['q=<task id, 13 with hyphen>', someTask.slice(0, 13)],
    ['q=<TASK ID, 6, uppercase>', someTask.slice(0, 6).toUpperCase()],
    ['q=<task id, 20 hex, no hyphens>', someTask.replaceAll('-', '').slice(0, 20)],
  ];
  const sources: [string, string | undefined][] = [
    ['source=<busiest>', busiest],
    ['source=<used by ~1 % of runs>', rare],
    ['source=<never used>', unused],
  ];
  const list = (query: string) => `/api/v1/sync-admin/tasks?limit=50&${query}`;
  const q = (v: string) => `q=${encodeURIComponent(v)}`;
  const filters: Case[] = [
    ['pages 2-200 (cursor)', cursors.map((c) => list(`cursor=${c}`))],
    ...statusChoices.map((s): Case => [`status=${s}`, list(`status=${s}`)]),
    [`posting=<one of 8>`, list(`posting=${slug}`)],
    ...sources.flatMap(([label, id]): Case[] => (id ? [[label, list(`source=${id}`)]] : [])),
    ...(['manual', 'schedule', 'api'] as const).map((t): Case => [`trigger=${t}`, list(`trigger=${t}`)]),
    ['from=<7 days ago>', list(`from=${iso(7)}`)],
    ['to=<20 days ago>', list(`to=${iso(20)}`)],
    ['from/to (one day, 10 days ago)', list(`from=${iso(10)}&to=${iso(9)}`)],
    ...ids.map(([label, v]): Case => [label, list(q(v))]),
    ...emails.map(([label, v]): Case => [label, list(q(v))]),
  ];
  const combos: Case[] = [
    ['status=failed,partially_failed & source=<1 %>', list(`status=failed,partially_failed&source=${rare}`)],
    ['status=cancelled & trigger=api', list('status=cancelled&trigger=api')],
    [
      'posting & trigger=schedule & from/to (3 days)',
      list(`posting=${slug}&trigger=schedule&from=${iso(20)}&to=${iso(17)}`),
    ],
    ['source=<busiest> & from/to (one day)', list(`source=${busiest}&from=${iso(10)}&to=${iso(9)}`)],
    ['source=<never used> & status=failed', list(`source=${unused}&status=failed`)],
    ['source=<1 %> & q=example.test', list(`source=${rare}&${q('example.test')}`)],
    ['source=<never used> & q=example.test', list(`source=${unused}&${q('example.test')}`)],
    ['status=failed & q=<email fragment, a posting>', list(`status=failed&${q(emails[2][1])}`)],
    ['posting & q=<email fragment, one candidate>', list(`posting=${slug}&${q(emails[1][1])}`)],
    ['trigger=api & q=lovelace.4', list(`trigger=api&${q('lovelace.4')}`)],
    ['status=completed & q=<task id, 4 hex digits>', list(`status=completed&${q(someTask.slice(0, 4))}`)],
    [
      'all: status, posting, source, trigger, from/to, q',
      list(
        `status=completed&posting=${slug}&source=${busiest}&trigger=manual&from=${iso(30)}&to=${iso(0)}&${q('example.test')}`,
      ),
    ],
  ].filter(([, p]) => !p.includes('undefined')) as Case[];
  const count = (query: string) => `/api/v1/sync-admin/tasks/count?${query}`;
  const counts: Case[] = [
    ['count: no filter', count('')],
    ['count: status=failed,partially_failed', count('status=failed,partially_failed')],
    ...sources.flatMap(([label, id]): Case[] => (id ? [[`count: ${label}`, count(`source=${id}`)]] : [])),
    ...emails.map(([label, v]): Case => [`count: ${label}`, count(q(v))]),
    ['count: q=<task id, 8 hex digits>', count(q(someTask.slice(0, 8)))],
  ];

  await section(call, 'tasks list (GET /api/v1/sync-admin/tasks, 50 per page): each filter', filters);
  await section(call, 'tasks list: filters combined', combos);
  await section(
    call,
    'tasks count (GET /api/v1/sync-admin/tasks/count, up to 10,000; asked when a bulk action selects by filter)',
    counts,
    Math.min(SAMPLES, 30),
  );
  await section(call, 'task detail', [
    ['GET /api/v1/sync-admin/tasks/<id>', `/api/v1/sync-admin/tasks/${someTask}`],
    ['GET …/<id>/deliveries', `/api/v1/sync-admin/tasks/${someTask}/deliveries`],
  ]);
  await section(call, 'statistics (GET /api/v1/sync-admin/sync-stats) and detailed report (30 days under 300 ms)', [
    ...['24h', '7d', '30d'].map((w): Case => [`stats window=${w}`, `/api/v1/sync-admin/sync-stats?window=${w}`]),
    ...['24h', '7d', '30d'].map(
      (w): Case => [`report window=${w}`, `/api/v1/sync-admin/sync-stats/report?window=${w}`],
    ),
  ]);
}

async function main(): Promise<void> {
  if (process.env.BASE_URL) {
    if (!process.env.TOKEN) throw new Error('set TOKEN to an admin API token');
    console.log(`measuring ${process.env.BASE_URL}`);
    await scenarios(httpCaller(process.env.BASE_URL, process.env.TOKEN));
    return;
  }
  const keep = process.env.BENCH_DATA_DIR;
  const dataDir = keep ? path.resolve(keep) : mkdtempSync(path.join(os.tmpdir(), 'bench-sync-admin-'));
  mkdirSync(dataDir, { recursive: true });
  const { startEmbeddedPostgres } = await import('@/db/embedded');
  const { migrateToLatest } = await import('@/db/migrate');
  // As root the server runs as the `postgres` user, which must reach its data dir.
  chmodSync(dataDir, 0o755);
  // The password lives beside the cluster so a kept BENCH_DATA_DIR starts again.
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, 'postgres'),
    port: await freePort(),
    database: 'bench',
    password: embeddedDatabasePassword(dataDir, { create: true }) as string,
  });
  try {
    process.env.DATABASE_URL = pg.url;
    postmasterPid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.env.LOG_LEVEL ??= 'warn';
    await migrateToLatest(pg.url, { bossSchema: 'pgboss' });
    const { getDb, closeDb } = await import('@/lib/db');
    const { createUser } = await import('@/lib/users/service');
    const { createApiToken } = await import('@/lib/tokens/service');
    const { systemActor } = await import('@/lib/auth/actor');
    const { seedSearchCases, seedSyncHistory } = await import('./seed-sync-history');
    const db = getDb();
    try {
      const existing = await db
        .selectFrom('sync_runs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      if (existing.n === 0) {
        console.log(`seeding ${RUNS.toLocaleString('en')} runs …`);
        const seeded = await seedSyncHistory(db, { runs: RUNS, days: 30 });
        console.log(
          `seeded ${seeded.runs.toLocaleString('en')} runs, ${seeded.deliveries.toLocaleString('en')} deliveries in ${seeded.seconds.toFixed(1)} s`,
        );
      } else {
        console.log(`reusing ${existing.n.toLocaleString('en')} runs in ${dataDir}`);
      }
      const cases = await seedSearchCases(db, { candidates: CANDIDATES });
      console.log(
        `search cases: ${cases.candidates.toLocaleString('en')} candidates, a rarely used and an unused source`,
      );
      const email = `bench-${Date.now()}@example.test`;
      const user = await createUser(db, systemActor('bench'), {
        email,
        name: 'Bench Admin',
        role: 'admin',
        password: `bench-${Date.now()}-password`,
      });
      const { token } = await createApiToken(
        db,
        { kind: 'user', id: user.id, email, name: user.name, role: 'admin', via: 'cli' },
        { name: 'bench' },
      );
      const counts = await db
        .selectFrom('sync_deliveries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      console.log(`database: ${counts.n.toLocaleString('en')} deliveries; ${os.cpus().length} cores`);
      await scenarios(await inProcessCaller(token), { rare: cases.rareSourceId, unused: cases.unusedSourceId });
    } finally {
      await closeDb();
    }
  } finally {
    await pg.stop();
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
