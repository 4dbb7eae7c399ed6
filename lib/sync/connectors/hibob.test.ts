import { describe, expect, it } from 'vitest';
import { actionItem, answer, connectorSource, targetRecord } from '@/test/connector-harness';
import { USER_AGENT } from '../payload';
import { hibob, terminationDate } from './hibob';

const TOKEN = 'hibob-secret-token-9d2e77';
const BASE = 'https://api.hibob.com/v1';
const source = connectorSource('hibob', BASE, { username: 'SERVICE-1', secret: TOKEN });
const now = new Date('2026-12-06T12:00:00Z');
const ctx = { source, settings: {}, now };
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json', 'user-agent': USER_AGENT };

const record = targetRecord({
  firstName: 'Ada',
  surname: 'Lovelace',
  email: 'ada@example.com',
  'work.site': 'Berlin',
  'work.startDate': '2027-01-04',
  'work.title': null,
  'work.department': 'Engineering',
});

describe('HiBob requests', () => {
  it('create: POST /v1/people with the dotted fields nested under work, nulls left out', () => {
    expect(hibob.buildRequest('create', ctx, [actionItem(record)])).toEqual({
      url: `${BASE}/people`,
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({
        firstName: 'Ada',
        surname: 'Lovelace',
        email: 'ada@example.com',
        work: { site: 'Berlin', startDate: '2027-01-04', department: 'Engineering' },
      }),
    });
  });

  it('update: PUT /v1/people/{id} with the non-historical root fields only', () => {
    expect(hibob.buildRequest('update', ctx, [actionItem(record, '3332883884017713001')])).toEqual({
      url: `${BASE}/people/3332883884017713001`,
      method: 'PUT',
      headers: JSON_HEADERS,
      body: '{"firstName":"Ada","surname":"Lovelace"}',
    });
  });

  it('withdraw: POST /v1/employees/{id}/terminate with the termination date, and the reason when set', () => {
    expect(hibob.buildRequest('withdraw', ctx, [actionItem(record, '77')])).toEqual({
      url: `${BASE}/employees/77/terminate`,
      method: 'POST',
      headers: JSON_HEADERS,
      body: '{"terminationDate":"2027-01-04"}',
    });
    const withReason = hibob.buildRequest('withdraw', { ...ctx, settings: { termination_reason: 'r_123' } }, [
      actionItem(targetRecord({}), '77'),
    ]);
    expect(withReason.body).toBe('{"terminationDate":"2026-12-06","terminationReason":"r_123"}');
  });

  it('no rehire: Bob documents none in its API, so a hire again is a create, and a rehire request is never built', () => {
    expect(hibob.actions).not.toContain('rehire');
    expect(() => hibob.buildRequest('rehire', ctx, [actionItem(record, '3332883884017713238')])).toThrow(
      /no rehire in its public API/,
    );
  });

  it('the termination date is today, or the start date of a hire who has not started', () => {
    expect(terminationDate(targetRecord({ 'work.startDate': '2027-01-04' }), now)).toBe('2027-01-04');
    expect(terminationDate(targetRecord({ 'work.startDate': '2026-11-02' }), now)).toBe('2026-12-06');
    expect(terminationDate(targetRecord({ 'work.startDate': '2026-11-02T00:00:00Z' }), now)).toBe('2026-12-06');
    expect(terminationDate(targetRecord({}), now)).toBe('2026-12-06');
  });

  it('the employee id is escaped in the path; an update without one is refused; no credentials in requests', () => {
    expect(hibob.buildRequest('update', ctx, [actionItem(record, '../admin')]).url).toBe(`${BASE}/people/..%2Fadmin`);
    expect(() => hibob.buildRequest('withdraw', ctx, [actionItem(record)])).toThrow(/needs the employee id/);
    expect(JSON.stringify(hibob.buildRequest('create', ctx, [actionItem(record)]))).not.toContain(TOKEN);
  });
});

describe('HiBob answers', () => {
  const items = [actionItem(record)];
  const one = (
    action: 'create' | 'update' | 'withdraw',
    result: ReturnType<typeof answer>,
    externalId: string | null = null,
  ) => hibob.interpret(action, ctx, [{ ...items[0], externalId }], result)[0];
  const err = (key: string, error: string) => JSON.stringify({ key, error });

  it('200 to a create: succeeded, the id read from the JSON body', () => {
    expect(one('create', answer(200, {}, '{"id":"3332883884017713001","firstName":"Ada"}'))).toMatchObject({
      kind: 'succeeded',
      externalId: '3332883884017713001',
      httpStatus: 200,
    });
    expect(one('create', answer(201, {}, '{"id":42}')).externalId).toBe('42');
  });

  it('200 and 304 to an update, 200 to a terminate: succeeded with the known id', () => {
    expect(one('update', answer(200), '7')).toMatchObject({ kind: 'succeeded', externalId: '7' });
    expect(one('update', answer(304), '7')).toMatchObject({ kind: 'succeeded', externalId: '7' });
    expect(one('withdraw', answer(200), '7')).toMatchObject({ kind: 'succeeded', externalId: '7' });
  });

  it("400: failed with Bob's error text, which names the field", () => {
    const o = one('create', answer(400, {}, err('validation_error', 'Missing required field: work.site')));
    expect(o).toMatchObject({
      kind: 'failed',
      errorCode: 'item_rejected',
      errorMessage: 'HTTP 400: Missing required field: work.site',
    });
  });

  it('401 and 403: auth_failed, never retried', () => {
    expect(one('create', answer(401, {}, err('unauthorized', 'Invalid service user credentials')))).toMatchObject({
      kind: 'failed',
      errorCode: 'auth_failed',
      errorMessage: 'HTTP 401: Invalid service user credentials',
    });
    expect(one('withdraw', answer(403), '1')).toMatchObject({
      kind: 'failed',
      errorCode: 'auth_failed',
      errorMessage: "HTTP 403: the service user's permission group may not terminate employees",
    });
  });

  it('429: retried when X-RateLimit-Reset says, or after Retry-After when sent', () => {
    const reset = String(Math.floor(Date.now() / 1000) + 40);
    const o = one('create', answer(429, { 'x-ratelimit-reset': reset }));
    expect(o).toMatchObject({ kind: 'retry', errorCode: 'rate_limited' });
    expect(o.retryAfterMs).toBeGreaterThan(30_000);
    expect(o.retryAfterMs).toBeLessThanOrEqual(40_000);
    expect(one('create', answer(429, { 'retry-after': '5', 'x-ratelimit-reset': reset })).retryAfterMs).toBe(5000);
    expect(one('create', answer(500))).toMatchObject({ kind: 'retry', errorCode: 'server_error' });
  });

  it('404 to a create: not the Bob API (a setting to fix)', () => {
    expect(one('create', answer(404))).toMatchObject({
      kind: 'failed',
      errorCode: 'rejected',
      errorMessage: 'HTTP 404: no Bob API at this address: check the base URL',
    });
  });

  it('404 to an update: the employee is gone, failed for this candidate', () => {
    expect(one('update', answer(404, {}, err('not_found', 'Employee not found')), '9')).toMatchObject({
      kind: 'failed',
      errorCode: 'item_rejected',
      errorMessage: 'HTTP 404: Employee not found',
    });
  });

  it('an error text echoing the token is stored redacted', () => {
    const o = one('create', answer(400, {}, err('x', `token ${TOKEN} rejected for email`)));
    expect(o.errorMessage).not.toContain(TOKEN);
    expect(o.responseExcerpt).not.toContain(TOKEN);
  });
});

describe('HiBob settings, form and connection test', () => {
  it('settings: an optional termination reason id, nothing else', () => {
    expect(hibob.settings.parse({})).toEqual({});
    expect(hibob.settings.parse({ termination_reason: ' r_1 ' })).toEqual({ termination_reason: 'r_1' });
    expect(hibob.settings.safeParse({ termination_reason: 'a b' }).success).toBe(false);
    expect(hibob.settings.safeParse({ site: 'x' }).success).toBe(false);
  });

  it('service user ID as the Basic user, token as the write-only password', () => {
    expect(hibob.auth).toMatchObject({
      type: 'basic',
      fields: [
        { stores: 'auth_username', label: 'Service user ID' },
        { stores: 'auth_secret', label: 'Service user token' },
      ],
    });
    expect('basicPassword' in hibob.auth).toBe(false);
  });

  it('the default mapping fills every field Bob requires (work site and start date among them)', () => {
    const keys = new Set(hibob.targetFields.map((f) => f.key));
    expect(Object.keys(hibob.defaultMapping).filter((k) => !keys.has(k))).toEqual([]);
    const required = hibob.targetFields.filter((f) => f.requiredOn.includes('create')).map((f) => f.key);
    expect(required).toEqual(['firstName', 'surname', 'email', 'work.site', 'work.startDate']);
    for (const key of required) expect(hibob.defaultMapping[key]).toBeDefined();
  });

  it('reads GET /v1/company/people/fields and names the missing permission', () => {
    expect(hibob.connectionTest.request(ctx)).toEqual({
      url: `${BASE}/company/people/fields`,
      method: 'GET',
      headers: { accept: 'application/json', 'user-agent': USER_AGENT },
      body: '',
    });
    const explain = hibob.connectionTest.explain;
    expect(explain(answer(200, {}, '[]'))).toBeNull();
    expect(explain(answer(401))).toMatch(/check the service user ID and token/);
    expect(explain(answer(403, {}, JSON.stringify({ key: 'forbidden', error: 'Not permitted' })))).toMatch(
      /^The service user has no permission for this \(Bob said: Not permitted\): add it to a permission group/,
    );
  });

  it('links a record to its profile in Bob', () => {
    expect(hibob.recordUrl?.({}, '3332883884017713001')).toBe(
      'https://app.hibob.com/employee-profile/3332883884017713001',
    );
    expect(hibob.recordUrl?.({}, 'a/b')).toBeNull();
  });
});
