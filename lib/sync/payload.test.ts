import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryItem, SourceConfig } from './connectors/types';
import { applyFieldMapping, buildDataObject, commonHeaders } from './payload';

const item: DeliveryItem = {
  deliveryId: 'd-1',
  idempotencyKey: 'k-1',
  attempt: 1,
  candidate: {
    id: 'c-1',
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: 'ada@example.test',
    phone: '+44 20 7946 0000',
    hired_at: '2026-12-01T00:00:00.000Z',
    start_date: null,
  },
  job: { id: 'j-1', slug: 'eng', title: 'Engineer', department: null, location: null, employment_type: null },
};

const pristine = Object.getOwnPropertyNames(Object.prototype).sort();
const descriptors = Object.getOwnPropertyDescriptors(Object.prototype);

afterEach(() => {
  // A failing run of this file must not leave a polluted prototype to the tests after it.
  for (const name of Object.getOwnPropertyNames(Object.prototype)) {
    if (!pristine.includes(name)) delete (Object.prototype as Record<string, unknown>)[name];
  }
  Object.defineProperties(Object.prototype, descriptors);
});

describe('applyFieldMapping with hostile paths (a row written past the API)', () => {
  it('renames and omits own fields as before', () => {
    const out = applyFieldMapping(buildDataObject(item), {
      'candidate.email': 'email_address',
      'candidate.phone': null,
    });
    expect(out.candidate).toEqual({
      id: 'c-1',
      first_name: 'Ada',
      last_name: 'Lovelace',
      email_address: 'ada@example.test',
      start_date: null,
    });
  });

  it('never reaches Object.prototype through __proto__, constructor or prototype segments', () => {
    const mapping = {
      '__proto__.x': 'y',
      '__proto__.toLocaleString': 'polluted',
      'constructor.prototype.propertyIsEnumerable': 'polluted2',
      'candidate.__proto__.valueOf': 'polluted3',
      'candidate.email': 'email_address',
    };
    const out = applyFieldMapping(buildDataObject(item), mapping);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted2).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted3).toBeUndefined();
    expect(({} as Record<string, unknown>).y).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(pristine);
    // The safe entry still applies.
    expect(out.candidate).toMatchObject({ email_address: 'ada@example.test' });
  });

  it('ignores __proto__, constructor and prototype as target names', () => {
    const out = applyFieldMapping(buildDataObject(item), {
      candidate: '__proto__',
      job: 'constructor',
      application: 'prototype',
    });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out).sort()).toEqual(['application', 'candidate', 'job']);
    expect(JSON.parse(JSON.stringify(out))).toEqual(JSON.parse(JSON.stringify(buildDataObject(item))));
  });

  it('ignores inherited names (toString is not a field of the candidate)', () => {
    const out = applyFieldMapping(buildDataObject(item), { 'candidate.toString': 'x', 'candidate.email': null });
    expect(out.candidate).not.toHaveProperty('x');
    expect(out.candidate).not.toHaveProperty('email');
  });
});

describe('commonHeaders with a hostile header row', () => {
  it('skips a __proto__ header name and keeps a plain object', () => {
    const headers = JSON.parse('{"__proto__": "evil", "X-Tenant": "acme"}') as Record<string, string>;
    const source = { headers, authType: 'none', signingSecret: null } as unknown as SourceConfig;
    const out = commonHeaders(source, '{}', { idempotencyKey: 'k', deliveryId: 'd' }, new Date(0));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(out['x-tenant']).toBe('acme');
    expect(Object.keys(out)).not.toContain('__proto__');
  });
});
