import { sql } from 'kysely';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { getLogger } from '@/lib/logger';
import { Webhook } from 'standardwebhooks';
import { type MockSource, startMockSource } from '@/scripts/mock-source/server';
import { deliverQueues } from '@/lib/queue/queues';
import { retryFailed, startSync } from '@/lib/sync/service';
import { sweep } from '@/lib/sync/sweep';
import {
  type TestWorker,
  createPostingWithHired,
  createTestSource,
  startTestSender,
  startTestWorker,
  waitFor,
  waitForRunFinished,
} from '@/test/sync-harness';
import type { WebhookEvent } from './schemas';
import { createWebhook } from './service';
import { getKeyring } from '@/lib/crypto/secret-box';
import { createSourceAuthorizer } from '@/lib/sync/connectors/authorize';

const actor = systemActor('test');
let mock: MockSource;
let worker: TestWorker;
let sender: PgBoss;
let secret: string;

beforeAll(async () => {
  mock = await startMockSource();
  worker = await startTestWorker();
  sender = await startTestSender();
  const endpoint = await createWebhook(getDb(), actor, {
    name: 'ops',
    url: `${mock.url}/events`,
    events: ['sync.completed', 'sync.partially_failed', 'sync.failed', 'source.unhealthy'],
  });
  secret = endpoint.secret;
});

afterAll(async () => {
  await worker?.stop();
  await sender?.stop({ graceful: false, close: true });
  await mock?.close();
});

/** Events queued for a run or source: rows commit with the change they announce, so this is final once it happened. */
async function queuedEvents(key: 'task_id' | 'source', id: string): Promise<WebhookEvent[]> {
  const path = key === 'task_id' ? sql`body::jsonb->'data'->>'task_id'` : sql`body::jsonb->'data'->'source'->>'id'`;
  const rows = await getDb()
    .selectFrom('webhook_deliveries')
    .select('body')
    .where(sql<boolean>`${path} = ${id}`)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => JSON.parse(r.body));
}

/** Waits until the receiver has every queued event of the run or source, and returns what it got. */
async function receivedEvents(key: 'task_id' | 'source', id: string): Promise<WebhookEvent[]> {
  const queued = await queuedEvents(key, id);
  return waitFor(`${queued.length} events about ${id}`, async () => {
    const got = mock
      .requests({ path: '/events' })
      .filter((r) => queued.some((q) => q.id === (r.json as WebhookEvent).id) && r.status === 200);
    if (got.length < queued.length) return undefined;
    // stdwh: signed the Standard Webhooks way, checked with its reference library.
    for (const r of got) expect(new Webhook(secret).verify(r.body, r.headers)).toEqual(r.json);
    return got.map((r) => r.json as WebhookEvent);
  });
}

async function syncAndWait(slug: string, sourceIds: string[], force = false) {
  const { task_id } = await startSync(getDb(), sender, actor, { slug, source_ids: sourceIds, force });
  return waitForRunFinished(task_id);
}

describe('sync events', () => {
  it('announces a finished run once, with its summary and a link', async () => {
    const source = await createTestSource(mock.url, { sync_endpoint: '/ok' });
    const posting = await createPostingWithHired(3);
    const run = await syncAndWait(posting.slug, [source.id]);
    expect(run.status).toBe('completed');

    const events = await receivedEvents('task_id', run.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'sync.completed',
      data: {
        task_id: run.id,
        status: 'completed',
        trigger: 'manual',
        job: { slug: posting.slug, title: `Posting ${posting.slug}` },
        counts: { total: 3, succeeded: 3, failed: 0, skipped: 0, cancelled: 0 },
        started_at: run.started_at?.toISOString(),
        finished_at: run.finished_at?.toISOString(),
        link: `http://localhost:3000/sync-admin/tasks/${run.id}`,
      },
    });

    // Nothing new to send: the run completes in its fan-out, and that is announced too.
    const again = await syncAndWait(posting.slug, [source.id]);
    expect(again).toMatchObject({ status: 'completed', skipped: 3 });
    const [skipped] = await receivedEvents('task_id', again.id);
    expect(skipped).toMatchObject({ type: 'sync.completed', data: { counts: { skipped: 3, succeeded: 0 } } });
  });

  it('announces partially_failed, and again when retry-failed finishes the run', async () => {
    mock.configure({ path: '/refuses', mode: 'status', fail_status: 400 });
    const ok = await createTestSource(mock.url, { sync_endpoint: '/fine' });
    const refusing = await createTestSource(mock.url, { sync_endpoint: '/refuses', max_attempts: 1 });
    const posting = await createPostingWithHired(2);
    const run = await syncAndWait(posting.slug, [ok.id, refusing.id]);
    expect(run.status).toBe('partially_failed');
    expect((await receivedEvents('task_id', run.id)).map((e) => e.type)).toEqual(['sync.partially_failed']);

    mock.configure({ path: '/refuses', mode: 'ok' });
    await retryFailed(getDb(), sender, actor, run.id);
    expect(await waitForRunFinished(run.id)).toMatchObject({ status: 'completed' });
    const events = await receivedEvents('task_id', run.id);
    expect(events.map((e) => e.type)).toEqual(['sync.partially_failed', 'sync.completed']);
    expect(events[1].data).toMatchObject({ counts: { succeeded: 4, failed: 0 } });
  });

  it('announces a run the sweeper finalizes', async () => {
    const source = await createTestSource(mock.url, { sync_endpoint: '/swept', is_active: false });
    const posting = await createPostingWithHired(1);
    const db = getDb();
    // A run whose last delivery settled without the run being finished (as after a crash).
    const run = await db
      .insertInto('sync_runs')
      .values({
        job_posting_id: posting.id,
        trigger: 'api',
        requested_by: null,
        source_ids: [source.id],
        status: 'running',
        total: 1,
        started_at: new Date(),
        expanded_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('sync_deliveries')
      .values({
        run_id: run.id,
        source_id: source.id,
        candidate_id: posting.candidateIds[0],
        status: 'failed',
        attempts: 1,
        payload_hash: 'h',
        idempotency_key: `k-${run.id}`,
      })
      .execute();
    const result = await sweep({
      db,
      boss: sender,
      log: getLogger(),
      workerId: 'test',
      retryDelaySeconds: 0,
      queues: deliverQueues(sender, getEnv()),
      authorizer: createSourceAuthorizer({ db: getDb(), keyring: getKeyring(), log: getLogger() }),
    });
    expect(result.finalized).toBeGreaterThanOrEqual(1);
    const [event] = await receivedEvents('task_id', run.id);
    expect(event).toMatchObject({
      type: 'sync.failed',
      data: { status: 'failed', trigger: 'api', counts: { failed: 1 } },
    });
  });
});

describe('source.unhealthy', () => {
  it('is sent once when a source turns unhealthy, not on every failure, and again after it recovered', async () => {
    mock.configure({ path: '/sick', mode: 'status', fail_status: 500 });
    const source = await createTestSource(mock.url, { sync_endpoint: '/sick', max_attempts: 1 });
    const posting = await createPostingWithHired(6);

    expect(await syncAndWait(posting.slug, [source.id])).toMatchObject({ status: 'failed', failed: 6 });
    const events = await receivedEvents('source', source.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'source.unhealthy',
      data: {
        source: { id: source.id, name: source.name },
        health_status: 'degraded',
        consecutive_failures: 6,
        link: `http://localhost:3000/sync-admin/sources/${source.id}`,
      },
    });
    expect(events[0].data.error).toMatch(/500/);

    // Still failing: no new announcement.
    expect(await syncAndWait(posting.slug, [source.id], true)).toMatchObject({ status: 'failed' });
    expect(await queuedEvents('source', source.id)).toHaveLength(1);

    // Healthy again, then failing again: announced again.
    mock.configure({ path: '/sick', mode: 'ok' });
    expect(await syncAndWait(posting.slug, [source.id], true)).toMatchObject({ status: 'completed' });
    mock.configure({ path: '/sick', mode: 'status', fail_status: 503 });
    expect(await syncAndWait(posting.slug, [source.id], true)).toMatchObject({ status: 'failed' });
    expect((await receivedEvents('source', source.id)).map((e) => e.data.health_status)).toEqual([
      'degraded',
      'degraded',
    ]);
  });

  it('is sent at the first 401 as auth_failed', async () => {
    mock.configure({ path: '/locked', mode: 'status', fail_status: 401 });
    const source = await createTestSource(mock.url, { sync_endpoint: '/locked', max_attempts: 1 });
    const posting = await createPostingWithHired(1);
    expect(await syncAndWait(posting.slug, [source.id])).toMatchObject({ status: 'failed', failed: 1 });
    const events = await receivedEvents('source', source.id);
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ health_status: 'auth_failed', consecutive_failures: 1 });
  });
});
