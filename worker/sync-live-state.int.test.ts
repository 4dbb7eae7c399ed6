import { randomUUID } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as syncRoute from '@/app/(app)/recruitment/jobs/[slug]/sync-hired-candidates/route';
import * as statusRoute from '@/app/recruitment/sync/task/[taskId]/status/route';
import * as taskRoute from '@/app/api/v1/sync-admin/tasks/[id]/route';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { getLogger } from '@/lib/logger';
import { type MockSource, startMockSource } from '@/scripts/mock-source/server';
import { createBoss } from '@/lib/queue/boss';
import { stopSender } from '@/lib/queue/sender';
import { cancelRun, getRunStatus } from '@/lib/sync/service';
import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import { registerHandlers } from './register-handlers';
import { createPostingWithHired, createTestSource, waitFor } from '@/test/sync-harness';

/**
 * The live state of a run: a delivery waiting for its next attempt and a source paused by a
 * Retry-After show in the status answer and the admin task, and change the status ETag (a retry
 * changes neither the run's version nor its counts). The worker runs with an hour's retry delay,
 * so the waiting delivery stays waiting while the test looks at it.
 */
let mock: MockSource;
let boss: PgBoss;
let handlers: { close: () => Promise<void> };
let token: string;
let adminToken: string;

beforeAll(async () => {
  mock = await startMockSource();
  const env = { ...getEnv(), RETRY_DELAY_SECONDS: 3600 };
  boss = createBoss(env, 'worker', { max: 6 });
  await boss.start();
  handlers = await registerHandlers({
    boss,
    db: getDb(),
    env,
    log: getLogger(),
    workerId: `test:${randomUUID().slice(0, 8)}`,
  });
  token = await createTestToken(await createTestUser('recruiter'));
  adminToken = await createTestToken(await createTestUser('admin'));
});

afterAll(async () => {
  await boss?.stop({ graceful: true, timeout: 10_000 });
  await handlers?.close();
  await stopSender();
  await mock?.close();
});

const poll = (taskId: string, etag?: string) =>
  callRoute(statusRoute.GET, {
    params: { taskId },
    auth: { token },
    headers: etag ? { 'if-none-match': etag } : {},
  });

const deliveryOf = (runId: string) =>
  getDb().selectFrom('sync_deliveries').selectAll().where('run_id', '=', runId).executeTakeFirst();

describe('the live state of a run', () => {
  it('shows a delivery waiting to retry and a paused source, and each changes the ETag', async () => {
    // The first request is held at the receiver, then answered 500: the run is caught before and
    // after its delivery starts waiting.
    mock.configure({ path: '/later', mode: 'hold', fail_next: 1, fail_status: 500 });
    const source = await createTestSource(mock.url, { name: 'Later HR', sync_endpoint: '/later', max_attempts: 3 });
    const other = await createTestSource(mock.url, { name: 'Elsewhere', sync_endpoint: '/elsewhere' });
    const posting = await createPostingWithHired(1);
    const started = await callRoute(syncRoute.POST, {
      method: 'POST',
      params: { slug: posting.slug },
      auth: { token },
      body: { source_ids: [source.id] },
    });
    expect(started.status).toBe(202);
    const taskId: string = started.body.task_id;
    await waitFor(
      'the first attempt to reach the receiver',
      async () => (await deliveryOf(taskId))?.held_until != null,
    );

    const sending = await poll(taskId);
    expect(sending.body.progress).toMatchObject({ total: 1, processed: 0, waiting_retry: 0 });
    expect(sending.body.sources[0]).toMatchObject({ waiting_retry: 0, next_attempt_at: null, paused_until: null });
    expect(sending.body.retrying).toEqual([]);
    const etagSending = sending.headers.get('etag')!;
    expect((await poll(taskId, etagSending)).status).toBe(304);

    expect(mock.release()).toBe(1);
    const waiting = await waitFor('the delivery to wait for its next attempt', async () => {
      const d = await deliveryOf(taskId);
      return d?.status === 'pending' && d.next_attempt_at ? d : undefined;
    });
    expect(waiting).toMatchObject({ attempts: 1, http_status: 500, error_code: 'server_error' });

    // The counts did not move, yet the poll with the old ETag gets the new state.
    const retry = await poll(taskId, etagSending);
    expect(retry.status).toBe(200);
    const etagWaiting = retry.headers.get('etag')!;
    expect(etagWaiting).not.toBe(etagSending);
    const nextAttemptAt = waiting.next_attempt_at!.toISOString();
    expect(retry.body.progress).toMatchObject({ processed: 0, succeeded: 0, failed: 0, waiting_retry: 1 });
    expect(retry.body.sources).toEqual([
      expect.objectContaining({
        source_id: source.id,
        name: 'Later HR',
        status: 'running',
        max_attempts: 3,
        waiting_retry: 1,
        next_attempt_at: nextAttemptAt,
        waiting_attempts: { min: 1, max: 1 },
        paused_until: null,
        pause_reason: null,
        pause_http_status: null,
      }),
    ]);
    expect(retry.body.retrying).toEqual([
      {
        candidate_id: posting.candidateIds[0],
        candidate_name: 'First0 Last0',
        source_id: source.id,
        source_name: 'Later HR',
        attempts: 1,
        max_attempts: 3,
        next_attempt_at: nextAttemptAt,
        code: 'server_error',
        message: 'HTTP 500',
        http_status: 500,
      },
    ]);
    expect((await poll(taskId, etagWaiting)).status).toBe(304);

    // A pause of a source the run does not use is not this run's news.
    const db = getDb();
    const inTenMinutes = new Date(Date.now() + 10 * 60_000);
    await db
      .insertInto('source_pauses')
      .values({ source_id: other.id, paused_until: inTenMinutes, reason: 'Retry-After: 600', http_status: 503 })
      .execute();
    expect((await poll(taskId, etagWaiting)).status).toBe(304);

    // The run's source is paused by a Retry-After.
    await db
      .insertInto('source_pauses')
      .values({ source_id: source.id, paused_until: inTenMinutes, reason: 'Retry-After: 600', http_status: 429 })
      .execute();
    const paused = await poll(taskId, etagWaiting);
    expect(paused.status).toBe(200);
    const etagPaused = paused.headers.get('etag')!;
    expect(etagPaused).not.toBe(etagWaiting);
    expect(paused.body.sources[0]).toMatchObject({
      waiting_retry: 1,
      paused_until: inTenMinutes.toISOString(),
      pause_reason: 'Retry-After: 600',
      pause_http_status: 429,
    });
    expect((await poll(taskId, etagPaused)).status).toBe(304);

    // The admin's task page says the same.
    const task = await callRoute(taskRoute.GET, { params: { id: taskId }, auth: { token: adminToken } });
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({ waiting_retry: 1, unfinished: 1, retrying: retry.body.retrying });
    expect(task.body.sources).toEqual([
      expect.objectContaining({
        source_id: source.id,
        max_attempts: 3,
        waiting_retry: 1,
        next_attempt_at: nextAttemptAt,
        waiting_attempts: { min: 1, max: 1 },
        paused_until: inTenMinutes.toISOString(),
        pause_http_status: 429,
      }),
    ]);

    // A delivery held back before its first attempt is not waiting to retry.
    const heldBack = await db
      .insertInto('sync_deliveries')
      .values({
        run_id: taskId,
        source_id: other.id,
        candidate_id: posting.candidateIds[0],
        status: 'pending',
        attempts: 0,
        next_attempt_at: inTenMinutes,
        payload_hash: 'held-back',
        idempotency_key: randomUUID(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect((await poll(taskId, etagPaused)).status).toBe(304);
    await db.deleteFrom('sync_deliveries').where('id', '=', heldBack.id).execute();

    // A pause that is over drops out by itself, and the poller hears of it.
    await db
      .updateTable('source_pauses')
      .set({ paused_until: new Date(Date.now() - 1000) })
      .where('source_id', '=', source.id)
      .execute();
    const resumed = await poll(taskId, etagPaused);
    expect(resumed.status).toBe(200);
    expect(resumed.body.sources[0]).toMatchObject({ waiting_retry: 1, paused_until: null, pause_reason: null });

    await cancelRun(db, systemActor('test'), taskId);
    const cancelled = await getRunStatus(db, taskId, null);
    expect(cancelled.notModified).toBe(false);
    if (!cancelled.notModified) {
      expect(cancelled.body.progress.waiting_retry).toBe(0);
      expect(cancelled.body.retrying).toEqual([]);
    }
  });
});
