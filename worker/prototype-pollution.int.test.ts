import { describe, expect, it } from 'vitest';
import * as sourcesRoute from '@/app/api/v1/sources/route';
import * as sourceById from '@/app/api/v1/sources/[id]/route';
import { getDb } from '@/lib/db';
import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import {
  createPostingWithHired,
  createTestSource,
  setupSyncTestEnvironment,
  startSyncOf,
  waitForRunFinished,
} from '@/test/sync-harness';

const env = setupSyncTestEnvironment();

async function sourceCount(): Promise<number> {
  const row = await getDb()
    .selectFrom('sources')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const JSON_TYPE = { 'content-type': 'application/json' };

const polluted = () => ({}) as Record<string, unknown>;

describe('field mapping and headers cannot reach a prototype (issue 12, item 7)', () => {
  it('the API refuses __proto__, prototype and constructor in mappings and headers, naming the path', async () => {
    const adminToken = await createTestToken(await createTestUser('admin'));
    const base = { name: 'Hostile', connector: 'generic_webhook', base_url: env.mock.url, sync_endpoint: '/x' };
    const before = await sourceCount();
    const cases: [string, string][] = [
      ['{"field_mapping": {"__proto__.toLocaleString": "polluted"}}', 'field_mapping.__proto__.toLocaleString'],
      ['{"field_mapping": {"constructor.prototype.x": "y"}}', 'field_mapping.constructor.prototype.x'],
      ['{"field_mapping": {"candidate.email": "__proto__"}}', 'field_mapping.candidate.email'],
      ['{"field_mapping": {"candidate.email": "constructor"}}', 'field_mapping.candidate.email'],
      ['{"field_mapping": {"__proto__": "x"}}', 'field_mapping.__proto__'],
      ['{"headers": {"__proto__": "x"}}', 'headers.__proto__'],
      ['{"__proto__": {"is_active": false}}', '__proto__'],
    ];
    for (const [extra, path] of cases) {
      // Raw text: JSON.stringify of an object literal would drop the __proto__ key before it is sent.
      const body = JSON.stringify(base).replace(/}$/, `,${extra.slice(1)}`);
      const res = await callRoute(sourcesRoute.POST, {
        method: 'POST',
        auth: { token: adminToken },
        rawBody: body,
        headers: JSON_TYPE,
      });
      expect(res.status, extra).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(
        res.body.error.details.map((d: { path: string }) => d.path),
        extra,
      ).toContain(path);
    }
    expect(await sourceCount()).toBe(before);

    const source = await createTestSource(env.mock.url, { field_mapping: { 'candidate.phone': null } });
    const patch = await callRoute(sourceById.PATCH, {
      method: 'PATCH',
      auth: { token: adminToken },
      params: { id: source.id },
      rawBody: '{"field_mapping": {"__proto__.toString": "polluted"}}',
      headers: JSON_TYPE,
    });
    expect(patch.status).toBe(422);
    const stored = await getDb()
      .selectFrom('sources')
      .select('field_mapping')
      .where('id', '=', source.id)
      .executeTakeFirstOrThrow();
    expect(stored.field_mapping).toEqual({ 'candidate.phone': null });
    expect(polluted().polluted).toBeUndefined();
  });

  it('a hostile row written straight into the database leaves the worker intact and deliveries correct', async () => {
    const posting = await createPostingWithHired(2);
    const webhook = await createTestSource(env.mock.url, { sync_endpoint: '/proto/webhook' });
    const batch = await createTestSource(env.mock.url, { connector: 'rest_batch', sync_endpoint: '/proto/batch' });
    // As an old row, a restored backup or someone with database access would have it. PostgreSQL
    // orders jsonb keys shortest first, so each attack gets a source of its own to run unhindered.
    const walksToPrototype = {
      '__proto__.toLocaleString': 'polluted',
      'constructor.prototype.propertyIsEnumerable': 'polluted_too',
      'candidate.email': 'email_address',
    };
    const namesPrototype = { candidate: '__proto__', job: 'constructor', 'candidate.email': 'email_address' };
    for (const [id, mapping] of [
      [webhook.id, walksToPrototype],
      [batch.id, namesPrototype],
    ] as const) {
      await getDb()
        .updateTable('sources')
        .set({ field_mapping: JSON.stringify(mapping), headers: '{"__proto__": "evil", "X-Tenant": "acme"}' } as never)
        .where('id', '=', id)
        .execute();
    }

    const run = await waitForRunFinished(await startSyncOf(posting.slug, [webhook.id, batch.id]));
    expect(run).toMatchObject({ status: 'completed', succeeded: 4, failed: 0 });
    expect(polluted().polluted).toBeUndefined();
    expect(polluted().polluted_too).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'toLocaleString')).toBe(true);
    expect(Object.hasOwn(Object.prototype, 'propertyIsEnumerable')).toBe(true);

    const webhookBodies = env.mock.requests({ path: '/proto/webhook' }).map((r) => (r.json as any).data);
    const batchItems = env.mock.requests({ path: '/proto/batch' }).flatMap((r) => (r.json as any).candidates);
    expect(webhookBodies).toHaveLength(2);
    expect(batchItems).toHaveLength(2);
    for (const data of [...webhookBodies, ...batchItems]) {
      expect(Object.keys(data.candidate).sort()).toEqual([
        'email_address',
        'first_name',
        'id',
        'last_name',
        'phone',
        'start_date',
      ]);
      expect(data.candidate.email_address).toMatch(/@example\.test$/);
      expect(data.job).toMatchObject({ slug: posting.slug });
      expect(Object.hasOwn(data, 'constructor')).toBe(false);
    }
    for (const r of env.mock.requests({ path: '/proto' })) {
      expect(r.headers['x-tenant']).toBe('acme');
      expect(Object.hasOwn(r.headers, '__proto__')).toBe(false);
    }
  });
});
