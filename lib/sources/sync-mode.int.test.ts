import { beforeAll, expect, it } from 'vitest';
import * as sourceById from '@/app/api/v1/sources/[id]/route';
import * as sourcesRoute from '@/app/api/v1/sources/route';
import { getDb } from '@/lib/db';
import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';

/** A source's sync_mode (issue 21) through the API: its default per connector, set, changed, refused. */

let auth: { token: string };
beforeAll(async () => {
  auth = { token: await createTestToken(await createTestUser('admin')) };
});

const post = (body: Record<string, unknown>) => callRoute(sourcesRoute.POST, { method: 'POST', auth, body });
const patch = (id: string, body: Record<string, unknown>) =>
  callRoute(sourceById.PATCH, { method: 'PATCH', params: { id }, auth, body });

const bob = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  connector: 'hibob',
  settings: {},
  base_url: 'https://api.hibob.example.test/v1',
  auth: { type: 'basic', username: 'SERVICE-1', password: 'bob-token-123456' },
  ...extra,
});
const webhook = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  connector: 'generic_webhook',
  base_url: 'https://hooks.example.test',
  ...extra,
});

it('defaults to auto for a named connector and manual for a webhook; either can be chosen', async () => {
  expect((await post(bob('Bob auto'))).body.sync_mode).toBe('auto');
  expect((await post(webhook('Hook manual'))).body.sync_mode).toBe('manual');
  expect((await post(bob('Bob manual', { sync_mode: 'manual' }))).body.sync_mode).toBe('manual');
  expect((await post(webhook('Hook auto', { sync_mode: 'auto' }))).body.sync_mode).toBe('auto');
});

it('is changed by PATCH, and a value it does not know is refused without changing anything', async () => {
  const created = await post(bob('Bob patched'));
  const id = created.body.id;
  const bad = await patch(id, { sync_mode: 'sometimes', name: 'Bob renamed' });
  expect(bad.status).toBe(422);
  expect(bad.body.error.code).toBe('validation_failed');
  const row = await getDb().selectFrom('sources').select(['sync_mode', 'name']).where('id', '=', id).executeTakeFirst();
  expect(row).toEqual({ sync_mode: 'auto', name: 'Bob patched' });
  const ok = await patch(id, { sync_mode: 'manual' });
  expect(ok.status).toBe(200);
  expect(ok.body.sync_mode).toBe('manual');
  const refusedCreate = await post(webhook('Hook bad', { sync_mode: 'always' }));
  expect(refusedCreate.status).toBe(422);
  expect(await getDb().selectFrom('sources').select('id').where('name', '=', 'Hook bad').execute()).toEqual([]);
});
