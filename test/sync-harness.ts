import { randomBytes, randomUUID } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll } from 'vitest';
import { type MockSource, type MockSourceOptions, startMockSource } from '@/scripts/mock-source/server';
import { stopSender } from '@/lib/queue/sender';
import { createTestToken, createTestUser } from '@/test/fixtures';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { getLogger } from '@/lib/logger';
import { createBoss } from '@/lib/queue/boss';
import type { CreateSourceInput } from '@/lib/sources/schemas';
import { createSource } from '@/lib/sources/service';
import { startSync } from '@/lib/sync/service';
import { getSender } from '@/lib/queue/sender';
import { registerHandlers } from '@/worker/register-handlers';

const admin = systemActor('test');

/** A posting with `hired` hired candidates and `others` in earlier stages, inserted directly. */
export async function createPostingWithHired(
  hired: number,
  others = 0,
): Promise<{ id: string; slug: string; candidateIds: string[] }> {
  const db = getDb();
  const slug = `post-${randomBytes(4).toString('hex')}`;
  const job = await db
    .insertInto('job_postings')
    .values({ slug, title: `Posting ${slug}`, department: 'Engineering', location: 'Remote' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rows = Array.from({ length: hired + others }, (_, i) => ({
    job_posting_id: job.id,
    first_name: `First${i}`,
    last_name: `Last${i}`,
    email: `c${i}-${slug}@example.test`,
    phone: i % 2 ? `+1 555 01${String(i).padStart(2, '0')}` : null,
    stage: i < hired ? ('hired' as const) : ('interview' as const),
    hired_at: i < hired ? new Date(Date.now() - i * 1000) : null,
  }));
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const inserted = await db
      .insertInto('candidates')
      .values(rows.slice(i, i + 1000))
      .returning('id')
      .execute();
    ids.push(...inserted.map((r) => r.id));
  }
  return { id: job.id, slug, candidateIds: ids.slice(0, hired) };
}

export async function createTestSource(url: string, overrides: Partial<CreateSourceInput> = {}) {
  return createSource(getDb(), admin, {
    name: `source-${randomBytes(3).toString('hex')}`,
    connector: 'generic_webhook',
    base_url: url,
    sync_endpoint: '/hooks',
    method: 'POST',
    auth: { type: 'none' },
    headers: {},
    field_mapping: {},
    timeout_ms: 5000,
    max_concurrency: 8,
    batch_size: 10,
    max_attempts: 3,
    is_active: true,
    ...overrides,
  });
}

export type TestWorker = { boss: PgBoss; workerId: string; stop: () => Promise<void> };

/** The real worker (same registration as worker/index.ts) running in the test process. */
export async function startTestWorker(): Promise<TestWorker> {
  const env = getEnv();
  const boss = createBoss(env, 'worker', { max: 6 });
  await boss.start();
  const workerId = `test:${randomUUID().slice(0, 8)}`;
  const handlers = await registerHandlers({ boss, db: getDb(), env, log: getLogger(), workerId });
  return {
    boss,
    workerId,
    stop: async () => {
      await boss.stop({ graceful: true, timeout: 10_000 });
      await handlers.close();
    },
  };
}

/** A sender like the web's, for calling services that enqueue. */
export async function startTestSender(): Promise<PgBoss> {
  const boss = createBoss(getEnv(), 'web', { max: 2 });
  await boss.start();
  return boss;
}

/** Polls `fn` until it returns something truthy; `timeoutMs` only ends a wait on something broken. */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last as T;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function waitForRunFinished(runId: string, timeoutMs = 60_000) {
  return waitFor(
    `run ${runId} to finish`,
    async () => {
      const run = await getDb().selectFrom('sync_runs').selectAll().where('id', '=', runId).executeTakeFirst();
      return run && ['completed', 'partially_failed', 'failed', 'cancelled'].includes(run.status) ? run : undefined;
    },
    timeoutMs,
  );
}

/**
 * The mock receiver of a test file: started in beforeAll, closed in afterAll (after the file's own
 * afterAll, which stops the workers sending to it). Use it inside tests and hooks, not at load time.
 */
export function setupMockReceiver(options: MockSourceOptions = {}): MockSource {
  let started: MockSource | undefined;
  beforeAll(async () => {
    started = await startMockSource(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  const mock = () => {
    if (!started) throw new Error('the mock receiver starts in beforeAll: use it inside a test or hook');
    return started;
  };
  return {
    get url() {
      return mock().url;
    },
    get port() {
      return mock().port;
    },
    close: () => mock().close(),
    requests: (filter) => mock().requests(filter),
    configure: (input) => mock().configure(input),
    config: () => mock().config(),
    reset: () => mock().reset(),
    release: () => mock().release(),
    stats: () => mock().stats(),
  };
}

export type SyncTestEnvironment = { mock: MockSource; worker: TestWorker; token: string };

/**
 * The usual set-up of a sync test file: a mock receiver, the real worker in-process and a
 * recruiter's API token, torn down after the file. Read `worker` and `token` inside tests (they
 * are set in beforeAll).
 */
export function setupSyncTestEnvironment(mockOptions: MockSourceOptions = {}): SyncTestEnvironment {
  const env = { mock: setupMockReceiver(mockOptions) } as SyncTestEnvironment;
  beforeAll(async () => {
    env.worker = await startTestWorker();
    env.token = await createTestToken(await createTestUser('recruiter'));
  });
  afterAll(async () => {
    await env.worker?.stop();
    await stopSender();
  });
  return env;
}

/** Starts a sync of a posting's hired candidates to the given sources the way the web does; returns the task id. */
export async function startSyncOf(slug: string, sourceIds: string[]): Promise<string> {
  const result = await startSync(getDb(), await getSender(), admin, { slug, source_ids: sourceIds, force: false });
  return result.task_id;
}
