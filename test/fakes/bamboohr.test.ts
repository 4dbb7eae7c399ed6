import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpResult, sendRequest } from '@/lib/http/outbound-client';
import { type FakeBambooHr, startFakeBambooHr } from './bamboohr';

/** The fake against BambooHR's documented behaviour, over real HTTP through our one outbound client. */

const target = { id: randomUUID(), updatedAt: 'fake-bamboohr', maxConcurrency: 2, timeoutMs: 10_000 };
const basic = (user: string, password = 'x') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let fake: FakeBambooHr | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  auth?: string,
): Promise<Extract<HttpResult, { ok: true }>> {
  const result = await sendRequest(target, {
    url: `${fake!.baseUrl}${path}`,
    method,
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      authorization: auth ?? basic(fake!.apiKey),
    },
    body: body === undefined ? '' : JSON.stringify(body),
  });
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('fake BambooHR', () => {
  it('adds an employee: 201, the new id only in the Location header, any password', async () => {
    fake = await startFakeBambooHr();
    const res = await call(
      'POST',
      '/employees/',
      { firstName: 'Ada', lastName: 'Lovelace', homeEmail: 'ada@example.com', nickname: 'ignored' },
      basic(fake.apiKey, 'anything'),
    );
    expect(res.status).toBe(201);
    expect(res.body).toBe('');
    const location = String(res.headers.location);
    expect(location).toMatch(new RegExp(`^${fake.url}/api/gateway\\.php/acme/v1/employees/\\d+$`));
    const id = location.split('/').pop()!;
    const read = await call('GET', `/employees/${id}/`);
    expect(JSON.parse(read.body)).toEqual({
      id,
      firstName: 'Ada',
      lastName: 'Lovelace',
      homeEmail: 'ada@example.com',
      status: 'Active',
    });
  });

  it('refuses an employee without lastName with 400 naming it in X-BambooHR-Error-Message, and stores nothing', async () => {
    fake = await startFakeBambooHr();
    const res = await call('POST', '/employees/', { firstName: 'Ada' });
    expect(res.status).toBe(400);
    expect(res.headers['x-bamboohr-error-message']).toBe('Missing required field: lastName');
    expect(fake.employees.size).toBe(0);
  });

  it('answers 401 to a wrong or missing key, 403 to a key without access, 404 to an unknown company', async () => {
    fake = await startFakeBambooHr({ companyDomain: 'acme' });
    expect((await call('GET', '/meta/fields/', undefined, basic('wrong-key'))).status).toBe(401);
    const missing = await sendRequest(target, {
      url: `${fake.baseUrl}/meta/fields/`,
      method: 'GET',
      headers: {},
      body: '',
    });
    expect(missing.ok && missing.status).toBe(401);
    expect(missing.ok && missing.headers['x-bamboohr-error-message']).toBe('Invalid API key');
    const other = await sendRequest(target, {
      url: `${fake.url}/api/gateway.php/other/v1/meta/fields/`,
      method: 'GET',
      headers: { authorization: basic(fake.apiKey) },
      body: '',
    });
    expect(other.ok && other.status).toBe(404);
    await fake.close();
    fake = await startFakeBambooHr({ access: 'no_access' });
    const denied = await call('POST', '/employees/', { firstName: 'A', lastName: 'B' });
    expect(denied.status).toBe(403);
    expect(denied.headers['x-bamboohr-error-message']).toBe('You do not have access to this resource');
    expect(fake.employees.size).toBe(0);
  });

  it('updates only the given fields, marks inactive, and answers 404 for an unknown employee', async () => {
    fake = await startFakeBambooHr();
    const created = await call('POST', '/employees/', { firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'Engineer' });
    const id = String(created.headers.location).split('/').pop()!;
    expect((await call('POST', `/employees/${id}/`, { lastName: 'King' })).status).toBe(200);
    expect((await call('POST', `/employees/${id}/`, { status: 'Inactive' })).status).toBe(200);
    expect(fake.employees.get(id)).toEqual({
      firstName: 'Ada',
      lastName: 'King',
      jobTitle: 'Engineer',
      status: 'Inactive',
    });
    const bad = await call('POST', `/employees/${id}/`, { status: 'Gone' });
    expect(bad.status).toBe(409);
    expect(bad.headers['x-bamboohr-error-message']).toMatch(/status/);
    expect((await call('POST', '/employees/999999/', { lastName: 'X' })).status).toBe(404);
  });

  it('throttles the next N requests with 429 and Retry-After (or 503, the answer before September 2026)', async () => {
    fake = await startFakeBambooHr();
    fake.rateLimit.next(2, 7);
    const first = await call('GET', '/meta/fields/');
    const second = await call('POST', '/employees/', { firstName: 'A', lastName: 'B' });
    const third = await call('GET', '/meta/fields/');
    expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
    expect(first.headers['retry-after']).toBe('7');
    expect(fake.employees.size).toBe(0);
    expect(JSON.parse(third.body)).toContainEqual(expect.objectContaining({ alias: 'firstName' }));
    await fake.close();
    fake = await startFakeBambooHr({ rateLimitStatus: 503 });
    fake.rateLimit.next(1, 3);
    const legacy = await call('GET', '/meta/fields/');
    expect([legacy.status, legacy.headers['retry-after']]).toEqual([503, '3']);
  });

  it('records what it received, headers and body as sent', async () => {
    fake = await startFakeBambooHr();
    await call('POST', '/employees/', { firstName: 'Ada', lastName: 'Lovelace' });
    const [received] = await fake.waitForRequests(1);
    expect(received).toMatchObject({ method: 'POST', path: '/api/gateway.php/acme/v1/employees/', status: 201 });
    expect(received.headers.authorization).toBe(basic(fake.apiKey));
    expect(JSON.parse(received.body)).toEqual({ firstName: 'Ada', lastName: 'Lovelace' });
  });
});
