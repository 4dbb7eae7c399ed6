import { describe, expect, it } from 'vitest';
import { actionItem, answer, connectorSource, targetRecord } from '@/test/connector-harness';
import { bamboohr, employeeIdFromLocation } from './bamboohr';
import { RECORD_GONE } from './contract';
import { USER_AGENT } from '../payload';

const API_KEY = 'bamboo-secret-key-4f1c9a';
const BASE = 'https://acme.bamboohr.com/api/v1';
const source = connectorSource('bamboohr', BASE, { secret: API_KEY });
const ctx = { source, settings: { company_domain: 'acme' }, now: new Date('2026-12-06T12:00:00Z') };
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json', 'user-agent': USER_AGENT };

const record = targetRecord({
  firstName: 'Ada',
  lastName: 'Lovelace',
  homeEmail: 'ada@example.com',
  mobilePhone: null,
  hireDate: '2027-01-04',
  jobTitle: 'Backend Engineer',
  department: 'Engineering',
  location: 'Berlin',
  employmentHistoryStatus: 'Full-Time',
});

describe('BambooHR requests', () => {
  it('create: POST /v1/employees/ with the mapped fields as JSON, nulls and unknown keys left out', () => {
    const withExtra = targetRecord({ ...record, nickname: 'x', 'a.__proto__.b': 'y' });
    expect(bamboohr.buildRequest('create', ctx, [actionItem(withExtra)])).toEqual({
      url: `${BASE}/employees/`,
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({
        firstName: 'Ada',
        lastName: 'Lovelace',
        homeEmail: 'ada@example.com',
        hireDate: '2027-01-04',
        jobTitle: 'Backend Engineer',
        department: 'Engineering',
        location: 'Berlin',
        employmentHistoryStatus: 'Full-Time',
      }),
    });
  });

  it('update: POST /v1/employees/{id}/ with the mapped fields; withdraw: the same URL with status Inactive', () => {
    const update = bamboohr.buildRequest('update', ctx, [actionItem(targetRecord({ lastName: 'King' }), '40598')]);
    expect(update).toEqual({
      url: `${BASE}/employees/40598/`,
      method: 'POST',
      headers: JSON_HEADERS,
      body: '{"lastName":"King"}',
    });
    const withdraw = bamboohr.buildRequest('withdraw', ctx, [actionItem(record, '40598')]);
    expect(withdraw).toEqual({
      url: `${BASE}/employees/40598/`,
      method: 'POST',
      headers: JSON_HEADERS,
      body: '{"status":"Inactive"}',
    });
  });

  it('rehire: the same URL with the mapped fields and status Active, the new hire date among them', () => {
    const rehire = bamboohr.buildRequest('rehire', ctx, [
      actionItem(targetRecord({ ...record, hireDate: '2027-05-03' }), '40598'),
    ]);
    expect(rehire).toMatchObject({ url: `${BASE}/employees/40598/`, method: 'POST', headers: JSON_HEADERS });
    expect(JSON.parse(rehire.body)).toEqual({
      firstName: 'Ada',
      lastName: 'Lovelace',
      homeEmail: 'ada@example.com',
      hireDate: '2027-05-03',
      jobTitle: 'Backend Engineer',
      department: 'Engineering',
      location: 'Berlin',
      employmentHistoryStatus: 'Full-Time',
      status: 'Active',
    });
    expect(() => bamboohr.buildRequest('rehire', ctx, [actionItem(record)])).toThrow(/needs the employee id/);
  });

  it('never puts the credentials in a request (the engine adds them) and refuses an update without the id', () => {
    const req = bamboohr.buildRequest('create', ctx, [actionItem(record)]);
    expect(JSON.stringify(req)).not.toContain(API_KEY);
    expect(req.headers.authorization).toBeUndefined();
    expect(() => bamboohr.buildRequest('update', ctx, [actionItem(record)])).toThrow(/needs the employee id/);
  });

  it('the id in the Location header, absolute or relative, and nothing else', () => {
    expect(employeeIdFromLocation(`${BASE}/employees/40598`)).toBe('40598');
    expect(employeeIdFromLocation('/api/gateway.php/acme/v1/employees/17/')).toBe('17');
    expect(employeeIdFromLocation('https://acme.bamboohr.com/api/v1/employees/18')).toBe('18');
    expect(employeeIdFromLocation(`${BASE}/employees/`)).toBeNull();
    expect(employeeIdFromLocation(null)).toBeNull();
  });
});

describe('BambooHR answers', () => {
  const items = [actionItem(record)];
  const one = (
    action: 'create' | 'update' | 'withdraw' | 'rehire',
    result: ReturnType<typeof answer>,
    externalId: string | null = null,
  ) => bamboohr.interpret(action, ctx, [{ ...items[0], externalId }], result)[0];

  it('201: created, the new id read from Location', () => {
    const o = one('create', answer(201, { location: `${BASE}/employees/40598` }));
    expect(o).toMatchObject({
      kind: 'succeeded',
      externalId: '40598',
      httpStatus: 201,
      errorCode: null,
      deliveryId: items[0].item.deliveryId,
    });
  });

  it('200 to an update or withdraw: succeeded, the known id kept', () => {
    expect(one('update', answer(200), '40598')).toMatchObject({ kind: 'succeeded', externalId: '40598' });
    expect(one('withdraw', answer(200), '40598')).toMatchObject({ kind: 'succeeded', externalId: '40598' });
  });

  it("400: failed with BambooHR's own X-BambooHR-Error-Message, which names the field", () => {
    const o = one('create', answer(400, { 'x-bamboohr-error-message': 'Missing required field: lastName' }));
    expect(o).toMatchObject({
      kind: 'failed',
      errorCode: 'item_rejected',
      errorMessage: 'HTTP 400: Missing required field: lastName',
    });
  });

  it('401 and 403: auth_failed, never retried', () => {
    expect(one('create', answer(401, { 'x-bamboohr-error-message': 'Invalid API key' }))).toMatchObject({
      kind: 'failed',
      errorCode: 'auth_failed',
      errorMessage: 'HTTP 401: Invalid API key',
    });
    expect(one('update', answer(403), '1')).toMatchObject({
      kind: 'failed',
      errorCode: 'auth_failed',
      errorMessage: "HTTP 403: the API key's user may not edit employees",
    });
  });

  it('429 and the older 503: retried after Retry-After', () => {
    expect(one('create', answer(429, { 'retry-after': '7' }))).toMatchObject({
      kind: 'retry',
      errorCode: 'rate_limited',
      retryAfterMs: 7000,
    });
    expect(one('create', answer(503, { 'retry-after': '2' }))).toMatchObject({
      kind: 'retry',
      errorCode: 'server_error',
      retryAfterMs: 2000,
    });
    expect(one('create', answer(502))).toMatchObject({ kind: 'retry', errorCode: 'server_error', retryAfterMs: null });
  });

  it('404: an unknown company on create (a setting to fix), an unknown employee on update', () => {
    expect(one('create', answer(404)).errorMessage).toBe(
      'HTTP 404: no BambooHR company "acme": check the company domain',
    );
    expect(one('update', answer(404), '99')).toMatchObject({
      kind: 'failed',
      errorCode: 'item_rejected',
      errorMessage: 'HTTP 404: employee 99 not found',
    });
  });

  it('a rehire: 200 keeps the id; 404 is record_gone (the employee was deleted since), which the engine creates anew', () => {
    expect(one('rehire', answer(200), '40598')).toMatchObject({ kind: 'succeeded', externalId: '40598' });
    expect(one('rehire', answer(404, { 'x-bamboohr-error-message': 'Employee not found' }), '40598')).toMatchObject({
      kind: 'failed',
      errorCode: RECORD_GONE,
      errorMessage: 'HTTP 404: employee 40598 is no longer in BambooHR (Employee not found)',
    });
  });

  it('network failures retry, a blocked destination fails', () => {
    const down = bamboohr.interpret('create', ctx, items, {
      ok: false,
      errorCode: 'connection_failed',
      message: 'connection refused',
      durationMs: 1,
    });
    expect(down[0]).toMatchObject({ kind: 'retry', errorCode: 'connection_failed', httpStatus: null });
    const blocked = bamboohr.interpret('create', ctx, items, {
      ok: false,
      errorCode: 'destination_blocked',
      message: 'blocked',
      durationMs: 1,
    });
    expect(blocked[0].kind).toBe('failed');
  });

  it('an error text echoing the API key is stored redacted', () => {
    const o = one('create', answer(400, { 'x-bamboohr-error-message': `bad key ${API_KEY} for field lastName` }));
    expect(o.errorMessage).not.toContain(API_KEY);
    expect(o.errorMessage).toMatch(/lastName/);
  });
});

describe('BambooHR settings, form and connection test', () => {
  it('the company domain is the subdomain only, and gives the default base URL', () => {
    expect(bamboohr.settings.parse({ company_domain: ' Acme ' })).toEqual({ company_domain: 'acme' });
    expect(bamboohr.settings.safeParse({ company_domain: 'acme.bamboohr.com' }).success).toBe(false);
    expect(bamboohr.settings.safeParse({ company_domain: 'acme', other: 1 }).success).toBe(false);
    expect(bamboohr.defaultBaseUrl({ company_domain: 'acme' })).toBe(BASE);
  });

  it('the API key is a write-only secret sent as the Basic user with the password "x"', () => {
    expect(bamboohr.auth).toMatchObject({
      type: 'basic',
      basicPassword: 'x',
      fields: [{ stores: 'auth_secret', label: 'API key' }],
    });
  });

  it('the default mapping fills every field BambooHR requires, only with known target fields', () => {
    const keys = new Set(bamboohr.targetFields.map((f) => f.key));
    expect(Object.keys(bamboohr.defaultMapping).filter((k) => !keys.has(k))).toEqual([]);
    const required = bamboohr.targetFields.filter((f) => f.requiredOn.includes('create')).map((f) => f.key);
    expect(required).toEqual(['firstName', 'lastName']);
    for (const key of required) expect(bamboohr.defaultMapping[key]).toBeDefined();
  });

  it('reads GET /v1/meta/fields/ and names what is missing when it fails', () => {
    expect(bamboohr.connectionTest.request(ctx)).toEqual({
      url: `${BASE}/meta/fields/`,
      method: 'GET',
      headers: { accept: 'application/json', 'user-agent': USER_AGENT },
      body: '',
    });
    const explain = bamboohr.connectionTest.explain;
    expect(explain(answer(200, {}, '[]'))).toBeNull();
    expect(explain(answer(401, { 'x-bamboohr-error-message': 'Invalid API key' }))).toMatch(
      /did not accept the API key \(BambooHR said: Invalid API key\)/,
    );
    expect(explain(answer(403))).toMatch(/access level that can view and edit employee records/);
    expect(explain(answer(404))).toMatch(/check the company domain/);
  });

  it('links a record to its page in BambooHR', () => {
    expect(bamboohr.recordUrl?.({ company_domain: 'acme' }, '40598')).toBe(
      'https://acme.bamboohr.com/employees/employee.php?id=40598',
    );
    expect(bamboohr.recordUrl?.({ company_domain: 'acme' }, '../x')).toBeNull();
  });
});
