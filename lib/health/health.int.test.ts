import net from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as readyRoute from '@/app/api/health/ready/route';
import * as liveRoute from '@/app/api/health/route';
import { createDb } from '@/db/client';
import { getDb } from '@/lib/db';
import { getProcessRegistry } from '@/lib/metrics/registry';
import { type Auth, callRoute, createTestToken, createTestUser, type TestUser } from '@/test/fixtures';
import { checkReadiness, summariseReadiness } from './check-readiness';
import { READINESS_CACHE_MS } from './get-readiness';

const METRICS_TOKEN = 'metrics-token-for-the-readiness-test';
process.env.METRICS_TOKEN = METRICS_TOKEN;

/** A port on which nothing listens: a database that is down. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const downDb = createDb(`postgres://postgres:postgres@127.0.0.1:${await closedPort()}/ats_sync`, { max: 1 });

afterAll(async () => {
  vi.useRealTimers();
  await downDb.destroy();
});

// Only Date is faked, and only to move past the one-second readiness cache without sleeping.
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});

/** Every test starts with the last cached readiness result out of date. */
beforeEach(() => {
  expireCache();
});

function expireCache(): void {
  vi.setSystemTime(Date.now() + READINESS_CACHE_MS);
}

const details = { headers: { authorization: `Bearer ${METRICS_TOKEN}` } };

/** Signed out unless told otherwise; `details` is the metrics token. */
async function ready(
  options: { auth?: Auth; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any }> {
  const res = await callRoute(readyRoute.GET, { path: '/api/health/ready', ...options });
  return { status: res.status, body: res.body };
}

async function readinessChecksRun(): Promise<number> {
  const metric = await getProcessRegistry().getSingleMetric('ats_readiness_checks_total')?.get();
  return metric?.values[0]?.value ?? 0;
}

/** In the database's time: the test's Date is moved forward past the cache. */
async function beat(id: string, secondsAgo: number): Promise<void> {
  const lastSeen = sql<Date>`now() - make_interval(secs => ${secondsAgo})`;
  await getDb()
    .insertInto('worker_heartbeats')
    .values({
      id,
      host: 'test',
      pid: 1,
      concurrency: 4,
      started_at: new Date(),
      last_seen: lastSeen,
    })
    .onConflict((oc) => oc.column('id').doUpdateSet({ last_seen: lastSeen }))
    .execute();
}

describe('GET /api/health (liveness)', () => {
  it('answers 200 whatever the database does', async () => {
    const res = liveRoute.GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('GET /api/health/ready (readiness)', () => {
  it('stays ready (200, degraded) naming the workers while no worker is alive, ok once one beats, degraded again when it goes stale', async () => {
    const none = await ready(details);
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ status: 'degraded', failing: [], warnings: ['workers'] });
    expect(none.body.checks.workers.error).toMatch(/no worker heartbeat in the last 30 s/);
    expect(none.body.checks).toMatchObject({
      database: { ok: true },
      migrations: { ok: true },
      queue: { ok: true, detail: { schema: 'pgboss' } },
    });
    // A signed-out load balancer sees the same 200 and which check is down, not why.
    expireCache();
    const anonymous = await ready();
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({
      status: 'degraded',
      checks: { database: { ok: true }, migrations: { ok: true }, queue: { ok: true }, workers: { ok: false } },
    });

    await beat('ready-test', 0);
    expireCache();
    const up = await ready(details);
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({
      status: 'ok',
      failing: [],
      warnings: [],
      checks: { workers: { ok: true, detail: { alive: 1 } } },
    });

    await beat('ready-test', 45);
    expireCache();
    const stale = await ready(details);
    expect(stale.status).toBe(200);
    expect(stale.body).toMatchObject({ status: 'degraded', failing: [], warnings: ['workers'] });
    await getDb().deleteFrom('worker_heartbeats').where('id', '=', 'ready-test').execute();
  });

  it('fails the database check, and skips the others, when the database is down', async () => {
    const result = await checkReadiness(downDb, { bossSchema: 'pgboss' });
    expect(result.status).toBe('unavailable');
    expect(result.failing).toEqual(['database', 'migrations', 'queue']);
    expect(result.warnings).toEqual(['workers']);
    expect(result.checks.database).toMatchObject({ ok: false, error: 'connection refused' });
    expect(result.checks.workers.error).toMatch(/database is unreachable/);
  });

  it('names pending migrations and a missing queue schema', async () => {
    await beat('schema-test', 0);
    const db = getDb();
    const { rows } = await sql<{ name: string; timestamp: string }>`
      delete from kysely_migration where name = (select max(name) from kysely_migration) returning name, timestamp
    `.execute(db);
    const { name, timestamp } = rows[0];
    try {
      const result = await checkReadiness(db, { bossSchema: 'no_such_schema' });
      expect(result.failing).toEqual(['migrations', 'queue']);
      expect(result.checks.migrations.error).toBe(`pending migrations: ${name}; run npm run db:migrate`);
      expect(result.checks.queue.error).toMatch(/no_such_schema/);
    } finally {
      await sql`insert into kysely_migration (name, timestamp) values (${name}, ${timestamp})`.execute(db);
      await db.deleteFrom('worker_heartbeats').where('id', '=', 'schema-test').execute();
    }
  });
});

describe('GET /api/health/ready: who sees what', () => {
  let admin: TestUser;
  let recruiter: TestUser;

  beforeAll(async () => {
    admin = await createTestUser('admin');
    recruiter = await createTestUser('recruiter');
  });

  it('tells a signed-out caller only the statuses: no error text, migration names, versions or timings', async () => {
    const { rows } = await sql<{ name: string; timestamp: string }>`
      delete from kysely_migration where name = (select max(name) from kysely_migration) returning name, timestamp
    `.execute(getDb());
    const { name, timestamp } = rows[0];
    try {
      const res = await ready();
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        status: 'unavailable',
        checks: { database: { ok: true }, migrations: { ok: false }, queue: { ok: true }, workers: { ok: false } },
      });
      const text = JSON.stringify(res.body);
      for (const secret of [name, 'pending', 'heartbeat', 'pgboss', 'latency', 'version']) {
        expect(text).not.toContain(secret);
      }

      // The same result, for the monitoring token, with the reasons.
      const detailed = await ready(details);
      expect(detailed.status).toBe(503);
      expect(detailed.body.checks.migrations.error).toBe(`pending migrations: ${name}; run npm run db:migrate`);
    } finally {
      await sql`insert into kysely_migration (name, timestamp) values (${name}, ${timestamp})`.execute(getDb());
    }
  });

  it('hides the database error from a signed-out caller when the database is down', async () => {
    const down = await checkReadiness(downDb, { bossSchema: 'pgboss' });
    expect(down.checks.database.error).toBe('connection refused');
    expect(summariseReadiness(down)).toEqual({
      status: 'unavailable',
      checks: { database: { ok: false }, migrations: { ok: false }, queue: { ok: false }, workers: { ok: false } },
    });
  });

  it('gives the details to an admin (session or API token) and the metrics token, not to a recruiter or a bad token', async () => {
    await beat('who-test', 0);
    try {
      const callers: [string, { auth?: Auth; headers?: Record<string, string> }, boolean][] = [
        ['metrics token', details, true],
        ['admin session', { auth: { session: admin } }, true],
        ['admin API token', { auth: { token: await createTestToken(admin) } }, true],
        ['recruiter session', { auth: { session: recruiter } }, false],
        ['recruiter API token', { auth: { token: await createTestToken(recruiter) } }, false],
        ['unknown token', { headers: { authorization: 'Bearer not-a-token' } }, false],
        ['malformed authorization', { headers: { authorization: 'Basic abc' } }, false],
        ['signed out', {}, false],
      ];
      for (const [who, options, detailed] of callers) {
        const res = await ready(options);
        expect(res.status, who).toBe(200);
        if (detailed) {
          expect(res.body, who).toMatchObject({
            status: 'ok',
            failing: [],
            checks: { queue: { ok: true, detail: { schema: 'pgboss' } }, workers: { detail: { alive: 1 } } },
          });
          expect(res.body.checks.database.latency_ms, who).toEqual(expect.any(Number));
        } else {
          expect(res.body, who).toEqual({
            status: 'ok',
            checks: { database: { ok: true }, migrations: { ok: true }, queue: { ok: true }, workers: { ok: true } },
          });
        }
      }
    } finally {
      await getDb().deleteFrom('worker_heartbeats').where('id', '=', 'who-test').execute();
    }
  });
});

describe('GET /api/health/ready: one check per second', () => {
  it('answers 50 parallel probes with one readiness check', async () => {
    const before = await readinessChecksRun();
    const answers = await Promise.all(Array.from({ length: 50 }, () => ready()));
    expect(await readinessChecksRun()).toBe(before + 1);
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(new Set([JSON.stringify(answers[0])]));
  });

  it('keeps answering the cached result for a second, then reports what changed', async () => {
    await beat('cache-test', 0);
    expect((await ready()).body.status).toBe('ok');
    await getDb().deleteFrom('worker_heartbeats').where('id', '=', 'cache-test').execute();

    const before = await readinessChecksRun();
    const cached = await Promise.all(Array.from({ length: 50 }, () => ready()));
    expect(cached.map((a) => a.body.status)).toEqual(cached.map(() => 'ok'));
    expect(await readinessChecksRun()).toBe(before);

    vi.setSystemTime(Date.now() + READINESS_CACHE_MS - 1);
    expect((await ready()).body.status).toBe('ok');
    vi.setSystemTime(Date.now() + 1);
    const fresh = await ready();
    expect(fresh.body.status).toBe('degraded');
    expect(fresh.body.checks.workers).toEqual({ ok: false });
    expect(await readinessChecksRun()).toBe(before + 1);
  });
});
