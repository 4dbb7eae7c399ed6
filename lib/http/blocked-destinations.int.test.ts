import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as sourceTest from '@/app/api/v1/sources/[id]/test/route';
import * as sourcesRoute from '@/app/api/v1/sources/route';
import * as deliveriesRoute from '@/app/api/v1/webhooks/[id]/deliveries/route';
import * as webhookTest from '@/app/api/v1/webhooks/[id]/test/route';
import * as webhooksRoute from '@/app/api/v1/webhooks/route';
import { getDb } from '@/lib/db';
import { type MockSource, startMockSource } from '@/scripts/mock-source/server';
import { stopSender } from '@/lib/queue/sender';
import { callRoute, createTestUser, type TestUser } from '@/test/fixtures';
import type { PublicWebhookDelivery } from '@/lib/webhooks/schemas';
import {
  createPostingWithHired,
  createTestSource,
  startSyncOf,
  startTestWorker,
  type TestWorker,
  waitFor,
  waitForRunFinished,
} from '@/test/sync-harness';

/**
 * The guard as an install without OUTBOUND_ALLOW_CIDRS has it: the other test files open
 * loopback (vitest.config.ts); this one closes it again before anything reads the configuration.
 * The receivers still listen on 127.0.0.1, so anything that slips past the guard is seen there.
 */
vi.hoisted(() => {
  process.env.OUTBOUND_ALLOW_CIDRS = '';
  // Retries would come quickly if a blocked webhook were retried at all.
  process.env.WEBHOOK_MAX_ATTEMPTS = '3';
  process.env.WEBHOOK_RETRY_DELAY_SECONDS = '1';
});

let mock: MockSource;
let worker: TestWorker;
let admin: TestUser;

beforeAll(async () => {
  mock = await startMockSource();
  worker = await startTestWorker();
  admin = await createTestUser('admin');
});

afterAll(async () => {
  await worker?.stop();
  await stopSender();
  await mock?.close();
});

const BLOCKED =
  /^destination (localhost \((127\.0\.0\.1|::1)\)|127\.0\.0\.1) is blocked: loopback address \(set OUTBOUND_ALLOW_CIDRS to allow it\)$/;

describe('outbound requests with an empty allow-list', () => {
  it('a source at localhost (a host name) and one at 127.0.0.1 fail with destination_blocked after one attempt; the receiver gets nothing', async () => {
    const byName = await createTestSource(`http://localhost:${mock.port}`, { max_attempts: 3 });
    const literal = await createTestSource(`http://localhost:${mock.port}`, { max_attempts: 3 });
    // As if saved while the allow-list was wider: only the connect-time guard stands in its way.
    await getDb()
      .updateTable('sources')
      .set({ base_url: `http://127.0.0.1:${mock.port}` })
      .where('id', '=', literal.id)
      .execute();
    const posting = await createPostingWithHired(2);
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [byName.id, literal.id]));

    expect(run.status).toBe('failed');
    const rows = await getDb().selectFrom('sync_deliveries').selectAll().where('run_id', '=', run.id).execute();
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row).toMatchObject({
        status: 'failed',
        attempts: 1,
        error_code: 'destination_blocked',
        http_status: null,
      });
      expect(row.error_message).toMatch(BLOCKED);
      expect(row.response_excerpt).toBeNull();
    }
    expect(rows.find((r) => r.source_id === literal.id)?.error_message).toMatch(/^destination 127\.0\.0\.1 is blocked/);
    expect(mock.requests()).toHaveLength(0);
  });

  it('the connection test answers destination_blocked and echoes nothing from the target', async () => {
    mock.configure({ path: '/probe', mode: 'status', fail_status: 418 });
    const source = await createTestSource(`http://localhost:${mock.port}`, { sync_endpoint: '/probe' });
    const res = await callRoute(sourceTest.POST, {
      method: 'POST',
      params: { id: source.id },
      auth: { session: admin },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ok: false,
      status: 'unreachable',
      http_status: null,
      latency_ms: null,
      error: expect.stringMatching(BLOCKED),
      error_code: 'destination_blocked',
    });
    expect(mock.requests()).toHaveLength(0);
  });

  it('a completion webhook to a blocked address fails at its first attempt, without retries', async () => {
    const created = await callRoute(webhooksRoute.POST, {
      method: 'POST',
      auth: { session: admin },
      body: { name: 'blocked hook', url: `http://localhost:${mock.port}/hook`, events: ['sync.completed'] },
    });
    expect(created.status).toBe(201);
    const sent = await callRoute(webhookTest.POST, {
      method: 'POST',
      params: { id: created.body.id },
      auth: { session: admin },
    });
    expect(sent.status).toBe(202);
    const delivery = await waitFor('the webhook delivery to end', async () => {
      const res = await callRoute(deliveriesRoute.GET, { params: { id: created.body.id }, auth: { session: admin } });
      return (res.body.data as PublicWebhookDelivery[]).find(
        (d) => d.id === sent.body.delivery_id && d.finished_at !== null,
      );
    });
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, http_status: null });
    expect(delivery.last_error).toMatch(BLOCKED);
    expect(mock.requests()).toHaveLength(0);
  });

  it('refuses at save time (422, nothing stored) a source or webhook URL whose host is a blocked IP literal', async () => {
    const before = await getDb().selectFrom('sources').select('id').execute();
    for (const base_url of ['http://10.0.0.5', 'http://169.254.169.254', 'http://[::ffff:127.0.0.1]:8080']) {
      const res = await callRoute(sourcesRoute.POST, {
        method: 'POST',
        auth: { session: admin },
        body: { name: `literal ${base_url}`, connector: 'generic_webhook', base_url },
      });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toMatch(/^base_url: destination \S+ is blocked: /);
    }
    const first = await callRoute(sourcesRoute.POST, {
      method: 'POST',
      auth: { session: admin },
      body: { name: 'private', connector: 'generic_webhook', base_url: 'http://10.0.0.5' },
    });
    expect(first.body.error.message).toBe(
      'base_url: destination 10.0.0.5 is blocked: private address (set OUTBOUND_ALLOW_CIDRS or OUTBOUND_ALLOW_PRIVATE=true to allow it)',
    );
    expect(await getDb().selectFrom('sources').select('id').execute()).toHaveLength(before.length);

    const hook = await callRoute(webhooksRoute.POST, {
      method: 'POST',
      auth: { session: admin },
      body: { name: 'metadata', url: 'http://169.254.169.254/latest/meta-data', events: ['sync.completed'] },
    });
    expect(hook.status).toBe(422);
    expect(hook.body.error.message).toMatch(/^url: destination 169\.254\.169\.254 is blocked: link-local/);
    expect(
      await getDb().selectFrom('webhook_endpoints').select('id').where('name', '=', 'metadata').execute(),
    ).toHaveLength(0);
  });
});
