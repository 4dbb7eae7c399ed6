import { beforeAll, describe, expect, it } from 'vitest';
import * as sourcesRoute from '@/app/api/v1/sources/route';
import { getDb } from '@/lib/db';
import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';

/**
 * A named system's documented rate limit is a new source's default max_requests_per_minute
 * (contract.ts rateLimit.requestsPerMinute); a value given, null (no limit) included, wins.
 */

let auth: { token: string };
beforeAll(async () => {
  auth = { token: await createTestToken(await createTestUser('admin')) };
});

const bob = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  connector: 'hibob',
  base_url: 'https://api.hibob.example.test/v1',
  auth: { type: 'basic', username: 'SERVICE-1', password: 'bob-token-123456' },
  ...extra,
});

async function create(body: Record<string, unknown>) {
  const res = await callRoute(sourcesRoute.POST, { method: 'POST', auth, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const row = await getDb()
    .selectFrom('sources')
    .select('max_requests_per_minute')
    .where('id', '=', res.body.id)
    .executeTakeFirstOrThrow();
  expect(res.body.max_requests_per_minute).toBe(row.max_requests_per_minute);
  return row.max_requests_per_minute;
}

describe('max_requests_per_minute on create', () => {
  it("defaults to the connector's documented limit (HiBob 50, Personio 60)", async () => {
    expect(await create(bob('Bob default'))).toBe(50);
    expect(
      await create({
        name: 'Personio default',
        connector: 'personio',
        base_url: 'https://api.personio.example.test',
        auth: { type: 'oauth2_client_credentials', client_id: 'papi-1', client_secret: 'papi-secret-1' },
      }),
    ).toBe(60);
  });

  it('keeps an explicit value, and null for no limit', async () => {
    expect(await create(bob('Bob 20', { max_requests_per_minute: 20 }))).toBe(20);
    expect(await create(bob('Bob unlimited', { max_requests_per_minute: null }))).toBeNull();
  });

  it('stays without a limit for a connector that documents none (BambooHR, our own receivers)', async () => {
    expect(
      await create({
        name: 'Bamboo',
        connector: 'bamboohr',
        settings: { company_domain: 'acme' },
        base_url: 'https://api.bamboohr.example.test/v1',
        auth: { type: 'basic', username: 'api-key', password: 'bamboo-key-123456' },
      }),
    ).toBeNull();
    expect(
      await create({ name: 'Hook', connector: 'generic_webhook', base_url: 'https://hooks.example.test' }),
    ).toBeNull();
  });
});
