import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '@/db/client';
import { encryptSecret, getKeyring } from '@/lib/crypto/secret-box';
import { getDb } from '@/lib/db';
import { createTestSource } from '@/test/sync-harness';
import { freePort, withDatabase } from '@/test/setup/global-setup';
import { runCli } from './run-cli';

/** A source's receiver on 127.0.0.1 answering every request with `status`, counting them. */
type Receiver = { url: string; status: number; requests: number; authorization: string[] };
const receiver: Receiver = { url: '', status: 200, requests: 0, authorization: [] };
let server: http.Server;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    receiver.requests++;
    receiver.authorization.push(String(req.headers.authorization ?? ''));
    req.resume();
    req.on('end', () => {
      res.writeHead(receiver.status, { 'content-type': 'application/json' });
      res.end(receiver.status === 401 ? '{"error":"invalid api key"}' : '{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

afterEach(async () => {
  const db = getDb();
  await db.updateTable('sources').set({ deleted_at: new Date() }).where('deleted_at', 'is', null).execute();
  await db.deleteFrom('worker_heartbeats').execute();
  await db.deleteFrom('webhook_endpoints').execute();
  receiver.status = 200;
  receiver.requests = 0;
  receiver.authorization = [];
});

async function doctor(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['doctor', ...args], {
    db: getDb,
    output: { out: (l) => out.push(l), err: (l) => err.push(l) },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The report line of one check: status, name, what was found. */
function line(out: string, check: string): string {
  return out.split('\n').find((l) => l.slice(6).startsWith(`${check} `)) ?? `(no line for ${check})`;
}

async function aliveWorker(secondsAgo = 2) {
  await getDb()
    .insertInto('worker_heartbeats')
    .values({
      id: `doctor-${randomUUID()}`,
      host: 'worker-host',
      pid: 4242,
      concurrency: 4,
      started_at: sql<Date>`now() - interval '1 hour'`,
      last_seen: sql<Date>`now() - make_interval(secs => ${secondsAgo})`,
    })
    .execute();
}

describe('npm run cli -- doctor', () => {
  it('answers OK for a healthy installation and exits 0, testing each source through the outbound client', async () => {
    await aliveWorker();
    const source = await createTestSource(receiver.url, { name: 'HR healthy' });
    const res = await doctor();
    expect(res.code).toBe(0);
    for (const check of ['configuration', 'sign-in secret', 'encryption key', 'database', 'migrations', 'queue'])
      expect(line(res.out, check)).toMatch(/^OK /);
    expect(line(res.out, 'workers')).toMatch(/^OK +workers +1 alive \(newest heartbeat \d+ s ago\)/);
    expect(line(res.out, `source "${source.name}"`)).toMatch(/^OK .*connection test passed \(HTTP 200, \d+ ms\)/);
    expect(line(res.out, 'webhooks')).toMatch(/^OK .*no completion webhook endpoints/);
    expect(res.out).toMatch(/\n0 FAIL, 0 WARN, \d+ OK$/);
    expect(receiver.requests).toBe(1);
  });

  it('FAILs a pending migration, naming it and the command that applies it', async () => {
    await aliveWorker();
    const db = getDb();
    const last = await db
      .selectFrom('kysely_migration' as never)
      .selectAll()
      .orderBy(sql`timestamp`, 'desc')
      .executeTakeFirstOrThrow();
    const name = (last as { name: string }).name;
    await sql`delete from kysely_migration where name = ${name}`.execute(db);
    try {
      const res = await doctor('--skip-network');
      expect(res.code).toBe(1);
      expect(line(res.out, 'migrations')).toMatch(new RegExp(`^FAIL +migrations +1 not applied: ${name}$`));
      expect(res.out).toContain('-> run npm run db:migrate');
      expect(res.out).toMatch(/\n1 FAIL, \d+ WARN, \d+ OK: fix the FAIL lines first, top down$/);
    } finally {
      await sql`insert into kysely_migration (name, timestamp) values (${name}, ${(last as { timestamp: string }).timestamp})`.execute(
        db,
      );
    }
  });

  it('FAILs when no worker is alive, saying when the last one was seen and how to start one', async () => {
    const never = await doctor('--skip-network');
    expect(never.code).toBe(1);
    expect(line(never.out, 'workers')).toMatch(/^FAIL +workers +no worker has ever run against this database$/);
    expect(never.out).toContain('-> start one with npm run worker');

    await aliveWorker(300);
    const stale = await doctor('--skip-network');
    expect(stale.code).toBe(1);
    expect(line(stale.out, 'workers')).toContain(
      'no worker alive: the last heartbeat came 5 min ago, from worker-host (pid 4242)',
    );
  });

  it('FAILs a source answering 401 on its connection test, without showing its secret; --skip-network sends nothing', async () => {
    await aliveWorker();
    receiver.status = 401;
    const secret = 'doctor-bearer-secret-0123456789';
    const source = await createTestSource(receiver.url, {
      name: 'HR refusing',
      auth: { type: 'bearer', token: secret },
    });
    const res = await doctor();
    expect(res.code).toBe(1);
    expect(receiver.requests).toBe(1);
    expect(receiver.authorization).toEqual([`Bearer ${secret}`]);
    expect(line(res.out, `source "${source.name}"`)).toMatch(/^FAIL .*connection test: auth_failed \(HTTP 401\)/);
    expect(res.out).toContain('-> the source refuses its credentials: update them on /sync-admin/sources');
    expect(res.out + res.err).not.toContain(secret);

    const offline = await doctor('--skip-network');
    expect(offline.code).toBe(1);
    expect(receiver.requests).toBe(1);
    expect(line(offline.out, `source "${source.name}"`)).toMatch(
      /^FAIL .*auth_failed \(checked .*\).*; not tested now \(--skip-network\)$/,
    );
  });

  it('WARNs a paused source and a webhook endpoint disabled for failing', async () => {
    await aliveWorker();
    const db = getDb();
    const source = await createTestSource(receiver.url, { name: 'HR paused' });
    await db
      .insertInto('source_pauses')
      .values({ source_id: source.id, kind: 'admin', reason: 'payroll freeze', paused_until: sql<Date>`'infinity'` })
      .execute();
    await db
      .insertInto('webhook_endpoints')
      .values({
        name: 'ops receiver',
        url: 'https://hooks.example.test/ats',
        events: ['sync.completed'],
        secret_encrypted: encryptSecret(getKeyring(), 'whsec_doctor'),
        secret_hint: 'whsec…',
        is_active: false,
        consecutive_failures: 12,
        failing_since: sql<Date>`now() - interval '6 days'`,
        disabled_at: sql<Date>`now()`,
        disabled_kind: 'failing',
        disabled_reason: 'every attempt failed for 5 days',
        last_error: 'HTTP 503\u001b[2J\u001b]0;owned\u0007',
      })
      .execute();
    const res = await doctor('--skip-network');
    expect(res.code).toBe(0);
    expect(line(res.out, `source "${source.name}"`)).toMatch(/^WARN .*paused \(by an admin: payroll freeze\)/);
    expect(res.out).toContain('-> resume it on /sync-admin/sources');
    // The receiver's error text is theirs: its escape sequences are shown, not played on the terminal.
    expect(line(res.out, 'webhook "ops receiver"')).toMatch(
      /^WARN .*disabled after failing since .*: HTTP 503\\x1b\[2J\\x1b\]0;owned\\x07$/,
    );
    expect([...res.out].some((c) => c.charCodeAt(0) < 0x20 && c !== '\n')).toBe(false);
    expect(res.out).toContain('-> fix the receiver, then enable it again on /sync-admin/webhooks');
  });

  it('FAILs the configuration (and checks nothing else) or a missing sign-in secret', async () => {
    const saved = { PORT: process.env.PORT, NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET };
    const restore = () => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    };
    try {
      process.env.PORT = 'not-a-port';
      const bad = await doctor('--skip-network');
      expect(bad.code).toBe(1);
      expect(line(bad.out, 'configuration')).toMatch(/^FAIL +configuration +invalid: PORT: /);
      expect(bad.out).not.toContain('database');
      restore();

      delete process.env.NEXTAUTH_SECRET;
      await aliveWorker();
      const noSecret = await doctor('--skip-network');
      expect(noSecret.code).toBe(1);
      expect(line(noSecret.out, 'sign-in secret')).toMatch(/^FAIL .*NEXTAUTH_SECRET is not set: nobody can sign in$/);
    } finally {
      restore();
    }
  });

  it('FAILs a database that does not answer with what the CLI knows about it, and refuses unknown options', async () => {
    const db = createDb(`postgres://postgres:x@127.0.0.1:${await freePort()}/none`, { max: 1 });
    try {
      const out: string[] = [];
      const code = await runCli(['doctor'], {
        db: () => db,
        output: { out: (l) => out.push(l), err: (l) => out.push(l) },
        unreachable: () =>
          'nothing answers on 127.0.0.1:1, the embedded PostgreSQL of npm start: is npm start running?',
      });
      expect(code).toBe(1);
      expect(line(out.join('\n'), 'database')).toContain('nothing answers on 127.0.0.1:1');
      expect(line(out.join('\n'), 'migrations')).toBe('(no line for migrations)');
    } finally {
      await db.destroy();
    }

    // A database that exists but was never migrated: every migration pending, the rest said, not thrown.
    const empty = `doctor_empty_${randomUUID().slice(0, 8)}`;
    await sql`create database ${sql.id(empty)}`.execute(getDb());
    const emptyDb = createDb(withDatabase(process.env.DATABASE_URL!, empty), { max: 1 });
    try {
      const out: string[] = [];
      const code = await runCli(['doctor'], {
        db: () => emptyDb,
        output: { out: (l) => out.push(l), err: (l) => out.push(l) },
      });
      const report = out.join('\n');
      expect(code).toBe(1);
      expect(line(report, 'migrations')).toMatch(/^FAIL +migrations +\d+ not applied: 2026-11-28-001-foundation, /);
      expect(line(report, 'queue')).toMatch(/^FAIL +queue +the pg-boss schema "pgboss" is not installed$/);
      expect(line(report, 'workers')).toMatch(
        /^FAIL +workers +could not be checked: relation "worker_heartbeats" does not exist$/,
      );
      expect(report).toContain('-> apply the migrations first (above)');
    } finally {
      await emptyDb.destroy();
      await sql`drop database ${sql.id(empty)} with (force)`.execute(getDb());
    }

    const wrong = await doctor('--skip-netwrok');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain("Unknown option '--skip-netwrok'");
  });
});
