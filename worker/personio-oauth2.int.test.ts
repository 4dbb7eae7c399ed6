import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { stopSender } from '@/lib/queue/sender';
import { getSourceOrThrow, testSource, updateSource } from '@/lib/sources/service';
import { type FakePersonio, startFakePersonio } from '@/test/fakes/personio';
import { systemActor } from '@/lib/auth/actor';
import {
  type TestWorker,
  createPostingWithHired,
  createTestSource,
  startSyncOf,
  startTestWorker,
  waitForRunFinished,
} from '@/test/sync-harness';

/**
 * Personio through the real worker, with OAuth2 client credentials as the source's auth type
 * (issue 20, items 2 and 3): the source is created through the source service like the API does,
 * the worker exchanges the client id and secret for a token at the fake's /v2/auth/token, keeps it
 * in the shared cache and sends every hire with it.
 */

const admin = systemActor('test');
const SECRET = `sec-${randomBytes(16).toString('hex')}`;
const WRITE = ['personio:persons:read', 'personio:persons:write'];
let worker: TestWorker;
let fake: FakePersonio | undefined;

beforeAll(async () => {
  worker = await startTestWorker();
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
afterAll(async () => {
  await worker?.stop();
  await stopSender();
});

async function personioSource(f: FakePersonio, secret = SECRET) {
  return createTestSource(f.url, {
    connector: 'personio',
    sync_endpoint: '',
    settings: {},
    auth: { type: 'oauth2_client_credentials', client_id: 'ats', client_secret: secret },
    max_attempts: 3,
  });
}

async function hires(n: number) {
  const posting = await createPostingWithHired(n);
  await getDb()
    .updateTable('candidates')
    .set({ start_date: '2027-02-01' })
    .where('id', 'in', posting.candidateIds)
    .execute();
  return posting;
}

async function deliveriesOf(runId: string) {
  return getDb().selectFrom('sync_deliveries').selectAll().where('run_id', '=', runId).execute();
}

describe('Personio over OAuth2 client credentials, through the worker', () => {
  it('creates one person per hire with one token, and keeps the token and secret out of what it stores', async () => {
    fake = await startFakePersonio([{ clientId: 'ats', clientSecret: SECRET, scopes: WRITE }]);
    const source = await personioSource(fake);
    expect(source.auth).toMatchObject({ type: 'oauth2_client_credentials', client_id: 'ats', secret_set: true });
    expect(JSON.stringify(source)).not.toContain(SECRET);
    const posting = await hires(3);
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    expect(run.status).toBe('completed');
    const rows = await deliveriesOf(run.id);
    expect(rows.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(fake.persons.size).toBe(3);
    expect([...fake.persons.values()][0].employments[0]).toMatchObject({
      employment_start_date: '2027-02-01',
      status: 'ONBOARDING',
    });
    expect(new Set(rows.map((r) => r.external_id?.split('/')[0]))).toEqual(new Set(fake.persons.keys()));
    expect(fake.tokensIssued()).toBe(1);
    const stored = JSON.stringify(rows.map((r) => r.request_excerpt));
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toMatch(/Bearer [A-Za-z0-9]/);
  });

  it('a refused client secret: auth_failed at once, the source turns auth_failed, nothing reaches Personio', async () => {
    fake = await startFakePersonio([{ clientId: 'ats', clientSecret: SECRET, scopes: WRITE }]);
    const source = await personioSource(fake, 'wrong-secret-123456');
    const posting = await hires(1);
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    const [row] = await deliveriesOf(run.id);
    expect(row).toMatchObject({ status: 'failed', error_code: 'auth_failed', attempts: 1 });
    expect(row.error_message).not.toContain('wrong-secret-123456');
    expect(fake.requests.filter((r) => r.path.startsWith('/v2/persons'))).toHaveLength(0);
    expect((await getSourceOrThrow(getDb(), admin, source.id)).health.status).toBe('auth_failed');
  });

  it('the connection test gets a token and names the missing scope', async () => {
    fake = await startFakePersonio([{ clientId: 'ats', clientSecret: SECRET, scopes: [] }]);
    const source = await personioSource(fake);
    const failed = await testSource(getDb(), admin, source.id);
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/personio:persons:read/);
    fake.setScopes('ats', WRITE);
    expect(await testSource(getDb(), admin, source.id)).toMatchObject({ ok: true, status: 'healthy' });
  });
});

describe('OAuth2 client credentials in the source API', () => {
  it('refuses OAuth2 without a token URL for a connector that has none, and a named system with another auth type than its own', async () => {
    await expect(
      createTestSource('http://127.0.0.1:9', {
        auth: { type: 'oauth2_client_credentials', client_id: 'x', client_secret: 'secret-value-1' },
      }),
    ).rejects.toMatchObject({ code: 'validation_failed', details: [{ path: 'auth.token_url' }] });
    await expect(
      createTestSource('http://127.0.0.1:9', {
        connector: 'personio',
        auth: { type: 'bearer', token: 'secret-value-1' },
      }),
    ).rejects.toMatchObject({ code: 'validation_failed', details: [{ path: 'auth.type' }] });
    await expect(
      createTestSource('http://127.0.0.1:9', {
        connector: 'bamboohr',
        settings: { company_domain: 'acme' },
        auth: { type: 'bearer', token: 'secret-value-1' },
      }),
    ).rejects.toMatchObject({ code: 'validation_failed', details: [{ path: 'auth.type' }] });
  });

  it('keeps the client secret write-only, and asks for it again when the token URL moves to another origin', async () => {
    const source = await createTestSource('http://127.0.0.1:9', {
      auth: {
        type: 'oauth2_client_credentials',
        client_id: 'client-1',
        client_secret: SECRET,
        token_url: 'http://127.0.0.1:9/oauth/token',
        scope: 'hr.write',
      },
    });
    expect(source.auth).toMatchObject({
      client_id: 'client-1',
      token_url: 'http://127.0.0.1:9/oauth/token',
      scope: 'hr.write',
      secret_set: true,
    });
    await expect(
      updateSource(getDb(), admin, source.id, {
        auth: { type: 'oauth2_client_credentials', client_id: 'client-1', token_url: 'http://127.0.0.2:9/token' },
      }),
    ).rejects.toMatchObject({ code: 'validation_failed', details: [{ path: 'auth.client_secret' }] });
    const same = await updateSource(getDb(), admin, source.id, {
      auth: { type: 'oauth2_client_credentials', client_id: 'client-2', token_url: 'http://127.0.0.1:9/other' },
    });
    expect(same.auth).toMatchObject({ client_id: 'client-2', secret_set: true });
  });
});
