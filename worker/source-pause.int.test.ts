import { describe, expect, it } from 'vitest';
import * as pauseRoute from '@/app/api/v1/sources/[id]/pause/route';
import * as resumeRoute from '@/app/api/v1/sources/[id]/resume/route';
import * as testRoute from '@/app/api/v1/sources/[id]/test/route';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { deliverQueue, deliverQueues } from '@/lib/queue/queues';
import { getSender } from '@/lib/queue/sender';
import { getSourceOrThrow, updateSource } from '@/lib/sources/service';
import { getKeyring } from '@/lib/crypto/secret-box';
import { getLogger } from '@/lib/logger';
import { createSourceAuthorizer } from '@/lib/sync/connectors/authorize';
import { sweep } from '@/lib/sync/sweep';
import { enqueueDeliveries } from '@/lib/sync/enqueue';
import { getRunStatus } from '@/lib/sync/service';
import type { RunStatus } from '@/lib/sync/schemas';
import type { WebhookEvent } from '@/lib/webhooks/schemas';
import { createWebhook } from '@/lib/webhooks/service';
import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import {
  createPostingWithHired,
  createTestSource,
  setupSyncTestEnvironment,
  startSyncOf,
  waitFor,
  waitForRunFinished,
} from '@/test/sync-harness';

/**
 * Pausing a source (issue 21 item 5) through the real worker: a pause mid-run holds what was not
 * sent yet (no request, no attempt), the status answer counts it as `paused`, and resuming sends
 * each delivery once; refused credentials pause the source by themselves and say so at a webhook.
 */
const env = setupSyncTestEnvironment();
const admin = systemActor('test');

const deliveriesOf = (runId: string) =>
  getDb().selectFrom('sync_deliveries').selectAll().where('run_id', '=', runId).execute();

const status = async (taskId: string): Promise<RunStatus> => {
  const answer = await getRunStatus(getDb(), taskId, null);
  if (answer.notModified) throw new Error('a status without If-None-Match is never 304');
  return answer.body;
};

async function adminAuth() {
  return { token: await createTestToken(await createTestUser('admin')) };
}

/**
 * Queues a job for every pending delivery of the run, as a sweeper or a lost resume might, and
 * waits until the worker has taken them all: had the pause let anything through, it would be sent by then.
 */
async function pushPendingAgain(runId: string, sourceId: string) {
  const pending = (await deliveriesOf(runId)).filter((d) => d.status === 'pending');
  const sender = await getSender();
  await getDb()
    .transaction()
    .execute((trx) => enqueueDeliveries(trx, deliverQueues(sender, getEnv()), runId, pending));
  await waitFor('the pushed delivery jobs to be done', async () => {
    const jobs = await sender.findJobs(deliverQueue.name(sourceId));
    return jobs.length > 0 && jobs.every((j) => !['created', 'retry', 'active'].includes(j.state));
  });
}

/** One pass of the sweeper; `orphanAfterSeconds` 0 takes every pending delivery without a job for lost. */
async function sweepNow(orphanAfterSeconds?: number) {
  const sender = await getSender();
  return sweep(
    {
      db: getDb(),
      boss: sender,
      log: getLogger(),
      workerId: 'test-sweeper',
      retryDelaySeconds: 0,
      queues: deliverQueues(sender, getEnv()),
      authorizer: createSourceAuthorizer({ db: getDb(), keyring: getKeyring(), log: getLogger() }),
    },
    { orphanAfterSeconds },
  );
}

describe('pause and resume a source', () => {
  it('mid-run: in-flight requests finish, nothing more is sent or counted; resume delivers each once', async () => {
    const auth = await adminAuth();
    env.mock.configure({ path: '/held', mode: 'hold' });
    const source = await createTestSource(env.mock.url, { sync_endpoint: '/held', max_concurrency: 2 });
    const posting = await createPostingWithHired(20);
    const taskId = await startSyncOf(posting.slug, [source.id]);
    await waitFor('two requests in flight', async () => env.mock.requests({ path: '/held' }).length === 2);

    const paused = await callRoute(pauseRoute.POST, {
      method: 'POST',
      params: { id: source.id },
      auth,
      body: { reason: 'payroll migration this weekend' },
    });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      source_id: source.id,
      changed: true,
      pause: { kind: 'admin', reason: 'payroll migration this weekend', until: null },
    });

    env.mock.configure({ path: '/held', mode: 'ok' });
    env.mock.release();
    // The requests in flight when the workers heard of the pause (the two held ones, and any a
    // worker started before the notice reached it) finish; the rest wait, counted as paused.
    const settled = await waitFor('the run to hold the rest as paused', async () => {
      const s = await status(taskId);
      const held = await deliveriesOf(taskId);
      const inFlight = held.some((d) => d.status === 'pending' && d.held_until !== null);
      return !inFlight && s.progress.succeeded + s.progress.paused === 20 ? s : undefined;
    });
    const sent = settled.progress.succeeded;
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(sent).toBeLessThan(20);
    expect(settled.status).toBe('running');
    expect(settled.sources[0]).toMatchObject({
      source_id: source.id,
      paused: 20 - sent,
      pause_kind: 'admin',
      paused_until: null,
      pause_reason: 'payroll migration this weekend',
      waiting_retry: 0,
    });

    await pushPendingAgain(taskId, source.id);
    expect(env.mock.requests({ path: '/held' })).toHaveLength(sent);
    const held = await deliveriesOf(taskId);
    // Only the requests that were sent count as attempts.
    expect(held.reduce((n, d) => n + d.attempts, 0)).toBe(sent);
    expect((await status(taskId)).progress.paused).toBe(20 - sent);
    expect((await getSourceOrThrow(getDb(), admin, source.id)).pause).toMatchObject({ kind: 'admin' });

    const resumed = await callRoute(resumeRoute.POST, { method: 'POST', params: { id: source.id }, auth });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ source_id: source.id, changed: true, pause: null, enqueued: 20 - sent });

    expect(await waitForRunFinished(taskId)).toMatchObject({ status: 'completed', succeeded: 20, failed: 0 });
    expect(env.mock.stats().by_path['/held']).toMatchObject({
      total_requests: 20,
      unique_deliveries: 20,
      duplicates: 0,
    });
    expect((await deliveriesOf(taskId)).every((d) => d.attempts === 1)).toBe(true);
    const done = await status(taskId);
    expect(done.progress.paused).toBe(0);
    expect(done.sources[0]).toMatchObject({ paused: 0, pause_kind: null });
  });

  it('a source paused before the sync holds the whole run; new runs wait too; resume sends them', async () => {
    const auth = await adminAuth();
    const source = await createTestSource(env.mock.url, { sync_endpoint: '/before' });
    await callRoute(pauseRoute.POST, { method: 'POST', params: { id: source.id }, auth });
    const posting = await createPostingWithHired(5);
    const taskId = await startSyncOf(posting.slug, [source.id]);
    await waitFor('the run to hold every delivery as paused', async () => (await status(taskId)).progress.paused === 5);
    await pushPendingAgain(taskId, source.id);
    expect(env.mock.requests({ path: '/before' })).toHaveLength(0);
    // The sweeper leaves them alone too: they wait for the resume, not for a lost job.
    expect((await sweepNow(0)).requeued).toBe(0);
    expect((await deliveriesOf(taskId)).every((d) => d.attempts === 0)).toBe(true);
    expect((await status(taskId)).sources[0]).toMatchObject({
      pause_kind: 'admin',
      pause_reason: 'paused by an admin',
    });

    await callRoute(resumeRoute.POST, { method: 'POST', params: { id: source.id }, auth });
    expect(await waitForRunFinished(taskId)).toMatchObject({ status: 'completed', succeeded: 5 });
    expect(env.mock.stats().by_path['/before']).toMatchObject({ total_requests: 5, duplicates: 0 });
  });
});

describe('stopping for good', () => {
  it('deactivating a paused source fails its waiting deliveries at the next sweep; the run ends', async () => {
    const auth = await adminAuth();
    const source = await createTestSource(env.mock.url, { sync_endpoint: '/stopped' });
    await callRoute(pauseRoute.POST, { method: 'POST', params: { id: source.id }, auth });
    const posting = await createPostingWithHired(3);
    const taskId = await startSyncOf(posting.slug, [source.id]);
    await waitFor('the run to hold every delivery as paused', async () => (await status(taskId)).progress.paused === 3);
    await updateSource(getDb(), admin, source.id, { is_active: false });
    await sweepNow();
    expect(await waitForRunFinished(taskId)).toMatchObject({ status: 'failed', failed: 3 });
    expect((await deliveriesOf(taskId)).every((d) => d.error_code === 'source_inactive' && d.attempts === 0)).toBe(
      true,
    );
    expect(env.mock.requests({ path: '/stopped' })).toHaveLength(0);
  });
});

describe('refused credentials', () => {
  it('pause the source with the reason, tell the completion webhooks, and a good connection test resumes it', async () => {
    const auth = await adminAuth();
    const hook = await createWebhook(getDb(), admin, {
      name: 'ops',
      url: `${env.mock.url}/events`,
      events: ['source.unhealthy'],
    });
    expect(hook.id).toBeTruthy();
    env.mock.configure({ path: '/locked', mode: 'status', fail_status: 401 });
    const secret = 'tok-very-secret-4242';
    const source = await createTestSource(env.mock.url, {
      sync_endpoint: '/locked',
      auth: { type: 'bearer', token: secret },
      max_concurrency: 1,
      max_attempts: 3,
    });
    const posting = await createPostingWithHired(4);
    const taskId = await startSyncOf(posting.slug, [source.id]);

    const event = await waitFor('a source.unhealthy event at the receiver', async () =>
      env.mock
        .requests({ path: '/events' })
        .map((r) => r.json as WebhookEvent)
        .find((e) => e?.type === 'source.unhealthy' && (e.data.source as { id: string }).id === source.id),
    );
    expect(event.data).toMatchObject({ health_status: 'auth_failed', paused: true });
    expect(event.data.pause_reason).toMatch(/^credentials refused: /);
    expect(JSON.stringify(event)).not.toContain(secret);

    const pause = (await getSourceOrThrow(getDb(), admin, source.id)).pause;
    expect(pause).toMatchObject({ kind: 'auth_failed', until: null });
    expect(pause?.reason).toMatch(/^credentials refused: /);
    expect(pause?.reason).not.toContain(secret);

    // The first batch was refused; what was not retried yet waits, and nothing more is tried.
    const refused = env.mock.requests({ path: '/locked' }).length;
    await waitFor('the run to count what waits', async () => {
      const s = await status(taskId);
      return s.progress.paused + s.progress.waiting_retry === 4 - s.progress.failed;
    });
    await pushPendingAgain(taskId, source.id);
    expect(env.mock.requests({ path: '/locked' })).toHaveLength(refused);
    const attempts = (await deliveriesOf(taskId)).reduce((n, d) => n + d.attempts, 0);
    expect(attempts).toBe(refused);
    const live = (await status(taskId)).sources[0];
    expect(live.pause_kind).toBe('auth_failed');
    expect(live.paused + live.waiting_retry).toBeGreaterThan(0);

    // The credentials work again: a connection test that succeeds lifts the pause and sends the rest.
    env.mock.configure({ path: '/locked', mode: 'ok' });
    const tested = await callRoute(testRoute.POST, { method: 'POST', params: { id: source.id }, auth });
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ ok: true, resumed: true });
    expect((await getSourceOrThrow(getDb(), admin, source.id)).pause).toBeNull();
    const run = await waitForRunFinished(taskId);
    expect(run.succeeded + run.failed).toBe(4);
    expect(run.succeeded).toBeGreaterThan(0);
    const delivered = env.mock
      .requests({ path: '/locked' })
      .filter((r) => r.status === 200)
      .map((r) => r.idempotency_key);
    expect(new Set(delivered).size).toBe(delivered.length);
  });

  it('an admin pause is not lifted by a connection test', async () => {
    const auth = await adminAuth();
    const source = await createTestSource(env.mock.url, { sync_endpoint: '/tested' });
    await callRoute(pauseRoute.POST, { method: 'POST', params: { id: source.id }, auth });
    const tested = await callRoute(testRoute.POST, { method: 'POST', params: { id: source.id }, auth });
    expect(tested.body).toMatchObject({ ok: true });
    expect(tested.body.resumed).toBeUndefined();
    expect((await getSourceOrThrow(getDb(), admin, source.id)).pause).toMatchObject({ kind: 'admin' });
  });
});
