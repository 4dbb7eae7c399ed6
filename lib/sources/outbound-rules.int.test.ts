import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sourceById from '@/app/api/v1/sources/[id]/route';
import * as sourcesRoute from '@/app/api/v1/sources/route';
import { getDb } from '@/lib/db';
import { type MockSource, startMockSource } from '@/scripts/mock-source/server';
import { stopSender } from '@/lib/queue/sender';
import { callRoute, createTestUser, type TestUser } from '@/test/fixtures';
import {
  createPostingWithHired,
  startSyncOf,
  startTestWorker,
  type TestWorker,
  waitForRunFinished,
} from '@/test/sync-harness';
import type { PublicSource } from './schemas';

const TOKEN = 'sk_live_OLD_ORIGIN_token_123456';
const SIGNING = 'whsec_OLD_ORIGIN_signing_654321';
const PARTNER_KEY = 'OLD_ORIGIN_partner_key_777';

let oldHost: MockSource;
let newHost: MockSource;
let worker: TestWorker;
let admin: TestUser;

beforeAll(async () => {
  oldHost = await startMockSource();
  newHost = await startMockSource({ signingSecrets: { '/kept': 'whsec_NEW_ORIGIN_signing_000111' } });
  worker = await startTestWorker();
  admin = await createTestUser('admin');
});

afterAll(async () => {
  await worker?.stop();
  await stopSender();
  await oldHost?.close();
  await newHost?.close();
});

const post = (body: Record<string, unknown>) =>
  callRoute(sourcesRoute.POST, { method: 'POST', auth: { session: admin }, body });
const patch = (id: string, body: Record<string, unknown>) =>
  callRoute(sourceById.PATCH, { method: 'PATCH', params: { id }, auth: { session: admin }, body });
const get = async (id: string): Promise<PublicSource> =>
  (await callRoute(sourceById.GET, { params: { id }, auth: { session: admin } })).body;

let counter = 0;
async function createSecretSource(path: string): Promise<PublicSource> {
  counter += 1;
  const res = await post({
    name: `origin ${counter} ${path}`,
    connector: 'generic_webhook',
    base_url: oldHost.url,
    sync_endpoint: path,
    auth: { type: 'bearer', token: TOKEN },
    signing_secret: SIGNING,
    signing_mode: 'legacy',
    headers: { 'X-Partner-Key': PARTNER_KEY, 'X-Tenant': 'acme' },
    max_attempts: 1,
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function deliverOneTo(source: PublicSource) {
  const posting = await createPostingWithHired(1);
  return waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
}

async function auditOf(id: string) {
  const rows = await getDb()
    .selectFrom('audit_events')
    .select(['action', 'details'])
    .where('target_id', '=', id)
    .where('action', '=', 'source.updated')
    .orderBy('created_at', 'desc')
    .execute();
  return rows[0]?.details as Record<string, unknown> | undefined;
}

describe('header names a source may not set', () => {
  const transport = [
    'Host',
    'content-length',
    'Transfer-Encoding',
    'CONNECTION',
    'Cookie',
    'X-Forwarded-For',
    'x-forwarded-host',
    'X-Forwarded-Proto',
  ];

  it.each(transport)('refuses %s as a custom header, on create and on update (422, nothing changes)', async (name) => {
    const before = await getDb().selectFrom('sources').select('id').execute();
    const created = await post({
      name: `custom ${name}`,
      connector: 'generic_webhook',
      base_url: oldHost.url,
      headers: { [name]: 'x' },
    });
    expect(created.status).toBe(422);
    expect(created.body.error.code).toBe('validation_failed');
    expect(created.body.error.details).toContainEqual({
      path: 'headers',
      message: `${name}: may not be Host, Content-Length, Transfer-Encoding, Connection, Cookie, X-Forwarded-* or another header the HTTP client or a proxy sets`,
    });
    expect(await getDb().selectFrom('sources').select('id').execute()).toHaveLength(before.length);

    const source = await createSecretSource(`/custom-${counter}`);
    const updated = await patch(source.id, { headers: { 'X-Tenant': 'other', [name]: 'x' } });
    expect(updated.status).toBe(422);
    expect((await get(source.id)).headers).toEqual({ 'X-Partner-Key': expect.any(String), 'X-Tenant': 'acme' });
  });

  it.each(transport)('refuses %s as the api_key_header name, on create and on update', async (name) => {
    const created = await post({
      name: `api key ${name}`,
      connector: 'generic_webhook',
      base_url: oldHost.url,
      auth: { type: 'api_key_header', header: name, value: 'k-123456' },
    });
    expect(created.status).toBe(422);
    expect(created.body.error.details).toContainEqual({
      path: 'auth.header',
      message: expect.stringMatching(/^may not be/),
    });

    const source = await createSecretSource(`/api-key-${counter}`);
    const updated = await patch(source.id, { auth: { type: 'api_key_header', header: name, value: 'k-123456' } });
    expect(updated.status).toBe(422);
    expect((await get(source.id)).auth).toMatchObject({ type: 'bearer', secret_set: true });
  });

  it('still accepts ordinary names, including credential-like ones', async () => {
    const res = await post({
      name: 'ordinary headers',
      connector: 'generic_webhook',
      base_url: oldHost.url,
      auth: { type: 'api_key_header', header: 'X-Api-Key', value: 'k-123456' },
      headers: { 'X-Forwarded': 'not a prefix match', 'X-Cookie-Policy': 'strict' },
    });
    expect(res.status).toBe(201);
  });

  it.each([
    ['a custom header value', { headers: { 'X-Tenant': 'acme\r\nX-Injected: 1' } }, 'headers.X-Tenant'],
    ['a bearer token', { auth: { type: 'bearer', token: 'tok-123456\nX-Injected: 1' } }, 'auth.token'],
    ['an api key value', { auth: { type: 'api_key_header', header: 'X-Api-Key', value: 'k\r\nX: 1' } }, 'auth.value'],
  ])('refuses a line break in %s, which would start another header (422, nothing stored)', async (_, fields, path) => {
    const before = (await callRoute(sourcesRoute.GET, { auth: { session: admin } })).body.data.length;
    const res = await post({
      name: 'header injection',
      connector: 'generic_webhook',
      base_url: oldHost.url,
      ...fields,
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect((await callRoute(sourcesRoute.GET, { auth: { session: admin } })).body.data.length).toBe(before);
  });
});

describe('credentials follow their origin', () => {
  it('a PATCH to another host drops the auth secret, signing secret and credential-like headers; the answer and the audit row say so', async () => {
    const source = await createSecretSource('/moved');
    const res = await patch(source.id, { base_url: `http://localhost:${newHost.port}` });
    expect(res.status).toBe(200);
    expect(res.body.credentials_cleared).toBe(true);
    const after = await get(source.id);
    expect(after.auth).toMatchObject({ type: 'bearer', secret_set: false, secret_mask: null });
    expect(after.signing_secret).toEqual({ secret_set: false, mask: null });
    expect(after.headers).toEqual({ 'X-Tenant': 'acme' });
    expect(await auditOf(source.id)).toMatchObject({
      credentials_cleared: true,
      cleared: ['auth', 'signing_secret', 'headers'],
    });

    const run = await deliverOneTo(source);
    expect(run.status).toBe('completed');
    const [request] = newHost.requests({ path: '/moved' });
    expect(request.headers.authorization).toBeUndefined();
    expect(request.headers['x-ats-signature']).toBeUndefined();
    expect(request.headers['x-partner-key']).toBeUndefined();
    expect(request.headers['x-tenant']).toBe('acme');
    expect(JSON.stringify(request)).not.toMatch(/OLD_ORIGIN/);
    expect(oldHost.requests({ path: '/moved' })).toHaveLength(0);
  });

  it('a change of port or scheme alone counts as another origin', async () => {
    const byPort = await createSecretSource('/port');
    const res = await patch(byPort.id, { base_url: newHost.url });
    expect(res.body.credentials_cleared).toBe(true);
    const byScheme = await createSecretSource('/scheme');
    const https = await patch(byScheme.id, { base_url: oldHost.url.replace(/^http:/, 'https:') });
    expect(https.body.credentials_cleared).toBe(true);
    expect((await get(byScheme.id)).auth.secret_set).toBe(false);
  });

  it('keeps whatever the same PATCH sets again', async () => {
    const source = await createSecretSource('/kept');
    const newSigning = 'whsec_NEW_ORIGIN_signing_000111';
    const res = await patch(source.id, {
      base_url: `http://localhost:${newHost.port}`,
      auth: { type: 'bearer', token: 'sk_live_NEW_ORIGIN_token' },
      signing_secret: newSigning,
      headers: { 'X-Partner-Key': 'NEW_ORIGIN_partner_key', 'X-Tenant': 'acme' },
    });
    expect(res.status).toBe(200);
    expect(res.body.credentials_cleared).toBe(false);
    expect(res.body.auth.secret_set).toBe(true);
    expect(res.body.signing_secret.secret_set).toBe(true);
    expect((await auditOf(source.id))?.credentials_cleared).toBeUndefined();

    await deliverOneTo(source);
    const [request] = newHost.requests({ path: '/kept' });
    expect(request.headers.authorization).toBe('Bearer sk_live_NEW_ORIGIN_token');
    expect(request.headers['x-partner-key']).toBe('NEW_ORIGIN_partner_key');
    expect(request.signature_valid).toBe(true);
  });

  it('a PATCH that changes only the path keeps the credentials', async () => {
    const source = await createSecretSource('/path');
    const res = await patch(source.id, { base_url: `${oldHost.url}/v2`, sync_endpoint: '/path-v2' });
    expect(res.status).toBe(200);
    expect(res.body.credentials_cleared).toBe(false);
    expect(res.body.auth.secret_set).toBe(true);
    expect(res.body.signing_secret.secret_set).toBe(true);

    await deliverOneTo(source);
    const [request] = oldHost.requests({ path: '/v2/path-v2' });
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.headers['x-partner-key']).toBe(PARTNER_KEY);
    expect(request.headers['x-ats-signature']).toMatch(/^v1=/);
  });
});
