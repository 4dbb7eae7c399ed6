import { describe, expect, it } from 'vitest';
import * as connectorsRoute from '@/app/api/v1/connectors/route';
import * as sourceById from '@/app/api/v1/sources/[id]/route';
import * as sourcesRoute from '@/app/api/v1/sources/route';
import { getDb } from '@/lib/db';
import { CONNECTOR_MODULES } from '@/lib/sync/connectors/registry';
import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';

async function admin() {
  return { token: await createTestToken(await createTestUser('admin')) };
}

const source = (name: string, patch: Record<string, unknown> = {}) => ({
  name,
  connector: 'generic_webhook',
  base_url: 'https://hr.example.test',
  sync_endpoint: '/hired',
  ...patch,
});

async function storedSources(name: string) {
  return getDb().selectFrom('sources').select(['connector', 'settings']).where('name', '=', name).execute();
}

describe('GET /api/v1/connectors', () => {
  it('lists every registered connector with its settings schema, auth fields and actions, to any signed-in user', async () => {
    const recruiter = { token: await createTestToken(await createTestUser('recruiter')) };
    const res = await callRoute(connectorsRoute.GET, { auth: recruiter });
    expect(res.status).toBe(200);
    expect(res.body.data.map((c: { id: string }) => c.id)).toEqual(CONNECTOR_MODULES.map((m) => m.id));
    const webhook = res.body.data.find((c: { id: string }) => c.id === 'generic_webhook');
    expect(webhook).toEqual({
      id: 'generic_webhook',
      name: 'Webhook',
      description: expect.any(String),
      docs: [],
      auth: { type: 'per_source', fields: [] },
      settings: {
        schema: expect.objectContaining({ type: 'object', properties: {}, additionalProperties: false }),
        fields: [],
      },
      target_fields: [],
      default_mapping: {},
      rate_limit: { requests_per_minute: null, note: expect.any(String), docs: null },
      // candidate.hired, candidate.updated, candidate.hire_withdrawn; candidate.hired again on a rehire (issue 21)
      actions: ['create', 'update', 'withdraw', 'rehire'],
    });
    expect(res.body.data.find((c: { id: string }) => c.id === 'rest_batch')).toMatchObject({ name: 'REST batch' });

    const anonymous = await callRoute(connectorsRoute.GET, {});
    expect(anonymous.status).toBe(401);
  });
});

describe('a source names a connector of the registry and gives the settings its schema accepts', () => {
  it('refuses an unknown connector with 422 unknown_connector naming the path, on create and update', async () => {
    const auth = await admin();
    const created = await callRoute(sourcesRoute.POST, {
      method: 'POST',
      auth,
      body: source('Unknown', { connector: 'workday_soap' }),
    });
    expect(created.status).toBe(422);
    expect(created.body.error).toMatchObject({
      code: 'unknown_connector',
      details: [{ path: 'connector', message: expect.stringContaining('generic_webhook') }],
    });
    expect(await storedSources('Unknown')).toHaveLength(0);

    const ok = await callRoute(sourcesRoute.POST, { method: 'POST', auth, body: source('Known') });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ connector: 'generic_webhook', settings: {} });
    const patched = await callRoute(sourceById.PATCH, {
      method: 'PATCH',
      auth,
      params: { id: ok.body.id },
      body: { connector: 'workday_soap', name: 'Renamed' },
    });
    expect(patched.status).toBe(422);
    expect(patched.body.error.code).toBe('unknown_connector');
    expect(await storedSources('Known')).toEqual([{ connector: 'generic_webhook', settings: {} }]);
  });

  it('refuses settings the connector schema does not accept with 422 naming the path, saving nothing', async () => {
    const auth = await admin();
    const created = await callRoute(sourcesRoute.POST, {
      method: 'POST',
      auth,
      body: source('Bad settings', { settings: { subdomain: 'acme' } }),
    });
    expect(created.status).toBe(422);
    expect(created.body.error.code).toBe('validation_failed');
    expect(created.body.error.details).toEqual([{ path: 'settings', message: expect.stringContaining('subdomain') }]);
    expect(await storedSources('Bad settings')).toHaveLength(0);

    const notAnObject = await callRoute(sourcesRoute.POST, {
      method: 'POST',
      auth,
      body: source('Bad settings', { settings: ['acme'] }),
    });
    expect(notAnObject.status).toBe(422);
    expect(notAnObject.body.error.details[0].path).toBe('settings');

    const ok = await callRoute(sourcesRoute.POST, { method: 'POST', auth, body: source('Good settings') });
    const patched = await callRoute(sourceById.PATCH, {
      method: 'PATCH',
      auth,
      params: { id: ok.body.id },
      body: { name: 'Good settings renamed', settings: { subdomain: 'acme' } },
    });
    expect(patched.status).toBe(422);
    expect(patched.body.error.details[0].path).toBe('settings');
    // Nothing half-saved: the name in the same request is not applied either.
    expect(await storedSources('Good settings')).toEqual([{ connector: 'generic_webhook', settings: {} }]);
  });

  it('refuses __proto__ inside settings with 422 naming the path', async () => {
    const auth = await admin();
    const res = await callRoute(sourcesRoute.POST, {
      method: 'POST',
      auth,
      rawBody: JSON.stringify(source('Proto')).replace(/}$/, ',"settings":{"__proto__":{"polluted":true}}}'),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'settings.__proto__', message: expect.any(String) }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await storedSources('Proto')).toHaveLength(0);
  });
});
