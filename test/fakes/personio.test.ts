import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRequest } from '@/lib/http/outbound-client';
import { type FakePersonio, startFakePersonio } from './personio';

const target = { id: 'fake-personio-test', updatedAt: 'v1', maxConcurrency: 2, timeoutMs: 10_000 };
let fake: FakePersonio;

const send = async (method: string, path: string, body = '', headers: Record<string, string> = {}) => {
  const result = await sendRequest(target, { url: `${fake.url}${path}`, method, headers, body });
  if (!result.ok) throw new Error(result.message);
  return {
    status: result.status,
    body: result.body ? JSON.parse(result.body) : null,
    type: result.headers['content-type'],
  };
};
const form = (fields: Record<string, string>) =>
  [new URLSearchParams(fields).toString(), { 'content-type': 'application/x-www-form-urlencoded' }] as const;
const tokenFor = async (clientId: string, clientSecret: string) => {
  const r = await send(
    'POST',
    '/v2/auth/token',
    ...form({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  );
  return r.body.access_token as string;
};
const asJson = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

beforeAll(async () => {
  fake = await startFakePersonio([
    { clientId: 'full', clientSecret: 'full-secret', scopes: ['personio:persons:read', 'personio:persons:write'] },
    { clientId: 'reader', clientSecret: 'reader-secret', scopes: ['personio:persons:read'] },
  ]);
});
afterAll(() => fake?.close());

describe('the Personio fake', () => {
  it('issues a 24-hour bearer token for the client credentials grant, form-encoded only', async () => {
    const ok = await send(
      'POST',
      '/v2/auth/token',
      ...form({ grant_type: 'client_credentials', client_id: 'full', client_secret: 'full-secret' }),
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 86400 });
    expect(ok.body.access_token).toMatch(/^papi-/);
    const asJsonBody = await send('POST', '/v2/auth/token', JSON.stringify({ grant_type: 'client_credentials' }), {
      'content-type': 'application/json',
    });
    expect(asJsonBody).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('answers the documented OAuth2 errors', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ grant_type: 'client_credentials', client_id: 'full' }, 'invalid_request'],
      [{ grant_type: 'password', client_id: 'full', client_secret: 'full-secret' }, 'unsupported_grant_type'],
      [{ grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' }, 'invalid_client'],
      [{ grant_type: 'client_credentials', client_id: 'full', client_secret: 'wrong' }, 'unauthorized_client'],
      [
        {
          grant_type: 'client_credentials',
          client_id: 'reader',
          client_secret: 'reader-secret',
          scope: 'personio:persons:write',
        },
        'invalid_scope',
      ],
    ];
    for (const [fields, error] of cases) {
      expect(await send('POST', '/v2/auth/token', ...form(fields))).toMatchObject({ status: 400, body: { error } });
    }
  });

  it('creates a person with an employment, names missing attributes, refuses a second person with the same email', async () => {
    const token = await tokenFor('full', 'full-secret');
    const missing = await send(
      'POST',
      '/v2/persons',
      JSON.stringify({ first_name: 'Ada', email: 'ada@example.test' }),
      asJson(token),
    );
    expect(missing.status).toBe(400);
    expect(missing.type).toBe('application/problem+json');
    expect(missing.body.errors[0]).toMatchObject({ title: 'Invalid request', detail: 'last_name: must not be blank' });
    expect(missing.body.personio_trace_id).toBeTruthy();

    const person = {
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.test',
      employments: [{ start_date: '2026-12-01', status: 'ONBOARDING' }],
    };
    const created = await send('POST', '/v2/persons', JSON.stringify(person), asJson(token));
    expect(created.status).toBe(201);
    expect(created.body.id).toBeTruthy();
    expect(created.body.employments[0].id).toBeTruthy();
    expect(fake.persons.get(created.body.id)).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace' });

    const again = await send('POST', '/v2/persons', JSON.stringify(person), asJson(token));
    expect(again.status).toBe(400);
    expect(again.body.errors[0].detail).toContain('email');

    const { id } = created.body;
    const eid = created.body.employments[0].id;
    expect(
      (await send('PATCH', `/v2/persons/${id}`, JSON.stringify({ last_name: 'King' }), asJson(token))).status,
    ).toBe(204);
    expect(fake.persons.get(id)?.last_name).toBe('King');
    expect(
      (await send('PATCH', `/v2/persons/${id}/employments/${eid}`, JSON.stringify({ status: 'GONE' }), asJson(token)))
        .status,
    ).toBe(400);
    expect(
      (
        await send(
          'PATCH',
          `/v2/persons/${id}/employments/${eid}`,
          JSON.stringify({ status: 'INACTIVE' }),
          asJson(token),
        )
      ).status,
    ).toBe(204);
    expect(fake.persons.get(id)?.employments[0].status).toBe('INACTIVE');
    expect((await send('PATCH', '/v2/persons/999999', JSON.stringify({ last_name: 'X' }), asJson(token))).status).toBe(
      404,
    );
  });

  it('refuses a missing or revoked token (401), a token without the scope (403), and rate limits with 429', async () => {
    expect((await send('GET', '/v2/persons?limit=1')).status).toBe(401);
    const reader = await tokenFor('reader', 'reader-secret');
    expect((await send('GET', '/v2/persons?limit=1', '', { authorization: `Bearer ${reader}` })).status).toBe(200);
    const forbidden = await send(
      'POST',
      '/v2/persons',
      JSON.stringify({ first_name: 'A', last_name: 'B' }),
      asJson(reader),
    );
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.errors[0].title).toBe('Insufficient access scope');
    fake.rateLimitNext(1);
    expect((await send('GET', '/v2/persons?limit=1', '', { authorization: `Bearer ${reader}` })).status).toBe(429);
    expect((await send('GET', '/v2/persons?limit=1', '', { authorization: `Bearer ${reader}` })).status).toBe(200);
    fake.revokeTokens();
    expect((await send('GET', '/v2/persons?limit=1', '', { authorization: `Bearer ${reader}` })).status).toBe(401);
  });
});
