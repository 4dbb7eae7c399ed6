/**
 * Benchmark of the sync admin's stats API and tasks list with a large history:
 *   npm run bench:sync-admin
 * starts its own PostgreSQL (embedded, free port, temp dir), migrates, seeds 100,000 runs and about
 * 1,000,000 deliveries over 30 days (scripts/seed-sync-history.ts), then calls the route handlers
 * in-process with an admin API token, as Next would, and prints latency figures. It asserts nothing.
 *
 *   BENCH_DATA_DIR=.data/bench-sync-admin   keep the database there and reuse it (seeded once)
 *   SEED_RUNS=100000                         size of the history
 *   SEED_CANDIDATES=500000                   candidates in all (the search cases: scripts/seed-sync-history.ts)
 *   BENCH_SAMPLES=100                        requests per scenario
 *   BASE_URL=http://127.0.0.1:3000 TOKEN=…   measure a running app over HTTP instead (local only;
 *                                            seed it first with npm run seed:sync-history)
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort } from './lib/bench-stack';
import { reportLatency } from './lib/latency-report';
import { embeddedDatabasePassword } from './lib/local-secrets';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const RUNS = Number(process.env.SEED_RUNS ?? 100_000);
const CANDIDATES = Number(process.env.SEED_CANDIDATES ?? 500_000);

type Call = (pathAndQuery: string) => Promise<{ status: number; body: any }>;

async function measure(call: Call, label: string, paths: string[] | string, samples = SAMPLES): Promise<void> {
  const list = Array.isArray(paths) ? paths : [paths];
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const p = list[i % list.length];
    const started = performance.now();
    const res = await call(p);
    times.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`${p} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  reportLatency(label, times, 40);
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

async function scenarios(call: Call): Promise<void> {
  const first = await call('/api/v1/sync-admin/tasks?limit=50');
  const someTask = first.body.data[0]?.task_id as string | undefined;
  if (!someTask) throw new Error('no runs in the database: seed it first');

  console.log('\nstats API (GET /api/v1/sync-admin/sync-stats)');
  for (const window of ['24h', '7d', '30d']) {
    const started = performance.now();
    await call(`/api/v1/sync-admin/sync-stats?window=${window}`);
    console.log(`${`window=${window} first call`.padEnd(40)} ${(performance.now() - started).toFixed(1)} ms`);
  }
  for (const window of ['24h', '7d', '30d'])
    await measure(call, `window=${window}`, `/api/v1/sync-admin/sync-stats?window=${window}`);

  console.log('\ntasks list (GET /api/v1/sync-admin/tasks, 50 per page)');
  // Walk 200 pages deep once to collect cursors, then sample pages at every depth.
  const cursors: string[] = [];
  let cursor: string | null = first.body.next_cursor;
  while (cursor && cursors.length < 200) {
    cursors.push(cursor);
    cursor = (await call(`/api/v1/sync-admin/tasks?limit=50&cursor=${cursor}`)).body.next_cursor;
  }
  const stats = await call('/api/v1/sync-admin/sync-stats?window=30d');
  const source = stats.body.by_source[0]?.source_id as string;
  const sample = first.body.data[0];
  const detail = await call(`/api/v1/sync-admin/tasks/${sample.task_id}/deliveries?limit=1`);
  const email = detail.body.data[0]?.candidate.email as string | undefined;
  await measure(call, 'first page', '/api/v1/sync-admin/tasks?limit=50');
  await measure(
    call,
    'pages 2-200 (cursor)',
    cursors.map((c) => `/api/v1/sync-admin/tasks?limit=50&cursor=${c}`),
  );
  await measure(
    call,
    'status=failed,partially_failed',
    '/api/v1/sync-admin/tasks?limit=50&status=failed,partially_failed',
  );
  await measure(call, 'status=cancelled (rare)', '/api/v1/sync-admin/tasks?limit=50&status=cancelled');
  await measure(call, `posting=${sample.job.slug}`, `/api/v1/sync-admin/tasks?limit=50&posting=${sample.job.slug}`);
  const named = (prefix: string) =>
    stats.body.by_source.find((s: { name: string }) => s.name.startsWith(prefix))?.source_id as string | undefined;
  const rare = named('Rarely used export');
  const unused = named('Never used sandbox');
  await measure(call, 'source=<busiest>', `/api/v1/sync-admin/tasks?limit=50&source=${source}`);
  if (rare) await measure(call, 'source=<used by ~1 % of runs>', `/api/v1/sync-admin/tasks?limit=50&source=${rare}`);
  if (unused) await measure(call, 'source=<never used>', `/api/v1/sync-admin/tasks?limit=50&source=${unused}`);
  await measure(call, 'trigger=api', '/api/v1/sync-admin/tasks?limit=50&trigger=api');
  const from = new Date(Date.now() - 10 * 86_400_000).toISOString();
  const to = new Date(Date.now() - 9 * 86_400_000).toISOString();
  await measure(call, 'from/to (one day, 10 days ago)', `/api/v1/sync-admin/tasks?limit=50&from=${from}&to=${to}`);
  await measure(call, 'q=<task id>', `/api/v1/sync-admin/tasks?limit=50&q=${someTask}`);
  await measure(call, 'q=<task id, 8 characters>', `/api/v1/sync-admin/tasks?limit=50&q=${someTask.slice(0, 8)}`);
  await measure(call, 'q=<task id, 13 with hyphen>', `/api/v1/sync-admin/tasks?limit=50&q=${someTask.slice(0, 13)}`);
  await measure(
    call,
    'q=<TASK ID, 6, uppercase>',
    `/api/v1/sync-admin/tasks?limit=50&q=${someTask.slice(0, 6).toUpperCase()}`,
  );
  const searches: [string, string][] = [
    ['q=example.test (all candidates)', 'example.test'],
    ['q=lovelace.4 (applicants only)', 'lovelace.4'],
    ['q=zqxj (no match)', 'zqxj'],
  ];
  if (email) {
    searches.unshift(
      ['q=<candidate email>', email],
      ['q=<email fragment, one candidate>', email.split('@')[0]],
      ['q=<email fragment, a posting>', email.split('@')[0].replace(/-[0-9]+$/, '-')],
    );
  }
  for (const [label, q] of searches) {
    await measure(call, label, `/api/v1/sync-admin/tasks?limit=50&q=${encodeURIComponent(q)}`);
  }

  console.log('\ntasks count (GET /api/v1/sync-admin/tasks/count, up to 10,000)');
  await measure(call, 'no filter', '/api/v1/sync-admin/tasks/count');
  if (rare) await measure(call, 'source=<used by ~1 % of runs>', `/api/v1/sync-admin/tasks/count?source=${rare}`);
  if (unused) await measure(call, 'source=<never used>', `/api/v1/sync-admin/tasks/count?source=${unused}`);
  for (const [label, q] of searches) {
    await measure(call, label, `/api/v1/sync-admin/tasks/count?q=${encodeURIComponent(q)}`);
  }
  await measure(call, 'q=<task id, 8 characters>', `/api/v1/sync-admin/tasks/count?q=${someTask.slice(0, 8)}`);

  console.log('\ntask detail');
  await measure(call, 'GET /api/v1/sync-admin/tasks/<id>', `/api/v1/sync-admin/tasks/${someTask}`);
  await measure(call, 'GET …/<id>/deliveries', `/api/v1/sync-admin/tasks/${someTask}/deliveries`);

  console.log('\ndetailed statistics (GET /api/v1/sync-admin/sync-stats/report, 30 days under 300 ms)');
  for (const window of ['24h', '7d', '30d'])
    await measure(
      call,
      `window=${window}`,
      `/api/v1/sync-admin/sync-stats/report?window=${window}`,
      Math.min(SAMPLES, 20),
    );
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
      await scenarios(await inProcessCaller(token));
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
