import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKeyring } from '@/lib/crypto/secret-box';
import { getDb } from '@/lib/db';
import { getLogger } from '@/lib/logger';
import { type FakePersonio, startFakePersonio } from '@/test/fakes/personio';
import { healthAfterBatch } from '../source-health';
import { createSourceAuthorizer, OAuth2TokenError, oauth2SettingsOf, tokenErrorOutcomes } from './authorize';
import {
  type ActionItem,
  type ConnectorAction,
  type FieldMapping,
  RECORD_GONE,
  type TargetRecord,
  type TargetValue,
} from './contract';
import { personio } from './personio';
import type { DeliveryItem, Outcome, SourceConfig } from './types';

const WRITE = ['personio:persons:read', 'personio:persons:write'];
const SECRET = `sec-${randomBytes(16).toString('hex')}`;
let fake: FakePersonio;

beforeAll(async () => {
  fake = await startFakePersonio([
    { clientId: 'ats', clientSecret: SECRET, scopes: WRITE },
    { clientId: 'reader', clientSecret: 'reader-secret-1', scopes: ['personio:persons:read'] },
    { clientId: 'nothing', clientSecret: 'nothing-secret-1', scopes: [] },
  ]);
});
afterAll(() => fake?.close());

async function sourceFor(clientId: string, secret: string): Promise<SourceConfig> {
  const row = await getDb()
    .insertInto('sources')
    .values({ name: `personio-${randomBytes(3).toString('hex')}`, connector: 'generic_webhook', base_url: fake.url })
    .returning(['id', 'updated_at'])
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    name: 'Personio',
    connector: 'generic_webhook',
    baseUrl: fake.url,
    syncEndpoint: '',
    httpMethod: 'POST',
    authType: 'basic',
    authHeaderName: null,
    authUsername: clientId,
    authTokenUrl: null,
    authScope: null,
    authClientAuth: null,
    authSecret: secret,
    signingSecret: null,
    signingMode: 'standard',
    headers: {},
    fieldMapping: {},
    settings: {},
    timeoutMs: 10_000,
    maxConcurrency: 4,
    batchSize: 1,
    maxAttempts: 3,
    maxRequestsPerMinute: personio.rateLimit.requestsPerMinute,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A hired candidate shaped like the demo data (lib/demo/seed-demo.ts). */
function demoItem(overrides: Partial<DeliveryItem['candidate']> = {}): DeliveryItem {
  const n = randomBytes(3).toString('hex');
  return {
    deliveryId: randomUUID(),
    idempotencyKey: `idem-${n}`,
    attempt: 1,
    candidate: {
      id: randomUUID(),
      first_name: ' Grace ',
      last_name: 'Hopper',
      email: `Grace.Hopper.${n}@Example.com`,
      phone: null,
      hired_at: '2026-12-01T09:30:00.000Z',
      start_date: '2027-01-04',
      ...overrides,
    },
    job: {
      id: randomUUID(),
      slug: 'backend-engineer',
      title: 'Backend Engineer',
      department: 'Engineering',
      location: 'Berlin',
      employment_type: 'full_time',
    },
  };
}

/** Just enough of the mapping rules to read the default mapping on the demo data (the engine's own is the connectors' part). */
function render(mapping: FieldMapping, item: DeliveryItem): TargetRecord {
  const record: TargetRecord = Object.create(null);
  for (const [key, rule] of Object.entries(mapping)) {
    if ('value' in rule) {
      record[key] = rule.value;
      continue;
    }
    const [scope, field] = rule.from.split('.') as ['candidate' | 'job', string];
    let v = ((item[scope] as Record<string, unknown>)[field] ?? rule.default ?? null) as TargetValue;
    for (const t of rule.transforms ?? []) {
      if (typeof v !== 'string') break;
      if (t.kind === 'trim') v = v.trim();
      else if (t.kind === 'lower') v = v.toLowerCase();
      else if (t.kind === 'date') v = v.slice(0, 10);
      else throw new Error(`transform ${t.kind} not rendered here`);
    }
    record[key] = v;
  }
  return record;
}

async function deliver(
  source: SourceConfig,
  action: ConnectorAction,
  item: DeliveryItem,
  options: { externalId?: string | null; record?: TargetRecord } = {},
): Promise<Outcome> {
  const authorizer = createSourceAuthorizer({ db: getDb(), keyring: getKeyring(), log: getLogger() });
  const ctx = { source, settings: personio.settings.parse({}), now: new Date() };
  const items: ActionItem[] = [
    { item, record: options.record ?? render(personio.defaultMapping, item), externalId: options.externalId ?? null },
  ];
  const oauth2 = oauth2SettingsOf(personio.auth, null);
  try {
    const result = await authorizer.send(source, oauth2, personio.buildRequest(action, ctx, items));
    return personio.interpret(action, ctx, items, result)[0];
  } catch (err) {
    if (err instanceof OAuth2TokenError)
      return tokenErrorOutcomes(
        items.map((i) => i.item),
        err,
      )[0];
    throw err;
  }
}

describe('Personio through the outbound client with a token from the shared OAuth2 cache', () => {
  it('creates the employee from the default mapping of a demo candidate, then updates and withdraws it', async () => {
    const source = await sourceFor('ats', SECRET);
    const item = demoItem();
    const tokensBefore = fake.tokensIssued();

    const created = await deliver(source, 'create', item);
    expect(created).toMatchObject({ kind: 'succeeded', httpStatus: 201, errorCode: null });
    const [personId, employmentId] = (created.externalId ?? '').split('/');
    const person = fake.persons.get(personId);
    expect(person).toMatchObject({
      first_name: 'Grace',
      last_name: 'Hopper',
      email: item.candidate.email.toLowerCase(),
    });
    expect(person?.employments[0]).toMatchObject({
      id: employmentId,
      status: 'ONBOARDING',
      employment_start_date: '2027-01-04',
      position: { title: 'Backend Engineer' },
      type: 'INTERNAL',
    });

    const updated = await deliver(source, 'update', demoItem({ last_name: 'Hopper-Murray' }), {
      externalId: created.externalId,
    });
    expect(updated).toMatchObject({ kind: 'succeeded', httpStatus: 204, externalId: created.externalId });
    expect(fake.persons.get(personId)?.last_name).toBe('Hopper-Murray');

    const withdrawn = await deliver(source, 'withdraw', item, { externalId: created.externalId });
    expect(withdrawn).toMatchObject({ kind: 'succeeded', httpStatus: 204 });
    expect(fake.persons.get(personId)?.employments[0].status).toBe('INACTIVE');

    // Hired again: the same employment back, with the new start date.
    const rehired = await deliver(source, 'rehire', demoItem({ start_date: '2027-03-01' }), {
      externalId: created.externalId,
    });
    expect(rehired).toMatchObject({ kind: 'succeeded', httpStatus: 204, externalId: created.externalId });
    expect(fake.persons.get(personId)?.employments).toEqual([
      expect.objectContaining({ id: employmentId, status: 'ONBOARDING', employment_start_date: '2027-03-01' }),
    ]);
    const gone = await deliver(source, 'rehire', item, { externalId: `${personId}/no-such-employment` });
    expect(gone).toMatchObject({ kind: 'failed', httpStatus: 404, errorCode: RECORD_GONE });

    // One token for every request (and the fresh authorizer of every call: the shared row).
    expect(fake.tokensIssued() - tokensBefore).toBe(1);
    expect(personio.recordUrl?.({ company_subdomain: 'acme' }, created.externalId ?? '')).toBe(
      `https://acme.app.personio.com/staff/details/${personId}`,
    );
  });

  it('a candidate without a required attribute fails with Personio naming the field, and nothing is created', async () => {
    const source = await sourceFor('ats', SECRET);
    const item = demoItem();
    const record = { ...render(personio.defaultMapping, item), last_name: null };
    const count = fake.persons.size;
    const outcome = await deliver(source, 'create', item, { record });
    expect(outcome).toMatchObject({ kind: 'failed', httpStatus: 400, errorCode: 'rejected' });
    expect(outcome.errorMessage).toContain('last_name: must not be blank');
    expect(fake.persons.size).toBe(count);
    expect(personio.targetFields.filter((f) => f.requiredOn.includes('create')).map((f) => f.key)).toEqual([
      'first_name',
      'last_name',
    ]);
  });

  it('wrong credentials: auth_failed at once, the source turns auth_failed, no request reaches Personio', async () => {
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    const source = await sourceFor('ats', wrong);
    const apiRequestsBefore = fake.requests.filter((r) => r.path.startsWith('/v2/persons')).length;
    const outcome = await deliver(source, 'create', demoItem());
    expect(outcome).toMatchObject({ kind: 'failed', errorCode: 'auth_failed', retryAfterMs: null });
    expect(outcome.errorMessage).toContain('oauth_token_failed');
    expect(outcome.errorMessage).toContain('unauthorized_client');
    expect(outcome.errorMessage).not.toContain(wrong);
    expect(fake.requests.filter((r) => r.path.startsWith('/v2/persons')).length).toBe(apiRequestsBefore);
    expect(healthAfterBatch([outcome])).toMatchObject({ kind: 'failing', status: 'auth_failed', immediate: true });
  });

  it('an unreachable token endpoint is retried later, not counted as refused credentials', async () => {
    const closed = { ...(await sourceFor('ats', SECRET)), baseUrl: 'http://127.0.0.1:9' };
    const outcome = await deliver(closed, 'create', demoItem());
    expect(outcome).toMatchObject({ kind: 'retry', errorCode: 'oauth_token_failed' });
    expect(outcome.errorMessage).toContain('token endpoint not reached');
  });

  it('a token Personio stopped honouring is replaced once; a credential without the write scope is auth_failed', async () => {
    const source = await sourceFor('ats', SECRET);
    expect((await deliver(source, 'create', demoItem())).kind).toBe('succeeded');
    fake.revokeTokens();
    const tokensBefore = fake.tokensIssued();
    expect(await deliver(source, 'create', demoItem())).toMatchObject({ kind: 'succeeded', httpStatus: 201 });
    expect(fake.tokensIssued() - tokensBefore).toBe(1);

    const reader = await sourceFor('reader', 'reader-secret-1');
    const refused = await deliver(reader, 'create', demoItem());
    expect(refused).toMatchObject({ kind: 'failed', httpStatus: 403, errorCode: 'auth_failed' });
    expect(refused.errorMessage).toContain('personio:persons:write');
  });

  it('a 429 is retried after at least a second, and the retry creates the employee once', async () => {
    const source = await sourceFor('ats', SECRET);
    const item = demoItem();
    const count = fake.persons.size;
    fake.rateLimitNext(1);
    const limited = await deliver(source, 'create', item);
    expect(limited).toMatchObject({ kind: 'retry', httpStatus: 429, errorCode: 'rate_limited' });
    expect(limited.retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(fake.persons.size).toBe(count);
    expect(await deliver(source, 'create', item)).toMatchObject({ kind: 'succeeded', httpStatus: 201 });
    expect(fake.persons.size).toBe(count + 1);
  });

  it('the connection test passes with the read scope and names the missing scope otherwise', async () => {
    const authorizer = createSourceAuthorizer({ db: getDb(), keyring: getKeyring(), log: getLogger() });
    const oauth2 = oauth2SettingsOf(personio.auth, null);
    const check = async (source: SourceConfig) => {
      const ctx = { source, settings: personio.settings.parse({}), now: new Date() };
      const request = personio.connectionTest.request(ctx);
      return personio.connectionTest.explain(await authorizer.send(source, oauth2, request, { connectionTest: true }));
    };
    expect(await check(await sourceFor('reader', 'reader-secret-1'))).toBeNull();
    const nothing = await sourceFor('nothing', 'nothing-secret-1');
    expect(await check(nothing)).toContain('personio:persons:read');
    // The admin grants the scope in Personio and tests again: the cached token (issued without it)
    // is replaced, so the test passes at once instead of when that token expires a day later.
    fake.setScopes('nothing', ['personio:persons:read']);
    expect(await check(nothing)).toBeNull();
  });
});
