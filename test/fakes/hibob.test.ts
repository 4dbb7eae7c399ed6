import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpResult, sendRequest } from '@/lib/http/outbound-client';
import { type FakeHiBob, startFakeHiBob } from './hibob';

/** The fake against HiBob's documented behaviour, over real HTTP through our one outbound client. */

const target = { id: randomUUID(), updatedAt: 'fake-hibob', maxConcurrency: 2, timeoutMs: 10_000 };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let fake: FakeHiBob | undefined;
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
      authorization: auth ?? basic(fake!.serviceUserId, fake!.token),
    },
    body: body === undefined ? '' : JSON.stringify(body),
  });
  if (!result.ok) throw new Error(result.message);
  return result;
}

const person = (over: Record<string, unknown> = {}) => ({
  firstName: 'Ada',
  surname: 'Lovelace',
  email: 'Ada@Example.com',
  work: { site: 'Berlin', startDate: '2027-01-04' },
  ...over,
});

describe('fake HiBob', () => {
  it('creates a person: 200 with the employee as JSON, its id in `id`', async () => {
    fake = await startFakeHiBob();
    const res = await call('POST', '/people', person());
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({
      firstName: 'Ada',
      surname: 'Lovelace',
      email: 'ada@example.com',
      work: { site: 'Berlin', startDate: '2027-01-04' },
    });
    expect(body.id).toMatch(/^\d+$/);
    expect(fake.employees.get(body.id)?.lifecycle.status).toBe('employed');
    expect(res.headers['x-ratelimit-limit']).toBe('50');
  });

  it('refuses a person without work.site or with an unknown site: 400 {key, error} naming the field', async () => {
    fake = await startFakeHiBob();
    const missing = await call('POST', '/people', person({ work: { startDate: '2027-01-04' } }));
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body)).toEqual({ key: 'validation_error', error: 'Missing required field: work.site' });
    const unknown = await call('POST', '/people', person({ work: { site: 'Mars', startDate: '2027-01-04' } }));
    expect(JSON.parse(unknown.body).error).toMatch(/work\.site/);
    const noStart = await call('POST', '/people', person({ work: { site: 'Berlin' } }));
    expect(JSON.parse(noStart.body).error).toBe('Missing required field: work.startDate');
    expect(fake.employees.size).toBe(0);
  });

  it('refuses a second person with the same e-mail (400)', async () => {
    fake = await startFakeHiBob();
    expect((await call('POST', '/people', person())).status).toBe(200);
    const again = await call('POST', '/people', person({ email: 'ada@example.com' }));
    expect(again.status).toBe(400);
    expect(JSON.parse(again.body).key).toBe('duplicate');
  });

  it('answers 401 to a wrong token and 403 when the permission group lacks a right', async () => {
    fake = await startFakeHiBob();
    const wrong = await call('GET', '/company/people/fields', undefined, basic(fake.serviceUserId, 'wrong-token'));
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body)).toEqual({ key: 'unauthorized', error: 'Invalid service user credentials' });
    await fake.close();
    // A permission group with no rights still reads the fields metadata (Bob: no permission needed).
    fake = await startFakeHiBob({ permissions: [] });
    expect((await call('GET', '/company/people/fields')).status).toBe(200);
    const denied = await call('POST', '/people', person());
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.body).error).toBe('The service user is not permitted to create employees');
    expect(fake.employees.size).toBe(0);
  });

  it('updates root fields (200, 304 when unchanged), refuses historical work fields, 404 for an unknown id', async () => {
    fake = await startFakeHiBob();
    const { id } = JSON.parse((await call('POST', '/people', person())).body);
    expect((await call('PUT', `/people/${id}`, { surname: 'King' })).status).toBe(200);
    expect((await call('PUT', `/people/${id}`, { surname: 'King' })).status).toBe(304);
    const historical = await call('PUT', `/people/${id}`, { work: { site: 'London' } });
    expect(historical.status).toBe(400);
    expect(JSON.parse(historical.body).error).toMatch(/work/);
    expect(fake.employees.get(id)).toMatchObject({ surname: 'King', work: { site: 'Berlin' } });
    expect((await call('PUT', '/people/123', { surname: 'X' })).status).toBe(404);
  });

  it('terminates with a termination date, not before the start date; the date is required', async () => {
    fake = await startFakeHiBob();
    const { id } = JSON.parse((await call('POST', '/people', person())).body);
    const none = await call('POST', `/employees/${id}/terminate`, {});
    expect([none.status, JSON.parse(none.body).error]).toEqual([400, 'Missing required field: terminationDate']);
    const early = await call('POST', `/employees/${id}/terminate`, { terminationDate: '2026-12-01' });
    expect(early.status).toBe(400);
    const ok = await call('POST', `/employees/${id}/terminate`, {
      terminationDate: '2027-01-04',
      terminationReason: 'withdrawn',
    });
    expect([ok.status, ok.body]).toEqual([200, '']);
    expect(fake.employees.get(id)?.lifecycle).toEqual({
      status: 'terminated',
      terminationDate: '2027-01-04',
      terminationReason: 'withdrawn',
    });
  });

  it('throttles the next N requests with 429 and an X-RateLimit-Reset that many seconds ahead', async () => {
    fake = await startFakeHiBob();
    fake.rateLimit.next(1, 30);
    const before = Math.floor(Date.now() / 1000);
    const throttled = await call('POST', '/people', person());
    expect(throttled.status).toBe(429);
    expect(throttled.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(throttled.headers['x-ratelimit-reset'])).toBeGreaterThanOrEqual(before + 30);
    expect(fake.employees.size).toBe(0);
    expect((await call('POST', '/people', person())).status).toBe(200);
    const received = await fake.waitForRequests(2);
    expect(received.map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', '/v1/people', 429],
      ['POST', '/v1/people', 200],
    ]);
  });
});
