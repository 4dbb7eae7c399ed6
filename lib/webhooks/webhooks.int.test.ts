import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as deliveriesRoute from '@/app/api/v1/webhooks/[id]/deliveries/route';
import * as webhookRoute from '@/app/api/v1/webhooks/[id]/route';
import * as testRoute from '@/app/api/v1/webhooks/[id]/test/route';
import * as webhooksRoute from '@/app/api/v1/webhooks/route';
import { getDb } from '@/lib/db';
import { Webhook } from 'standardwebhooks';
import { type MockRequest, type MockSource, startMockSource } from '@/scripts/mock-source/server';
import { stopSender } from '@/lib/queue/sender';
import { callRoute, createTestUser, type TestUser } from '@/test/fixtures';
import { type TestWorker, startTestWorker, waitFor } from '@/test/sync-harness';
import type { CreatedWebhookEndpoint, PublicWebhookDelivery, PublicWebhookEndpoint } from './schemas';

// Real backoff, kept short: attempt 2 after 1–2 s, attempt 3 after 2–4 s, then the delivery fails.
process.env.WEBHOOK_RETRY_DELAY_SECONDS = '1';
process.env.WEBHOOK_MAX_ATTEMPTS = '3';

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

async function createEndpoint(path: string, events = ['sync.completed']): Promise<CreatedWebhookEndpoint> {
  const res = await callRoute(webhooksRoute.POST, {
    method: 'POST',
    auth: { session: admin },
    body: { name: `hook ${path}`, url: `${mock.url}${path}`, events },
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function sendTest(endpoint: { id: string }): Promise<string> {
  const res = await callRoute(testRoute.POST, {
    method: 'POST',
    params: { id: endpoint.id },
    auth: { session: admin },
  });
  expect(res.status).toBe(202);
  return res.body.delivery_id;
}

async function deliveries(endpoint: { id: string }): Promise<PublicWebhookDelivery[]> {
  const res = await callRoute(deliveriesRoute.GET, { params: { id: endpoint.id }, auth: { session: admin } });
  expect(res.status).toBe(200);
  return res.body.data;
}

async function waitForDelivery(endpoint: { id: string }, id: string, status: 'succeeded' | 'failed') {
  return waitFor(
    `webhook delivery ${id} to be ${status}`,
    async () => (await deliveries(endpoint)).find((d) => d.id === id && d.status === status),
    30_000,
  );
}

// stdwh: new endpoints sign the Standard Webhooks way, checked with its reference library.
function signedWith(secret: string, r: MockRequest): boolean {
  try {
    new Webhook(secret).verify(r.body, r.headers);
    return true;
  } catch {
    return false;
  }
}

describe('webhook endpoints API', () => {
  it('registers an endpoint, shows its secret once, lists and deletes it; admins only', async () => {
    const created = await createEndpoint('/api-crud', ['sync.failed', 'source.unhealthy', 'sync.failed']);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created).toMatchObject({
      events: ['sync.failed', 'source.unhealthy'],
      failing: false,
      retrying: 0,
      is_active: true,
    });
    expect(created.secret_mask).toBe(`••••${created.secret.slice(-4)}`);

    const list = await callRoute(webhooksRoute.GET, { auth: { session: admin } });
    expect(list.status).toBe(200);
    const listed = list.body.data.find((e: PublicWebhookEndpoint) => e.id === created.id);
    expect(listed).toMatchObject({ url: `${mock.url}/api-crud`, failing: false, consecutive_failures: 0 });
    expect(JSON.stringify(list.body)).not.toContain(created.secret);

    const stored = await getDb()
      .selectFrom('webhook_endpoints')
      .select('secret_encrypted')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret_encrypted).not.toContain(created.secret);
    const audit = await getDb()
      .selectFrom('audit_events')
      .select('details')
      .where('target_id', '=', created.id)
      .execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(created.secret);

    const recruiter = await createTestUser('recruiter');
    expect((await callRoute(webhooksRoute.GET, { auth: { session: recruiter } })).status).toBe(403);
    const bad = await callRoute(webhooksRoute.POST, {
      method: 'POST',
      auth: { session: admin },
      body: { name: 'x', url: 'ftp://example.test/hook', events: ['sync.done'] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['events.0', 'url']);

    const del = await callRoute(webhookRoute.DELETE, {
      method: 'DELETE',
      params: { id: created.id },
      auth: { session: admin },
    });
    expect(del.body).toEqual({ id: created.id, deleted: true });
    const gone = await callRoute(webhookRoute.GET, { params: { id: created.id }, auth: { session: admin } });
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('webhook_not_found');
  });
});

describe('webhook delivery', () => {
  it('sends a signed test event through the worker and logs it', async () => {
    const endpoint = await createEndpoint('/signed');
    const deliveryId = await sendTest(endpoint);
    const logged = await waitForDelivery(endpoint, deliveryId, 'succeeded');
    expect(logged).toMatchObject({ event_type: 'webhook.test', attempts: 1, http_status: 200, last_error: null });

    const [request] = mock.requests({ path: '/signed' });
    expect(request.method).toBe('POST');
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'x-ats-event': 'webhook.test',
      'x-ats-delivery-id': deliveryId,
      'idempotency-key': deliveryId,
    });
    expect(signedWith(endpoint.secret, request)).toBe(true);
    expect(signedWith(`${endpoint.secret}x`, request)).toBe(false);
    const body = request.json as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['id', 'type', 'created_at', 'data']);
    expect(body).toMatchObject({ id: logged.event_id, type: 'webhook.test', data: { endpoint: { id: endpoint.id } } });
  });

  it('retries a failing receiver with backoff, the same body and key each time, until it answers', async () => {
    const endpoint = await createEndpoint('/flaky');
    mock.configure({ path: '/flaky', fail_next: 2, fail_status: 503 });
    const deliveryId = await sendTest(endpoint);
    const logged = await waitForDelivery(endpoint, deliveryId, 'succeeded');
    expect(logged).toMatchObject({ attempts: 3, http_status: 200, last_error: null });

    const requests = mock.requests({ path: '/flaky' });
    expect(requests.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    expect(new Set(requests.map((r) => r.idempotency_key))).toEqual(new Set([deliveryId]));
    for (const r of requests) expect(signedWith(endpoint.secret, r)).toBe(true);
    // pg-boss ran the retries, with exponential backoff from WEBHOOK_RETRY_DELAY_SECONDS.
    await waitFor('pg-boss to complete the job', async () => {
      const [job] = await worker.boss.findJobs('webhook-deliver', { id: deliveryId });
      return job?.state === 'completed' && job;
    }).then((job) => expect(job).toMatchObject({ retryCount: 2, retryLimit: 2, retryDelay: 1, retryBackoff: true }));
  });

  it('gives up after WEBHOOK_MAX_ATTEMPTS, and marks an endpoint whose last 5 deliveries failed as failing', async () => {
    const endpoint = await createEndpoint('/down');
    mock.configure({ path: '/down', mode: 'status', fail_status: 500 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await sendTest(endpoint));
    const failed = await Promise.all(ids.map((id) => waitForDelivery(endpoint, id, 'failed')));
    for (const d of failed) expect(d).toMatchObject({ attempts: 3, http_status: 500 });
    expect(failed[0].last_error).toMatch(/^HTTP 500/);
    expect(mock.requests({ path: '/down' })).toHaveLength(15);

    const listed = await callRoute(webhookRoute.GET, { params: { id: endpoint.id }, auth: { session: admin } });
    expect(listed.body).toMatchObject({ failing: true, consecutive_failures: 5 });
    expect(listed.body.last_error).toMatch(/^HTTP 500/);

    // One delivery that gets through clears the flag.
    mock.configure({ path: '/down', mode: 'ok' });
    await waitForDelivery(endpoint, await sendTest(endpoint), 'succeeded');
    const after = await callRoute(webhookRoute.GET, { params: { id: endpoint.id }, auth: { session: admin } });
    expect(after.body).toMatchObject({ failing: false, consecutive_failures: 0 });
  });

  it('counts the deliveries waiting to retry, so an endpoint failing now shows before its streak moves', async () => {
    const endpoint = await createEndpoint('/retrying');
    mock.configure({ path: '/retrying', mode: 'status', fail_status: 503 });
    const deliveryId = await sendTest(endpoint);
    const get = async () =>
      (await callRoute(webhookRoute.GET, { params: { id: endpoint.id }, auth: { session: admin } })).body;
    const during = await waitFor('the endpoint to show a delivery waiting to retry', async () => {
      const e = await get();
      return e.retrying === 1 && e;
    });
    expect(during).toMatchObject({ consecutive_failures: 0, failing: false, retrying: 1 });
    const list = await callRoute(webhooksRoute.GET, { auth: { session: admin } });
    expect(list.body.data.find((e: PublicWebhookEndpoint) => e.id === endpoint.id)).toMatchObject({ retrying: 1 });

    await waitForDelivery(endpoint, deliveryId, 'failed');
    expect(await get()).toMatchObject({ consecutive_failures: 1, retrying: 0 });
  }, 60_000);

  it('drops the log and sends nothing more once the endpoint is deleted', async () => {
    const endpoint = await createEndpoint('/deleted');
    mock.configure({ path: '/deleted', mode: 'status', fail_status: 500 });
    const deliveryId = await sendTest(endpoint);
    await waitFor('the first attempt', async () => mock.requests({ path: '/deleted' }).length === 1);
    await callRoute(webhookRoute.DELETE, { method: 'DELETE', params: { id: endpoint.id }, auth: { session: admin } });
    const rows = await getDb().selectFrom('webhook_deliveries').select('id').where('id', '=', deliveryId).execute();
    expect(rows).toEqual([]);
    // The retry job still runs and finds nothing to send: wait for pg-boss to settle it.
    await waitFor('the retry job to finish', async () => {
      const job = await worker.boss.findJobs('webhook-deliver', { id: deliveryId });
      return job[0]?.state === 'completed';
    });
    expect(mock.requests({ path: '/deleted' })).toHaveLength(1);
  });
});
