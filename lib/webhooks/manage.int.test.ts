import { createServer } from 'node:net';
import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as redeliverRoute from '@/app/api/v1/webhooks/[id]/deliveries/[deliveryId]/redeliver/route';
import * as deliveriesRoute from '@/app/api/v1/webhooks/[id]/deliveries/route';
import * as recoverRoute from '@/app/api/v1/webhooks/[id]/recover/route';
import * as rotateRoute from '@/app/api/v1/webhooks/[id]/rotate-secret/route';
import * as webhookRoute from '@/app/api/v1/webhooks/[id]/route';
import * as testRoute from '@/app/api/v1/webhooks/[id]/test/route';
import * as webhooksRoute from '@/app/api/v1/webhooks/route';
import { encryptSecret, getKeyring } from '@/lib/crypto/secret-box';
import { getDb } from '@/lib/db';
import { stopSender } from '@/lib/queue/sender';
import { type MockRequest, type MockSource, startMockSource, verifySignature } from '@/scripts/mock-source/server';
import { callRoute, createTestUser, type TestUser } from '@/test/fixtures';
import { startTestWorker, type TestWorker, waitFor } from '@/test/sync-harness';
import { NOT_SENT_DISABLED } from './deliver';
import type { CreatedWebhookEndpoint, PublicWebhookDelivery, PublicWebhookEndpoint, WebhookEvent } from './schemas';

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

const session = () => ({ session: admin });

async function createEndpoint(
  path: string,
  events: string[] = ['sync.completed'],
  extra: Record<string, unknown> = {},
): Promise<CreatedWebhookEndpoint> {
  const res = await callRoute(webhooksRoute.POST, {
    method: 'POST',
    auth: session(),
    body: { name: `hook ${path}`, url: `${mock.url}${path}`, events, ...extra },
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function getEndpoint(id: string): Promise<PublicWebhookEndpoint> {
  const res = await callRoute(webhookRoute.GET, { params: { id }, auth: session() });
  expect(res.status).toBe(200);
  return res.body;
}

function patch(id: string, body: unknown) {
  return callRoute(webhookRoute.PATCH, { method: 'PATCH', params: { id }, auth: session(), body });
}

async function sendTest(id: string): Promise<string> {
  const res = await callRoute(testRoute.POST, { method: 'POST', params: { id }, auth: session() });
  expect(res.status).toBe(202);
  return res.body.delivery_id;
}

async function log(id: string, query = '') {
  return callRoute(deliveriesRoute.GET, {
    params: { id },
    auth: session(),
    path: `/api/v1/webhooks/${id}/deliveries${query}`,
  });
}

async function deliveries(id: string, query = ''): Promise<PublicWebhookDelivery[]> {
  const res = await log(id, query);
  expect(res.status).toBe(200);
  return res.body.data;
}

function waitForDelivery(endpointId: string, id: string, status: 'succeeded' | 'failed') {
  return waitFor(
    `webhook delivery ${id} to be ${status}`,
    async () => (await deliveries(endpointId)).find((d) => d.id === id && d.status === status),
    30_000,
  );
}

/** Verified as a receiver would, with the standardwebhooks package (any one signature may match). */
function signedWith(secret: string, r: MockRequest): boolean {
  try {
    new Webhook(secret).verify(r.body, r.headers);
    return true;
  } catch {
    return false;
  }
}

function legacySignedWith(secret: string, r: MockRequest): boolean {
  return r.headers['x-ats-signature']
    .split(',')
    .some((signature) => verifySignature(secret, r.headers['x-ats-timestamp'], r.body, signature));
}

async function auditOf(targetId: string) {
  return getDb()
    .selectFrom('audit_events')
    .select(['action', 'actor_email', 'details'])
    .where('target_id', '=', targetId)
    .orderBy('id')
    .execute();
}

async function storedRow(id: string) {
  return getDb().selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('editing an endpoint', () => {
  it('changes url, events, name and description, audited with what changed', async () => {
    const endpoint = await createEndpoint('/edit-a');
    const res = await patch(endpoint.id, {
      url: `${mock.url}/edit-b`,
      events: ['sync.failed', 'source.unhealthy'],
      name: 'Ops',
      description: 'Pager bridge',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      url: `${mock.url}/edit-b`,
      events: ['sync.failed', 'source.unhealthy'],
      name: 'Ops',
      description: 'Pager bridge',
      is_active: true,
    });
    expect(res.body.secret).toBeUndefined();
    // The next event goes to the new url, still signed with the same secret.
    const id = await sendTest(endpoint.id);
    await waitForDelivery(endpoint.id, id, 'succeeded');
    const [request] = mock.requests({ path: '/edit-b' });
    expect(signedWith(endpoint.secret, request)).toBe(true);

    const cleared = await patch(endpoint.id, { description: '' });
    expect(cleared.body.description).toBeNull();

    const audit = await auditOf(endpoint.id);
    const updated = audit.filter((a) => a.action === 'webhook.updated');
    expect(updated).toHaveLength(2);
    expect(updated[0].details).toMatchObject({
      changed: { url: { to: `${mock.url}/edit-b` }, name: { from: `hook /edit-a`, to: 'Ops' } },
    });
    expect(JSON.stringify(audit)).not.toContain(endpoint.secret);
  });

  it('refuses bad input with the documented error and changes nothing', async () => {
    const endpoint = await createEndpoint('/edit-bad');
    const before = await storedRow(endpoint.id);
    const cases: [unknown, number, string, string?][] = [
      [{ url: 'ftp://example.test/x' }, 422, 'validation_failed', 'url'],
      [{ url: 'http://10.0.0.5/hook' }, 422, 'validation_failed', 'url'],
      [{ url: 'https://user:pw@example.test/x' }, 422, 'validation_failed', 'url'],
      [{ events: [] }, 422, 'validation_failed', 'events'],
      [{ events: ['sync.done'] }, 422, 'validation_failed', 'events.0'],
      [{ name: 'a\u0000b' }, 422, 'validation_failed', 'name'],
      [{ description: 'line\u0007bell' }, 422, 'validation_failed', 'description'],
      [{ is_active: 'no' }, 422, 'validation_failed', 'is_active'],
      [{ secret: 'whsec_mine' }, 422, 'validation_failed'],
      [{}, 422, 'validation_failed'],
      [JSON.parse('{"__proto__":{"is_active":false}}'), 422, 'validation_failed'],
    ];
    for (const [body, status, code, path] of cases) {
      const res = await patch(endpoint.id, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code).toBe(code);
      if (path) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const missing = await patch('6d1f5a4e-1f2b-4c3d-9e8f-0a1b2c3d4e5f', { name: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('webhook_not_found');
    const badId = await patch('not-a-uuid', { name: 'x' });
    expect(badId.status).toBe(404);
    expect(badId.body.error.code).toBe('not_found');
    expect(await storedRow(endpoint.id)).toEqual(before);
    expect((await auditOf(endpoint.id)).map((a) => a.action)).toEqual(['webhook.created']);

    const recruiter = await createTestUser('recruiter');
    const forbidden = await callRoute(webhookRoute.PATCH, {
      method: 'PATCH',
      params: { id: endpoint.id },
      auth: { session: recruiter },
      body: { name: 'x' },
    });
    expect(forbidden.status).toBe(403);
  });
});

describe('disabling and enabling', () => {
  it('sends nothing new while disabled, ends queued retries unsent, and recovers them after enabling', async () => {
    const endpoint = await createEndpoint('/disable');
    mock.configure({ path: '/disable', mode: 'status', fail_status: 503 });
    const deliveryId = await sendTest(endpoint.id);
    await waitFor('the first attempt', async () => (await getEndpoint(endpoint.id)).retrying === 1);

    const off = await patch(endpoint.id, { is_active: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ is_active: false, disabled: { kind: 'admin' } });
    expect(off.body.disabled.reason).toContain(admin.email);
    const ended = await waitForDelivery(endpoint.id, deliveryId, 'failed');
    // Not an attempt: only the first one reached the receiver.
    expect(ended).toMatchObject({ attempts: 1, last_error: NOT_SENT_DISABLED });
    expect(mock.requests({ path: '/disable' })).toHaveLength(1);
    expect((await getEndpoint(endpoint.id)).consecutive_failures).toBe(0);

    const test = await callRoute(testRoute.POST, { method: 'POST', params: { id: endpoint.id }, auth: session() });
    expect(test.status).toBe(422);
    expect(test.body.error.code).toBe('invalid_state');

    mock.configure({ path: '/disable', mode: 'ok' });
    const on = await patch(endpoint.id, { is_active: true });
    expect(on.body).toMatchObject({ is_active: true, disabled: null, failed_while_disabled: 1 });
    const recovered = await callRoute(recoverRoute.POST, {
      method: 'POST',
      params: { id: endpoint.id },
      auth: session(),
      body: { since: on.body.recover_since },
    });
    expect(recovered.status).toBe(202);
    expect(recovered.body).toEqual({ redelivered: 1, more: false });
    await waitFor('the recovered delivery', async () =>
      (await deliveries(endpoint.id)).find((d) => d.redelivery_of === deliveryId && d.status === 'succeeded'),
    );
    expect((await auditOf(endpoint.id)).map((a) => a.action)).toEqual([
      'webhook.created',
      'webhook.tested',
      'webhook.disabled',
      'webhook.enabled',
      'webhook.recovered',
    ]);
  });
});

describe('rotating the secret', () => {
  it('shows a new secret once; old and new both sign until the old one expires', async () => {
    const endpoint = await createEndpoint('/rotate');
    const res = await callRoute(rotateRoute.POST, { method: 'POST', params: { id: endpoint.id }, auth: session() });
    expect(res.status).toBe(200);
    const rotated: CreatedWebhookEndpoint = res.body;
    expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(rotated.secret_mask).toBe(`••••${rotated.secret.slice(-4)}`);
    const hours = (Date.parse(rotated.previous_secret_expires_at ?? '') - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    expect(JSON.stringify(await getEndpoint(endpoint.id))).not.toContain(rotated.secret);

    await waitForDelivery(endpoint.id, await sendTest(endpoint.id), 'succeeded');
    const both = mock.requests({ path: '/rotate' }).at(-1) as MockRequest;
    expect(both.headers['webhook-signature']).toMatch(/^v1,\S{44} v1,\S{44}$/);
    expect(signedWith(rotated.secret, both)).toBe(true);
    expect(signedWith(endpoint.secret, both)).toBe(true);

    // Once the overlap has passed, only the new secret signs.
    await getDb()
      .updateTable('webhook_endpoints')
      .set({ previous_secret_expires_at: sql`now() - interval '1 second'` })
      .where('id', '=', endpoint.id)
      .execute();
    await waitForDelivery(endpoint.id, await sendTest(endpoint.id), 'succeeded');
    const after = mock.requests({ path: '/rotate' }).at(-1) as MockRequest;
    expect(signedWith(rotated.secret, after)).toBe(true);
    expect(signedWith(endpoint.secret, after)).toBe(false);
    expect((await getEndpoint(endpoint.id)).previous_secret_expires_at).toBeNull();

    // A leaked secret: keep_previous_hours 0 ends the old one at once.
    const now = await callRoute(rotateRoute.POST, {
      method: 'POST',
      params: { id: endpoint.id },
      auth: session(),
      body: { keep_previous_hours: 0 },
    });
    expect(now.body.previous_secret_expires_at).toBeNull();
    await waitForDelivery(endpoint.id, await sendTest(endpoint.id), 'succeeded');
    const last = mock.requests({ path: '/rotate' }).at(-1) as MockRequest;
    expect(signedWith(now.body.secret, last)).toBe(true);
    expect(signedWith(rotated.secret, last)).toBe(false);

    const stored = await storedRow(endpoint.id);
    expect(`${stored.secret_encrypted}${stored.previous_secret_encrypted}`).not.toContain('whsec_');
    const audit = await auditOf(endpoint.id);
    expect(audit.filter((a) => a.action === 'webhook.secret_rotated')).toHaveLength(2);
    for (const secret of [endpoint.secret, rotated.secret, now.body.secret])
      expect(JSON.stringify(audit)).not.toContain(secret);

    for (const body of [{ keep_previous_hours: 25 }, { keep_previous_hours: -1 }, { keep: 1 }]) {
      const bad = await callRoute(rotateRoute.POST, {
        method: 'POST',
        params: { id: endpoint.id },
        auth: session(),
        body,
      });
      expect(bad.status).toBe(422);
    }
    const missing = await callRoute(rotateRoute.POST, {
      method: 'POST',
      params: { id: '6d1f5a4e-1f2b-4c3d-9e8f-0a1b2c3d4e5f' },
      auth: session(),
    });
    expect(missing.body.error.code).toBe('webhook_not_found');
    expect((await storedRow(endpoint.id)).secret_hint).toBe(now.body.secret_mask);
  });
});

describe('redelivery', () => {
  it('sends one delivery again as a new row: same event, body and Idempotency-Key, the original kept', async () => {
    const endpoint = await createEndpoint('/redeliver');
    mock.configure({ path: '/redeliver', mode: 'status', fail_status: 500 });
    const first = await sendTest(endpoint.id);
    const failed = await waitForDelivery(endpoint.id, first, 'failed');
    mock.configure({ path: '/redeliver', mode: 'ok' });

    const call = (deliveryId: string, id = endpoint.id) =>
      callRoute(redeliverRoute.POST, { method: 'POST', params: { id, deliveryId }, auth: session() });
    const res = await call(first);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ redelivery_of: first, event_id: failed.event_id });
    const again = await waitForDelivery(endpoint.id, res.body.delivery_id, 'succeeded');
    expect(again).toMatchObject({ event_id: failed.event_id, redelivery_of: first, attempts: 1 });
    expect((await deliveries(endpoint.id)).find((d) => d.id === first)).toEqual(failed);

    const requests = mock.requests({ path: '/redeliver' });
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    expect(new Set(requests.map((r) => r.idempotency_key))).toEqual(new Set([first]));
    expect(requests.at(-1)?.headers['x-ats-delivery-id']).toBe(res.body.delivery_id);

    // A redelivery of the redelivery still names the first delivery.
    const third = await call(res.body.delivery_id);
    expect(third.body.redelivery_of).toBe(first);
    await waitForDelivery(endpoint.id, third.body.delivery_id, 'succeeded');

    // Still being tried (the receiver holds the request): refused, nothing added.
    const held = await createEndpoint('/held');
    mock.configure({ path: '/held', mode: 'hold' });
    const inFlight = await sendTest(held.id);
    await waitFor('the held request', async () => mock.requests({ path: '/held' }).length === 1);
    const refused = await call(inFlight, held.id);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('invalid_state');
    mock.configure({ path: '/held', mode: 'ok' });
    mock.release();
    await waitForDelivery(held.id, inFlight, 'succeeded');
    expect(await deliveries(held.id)).toHaveLength(1);

    const other = await createEndpoint('/redeliver-other');
    expect((await call(first, other.id)).body.error.code).toBe('webhook_delivery_not_found');
    expect((await call('6d1f5a4e-1f2b-4c3d-9e8f-0a1b2c3d4e5f')).status).toBe(404);
    expect((await call('nope')).status).toBe(404);
    const audit = await auditOf(endpoint.id);
    expect(audit.filter((a) => a.action === 'webhook.redelivered').length).toBeGreaterThanOrEqual(2);
  });

  it('recovers every event that failed since a time, once', async () => {
    const endpoint = await createEndpoint('/recover');
    mock.configure({ path: '/recover', mode: 'status', fail_status: 500 });
    const ids = [await sendTest(endpoint.id), await sendTest(endpoint.id), await sendTest(endpoint.id)];
    await Promise.all(ids.map((id) => waitForDelivery(endpoint.id, id, 'failed')));
    // The oldest failed before the window.
    await getDb()
      .updateTable('webhook_deliveries')
      .set({ created_at: sql`now() - interval '2 days'` })
      .where('id', '=', ids[0])
      .execute();
    mock.configure({ path: '/recover', mode: 'ok' });
    const since = new Date(Date.now() - 86_400_000).toISOString();
    const recover = (body: unknown) =>
      callRoute(recoverRoute.POST, { method: 'POST', params: { id: endpoint.id }, auth: session(), body });
    const res = await recover({ since });
    expect(res.body).toEqual({ redelivered: 2, more: false });
    await waitFor('both recovered deliveries', async () => {
      const rows = await deliveries(endpoint.id, '?status=succeeded');
      return rows.length === 2 && rows;
    }).then((rows) => expect(rows.map((r) => r.redelivery_of).sort()).toEqual([ids[1], ids[2]].sort()));
    expect((await recover({ since })).body).toEqual({ redelivered: 0, more: false });

    for (const body of [{}, { since: 'yesterday' }, { since, until: since }, { since, extra: 1 }]) {
      const bad = await recover(body);
      expect(bad.status, JSON.stringify(body)).toBe(422);
      expect(bad.body.error.code).toBe('validation_failed');
    }
    await patch(endpoint.id, { is_active: false });
    expect((await recover({ since })).body.error.code).toBe('invalid_state');
  });
});

describe('the delivery log', () => {
  it('filters by status, event type and time, in pages', async () => {
    const endpoint = await createEndpoint('/log');
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await sendTest(endpoint.id));
    await Promise.all(ids.map((id) => waitForDelivery(endpoint.id, id, 'succeeded')));
    await getDb()
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', event_type: 'sync.failed' })
      .where('id', '=', ids[1])
      .execute();

    expect((await deliveries(endpoint.id, '?status=failed')).map((d) => d.id)).toEqual([ids[1]]);
    expect((await deliveries(endpoint.id, '?status=failed,succeeded')).length).toBe(5);
    expect((await deliveries(endpoint.id, '?event_type=webhook.test')).length).toBe(4);
    expect((await deliveries(endpoint.id, '?event_type=sync.failed&status=succeeded')).length).toBe(0);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await deliveries(endpoint.id, `?from=${encodeURIComponent(future)}`)).toEqual([]);
    expect((await deliveries(endpoint.id, `?to=${encodeURIComponent(future)}`)).length).toBe(5);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await log(endpoint.id, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.data.map((d: PublicWebhookDelivery) => d.id));
      cursor = res.body.next_cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    for (const query of ['?status=done', '?event_type=x', '?from=soon', '?cursor=abc', '?limit=0', '?page=2']) {
      const res = await log(endpoint.id, query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('invalid_query');
    }
    const missing = await log('6d1f5a4e-1f2b-4c3d-9e8f-0a1b2c3d4e5f');
    expect(missing.body.error.code).toBe('webhook_not_found');
  });
});

describe('automatic disable', () => {
  it('disables an endpoint whose every attempt failed for 5 days, tells the admins and the other endpoints', async () => {
    const watcher = await createEndpoint('/watcher', ['webhook.endpoint_disabled']);
    const endpoint = await createEndpoint('/dying');
    const young = await createEndpoint('/young');
    mock.configure({ path: '/dying', mode: 'status', fail_status: 502 });
    mock.configure({ path: '/young', mode: 'status', fail_status: 502 });
    // The clock is the first failed attempt since the last success: dated in the past instead of waited for.
    await getDb()
      .updateTable('webhook_endpoints')
      .set({ failing_since: sql`now() - interval '5 days 1 minute'` })
      .where('id', '=', endpoint.id)
      .execute();
    await getDb()
      .updateTable('webhook_endpoints')
      .set({ failing_since: sql`now() - interval '4 days 23 hours'` })
      .where('id', '=', young.id)
      .execute();
    const deliveryId = await sendTest(endpoint.id);
    const youngDelivery = await sendTest(young.id);

    const disabled = await waitFor('the endpoint to be disabled', async () => {
      const e = await getEndpoint(endpoint.id);
      return !e.is_active && e;
    });
    expect(disabled.disabled).toMatchObject({ kind: 'failing' });
    expect(disabled.disabled?.reason).toMatch(
      /^Every delivery attempt failed for 5 days \(since .+ UTC\); last error: HTTP 502/,
    );
    // Its remaining retries are not sent.
    const ended = await waitForDelivery(endpoint.id, deliveryId, 'failed');
    expect(ended).toMatchObject({ attempts: 1, last_error: NOT_SENT_DISABLED });

    const audit = await auditOf(endpoint.id);
    expect(audit.at(-1)).toMatchObject({ action: 'webhook.disabled', actor_email: 'system:webhooks' });
    expect(audit.at(-1)?.details).toMatchObject({ kind: 'failing' });

    const [told] = await waitFor('the watcher to be told', async () => {
      const got = mock.requests({ path: '/watcher' }).filter((r) => r.status === 200);
      return got.length > 0 && got;
    });
    expect(signedWith(watcher.secret, told)).toBe(true);
    const event = told.json as WebhookEvent;
    expect(event).toMatchObject({
      type: 'webhook.endpoint_disabled',
      data: { endpoint: { id: endpoint.id, name: endpoint.name }, trigger: 'automatic' },
    });
    const list = await callRoute(webhooksRoute.GET, { auth: session() });
    expect(list.body.data.find((e: PublicWebhookEndpoint) => e.id === endpoint.id).disabled.kind).toBe('failing');

    // Four days and 23 hours is not five: still active after its delivery failed for good.
    await waitForDelivery(young.id, youngDelivery, 'failed');
    expect((await getEndpoint(young.id)).is_active).toBe(true);

    // A success stops the clock.
    mock.configure({ path: '/young', mode: 'ok' });
    await waitForDelivery(young.id, await sendTest(young.id), 'succeeded');
    expect((await getEndpoint(young.id)).failing_since).toBeNull();
  });

  it('reports an unreachable endpoint on it and keeps the worker delivering to the others', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const res = await callRoute(webhooksRoute.POST, {
      method: 'POST',
      auth: session(),
      body: { name: 'gone', url: `http://127.0.0.1:${closed}/hook`, events: ['sync.failed'] },
    });
    const unreachable: CreatedWebhookEndpoint = res.body;
    const id = await sendTest(unreachable.id);
    const failed = await waitForDelivery(unreachable.id, id, 'failed');
    expect(failed).toMatchObject({ attempts: 3, http_status: null });
    expect(failed.last_error).toBeTruthy();
    const shown = await getEndpoint(unreachable.id);
    expect(shown).toMatchObject({ consecutive_failures: 1, last_error: failed.last_error });
    expect(shown.failing_since).not.toBeNull();

    const healthy = await createEndpoint('/after-unreachable');
    await waitForDelivery(healthy.id, await sendTest(healthy.id), 'succeeded');
  });
});

describe('rotating the secret of an endpoint signed the legacy way', () => {
  it('carries one X-ATS-Signature entry per secret still valid', async () => {
    const endpoint = await createEndpoint('/rotate-legacy', ['sync.completed'], { signing_mode: 'legacy' });
    const res = await callRoute(rotateRoute.POST, { method: 'POST', params: { id: endpoint.id }, auth: session() });
    expect(res.status).toBe(200);
    await waitForDelivery(endpoint.id, await sendTest(endpoint.id), 'succeeded');
    const both = mock.requests({ path: '/rotate-legacy' }).at(-1) as MockRequest;
    expect(both.headers['x-ats-signature']).toMatch(/^v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(legacySignedWith(res.body.secret, both)).toBe(true);
    expect(legacySignedWith(endpoint.secret, both)).toBe(true);
    expect(legacySignedWith(`${endpoint.secret}x`, both)).toBe(false);
  });

  it('switches to standard only once its secret is a Standard Webhooks one', async () => {
    const endpoint = await createEndpoint('/switch-mode', ['sync.completed'], { signing_mode: 'legacy' });
    // A secret made before Standard Webhooks: URL-safe base64, which its libraries cannot read.
    const old = `whsec_${'a-b_'.repeat(11)}`;
    await getDb()
      .updateTable('webhook_endpoints')
      .set({ secret_encrypted: encryptSecret(getKeyring(), old) })
      .where('id', '=', endpoint.id)
      .execute();
    const refused = await patch(endpoint.id, { signing_mode: 'standard' });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'validation_failed' });
    expect(JSON.stringify(refused.body)).not.toContain(old);
    expect((await getEndpoint(endpoint.id)).signing_mode).toBe('legacy');

    const rotated = await callRoute(rotateRoute.POST, { method: 'POST', params: { id: endpoint.id }, auth: session() });
    expect(rotated.status).toBe(200);
    const switched = await patch(endpoint.id, { signing_mode: 'standard' });
    expect(switched.status).toBe(200);
    expect(switched.body.signing_mode).toBe('standard');
  });
});
