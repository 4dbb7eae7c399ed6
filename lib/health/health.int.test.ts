import net from 'node:net';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import * as readyRoute from '@/app/api/health/ready/route';
import * as liveRoute from '@/app/api/health/route';
import { createDb } from '@/db/client';
import { getDb } from '@/lib/db';
import { checkReadiness } from './check-readiness';

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
  await downDb.destroy();
});

async function ready(): Promise<{ status: number; body: Awaited<ReturnType<typeof checkReadiness>> }> {
  const res = await readyRoute.GET();
  return { status: res.status, body: await res.json() };
}

async function beat(id: string, secondsAgo: number): Promise<void> {
  await getDb()
    .insertInto('worker_heartbeats')
    .values({
      id,
      host: 'test',
      pid: 1,
      concurrency: 4,
      started_at: new Date(),
      last_seen: new Date(Date.now() - secondsAgo * 1000),
    })
    .onConflict((oc) => oc.column('id').doUpdateSet({ last_seen: new Date(Date.now() - secondsAgo * 1000) }))
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
  it('is 503 naming the workers while no worker is alive, 200 once one beats, 503 again when it goes stale', async () => {
    const none = await ready();
    expect(none.status).toBe(503);
    expect(none.body).toMatchObject({ status: 'unavailable', failing: ['workers'] });
    expect(none.body.checks.workers.error).toMatch(/no worker heartbeat in the last 30 s/);
    expect(none.body.checks).toMatchObject({
      database: { ok: true },
      migrations: { ok: true },
      queue: { ok: true, detail: { schema: 'pgboss' } },
    });

    await beat('ready-test', 0);
    const up = await ready();
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({
      status: 'ok',
      failing: [],
      checks: { workers: { ok: true, detail: { alive: 1 } } },
    });

    await beat('ready-test', 45);
    const stale = await ready();
    expect(stale.status).toBe(503);
    expect(stale.body.failing).toEqual(['workers']);
    await getDb().deleteFrom('worker_heartbeats').where('id', '=', 'ready-test').execute();
  });

  it('fails the database check, and skips the others, when the database is down', async () => {
    const result = await checkReadiness(downDb, { bossSchema: 'pgboss' });
    expect(result.status).toBe('unavailable');
    expect(result.failing).toEqual(['database', 'migrations', 'queue', 'workers']);
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
