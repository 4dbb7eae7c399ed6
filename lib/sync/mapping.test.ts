import { describe, expect, it } from 'vitest';
import type { FieldMapping, TargetField } from './connectors/contract';
import type { DeliveryItem } from './connectors/types';
import { applyMapping, MAPPABLE_PATHS, missingRequired } from './mapping';

const item: DeliveryItem = {
  deliveryId: 'd-1',
  idempotencyKey: 'k-1',
  attempt: 1,
  candidate: {
    id: 'c-1',
    first_name: '  Ada ',
    last_name: 'King Lovelace',
    email: 'Ada@Example.test',
    phone: null,
    hired_at: '2026-12-01T15:30:00.000Z',
    start_date: '2027-01-04',
  },
  job: {
    id: 'j-1',
    slug: 'eng',
    title: 'Engineer',
    department: 'R&D',
    location: 'Berlin',
    employment_type: 'full_time',
  },
};

describe('applyMapping', () => {
  it('renames fields of ours into the target keys (from)', () => {
    const { record, missing } = applyMapping(
      { firstName: { from: 'candidate.first_name' }, workEmail: { from: 'candidate.email' } },
      item,
    );
    expect({ ...record }).toEqual({ firstName: '  Ada ', workEmail: 'Ada@Example.test' });
    expect(missing).toEqual([]);
  });

  it('reads the HR fields: start date and employment type', () => {
    const { record } = applyMapping(
      { startDate: { from: 'candidate.start_date' }, employmentType: { from: 'job.employment_type' } },
      item,
    );
    expect({ ...record }).toEqual({ startDate: '2027-01-04', employmentType: 'full_time' });
    expect(MAPPABLE_PATHS).toEqual(expect.arrayContaining(['candidate.start_date', 'job.employment_type']));
  });

  it('sets constants, and defaults where our value is empty', () => {
    const { record, missing } = applyMapping(
      {
        status: { value: 'active' },
        phone: { from: 'candidate.phone', default: 'n/a' },
        mobile: { from: 'candidate.phone' },
      },
      item,
    );
    expect({ ...record }).toEqual({ status: 'active', phone: 'n/a', mobile: null });
    expect(missing).toEqual(['mobile']);
  });

  it('applies trim, lower and upper case in order', () => {
    const { record } = applyMapping(
      {
        first: { from: 'candidate.first_name', transforms: [{ kind: 'trim' }, { kind: 'upper' }] },
        email: { from: 'candidate.email', transforms: [{ kind: 'lower' }] },
      },
      item,
    );
    expect({ ...record }).toEqual({ first: 'ADA', email: 'ada@example.test' });
  });

  it('formats dates: an instant to its UTC day or ISO, a calendar day kept as that day', () => {
    const { record } = applyMapping(
      {
        hiredDay: { from: 'candidate.hired_at', transforms: [{ kind: 'date', format: 'yyyy-MM-dd' }] },
        hiredIso: { from: 'candidate.hired_at', transforms: [{ kind: 'date', format: 'iso' }] },
        startDay: { from: 'candidate.start_date', transforms: [{ kind: 'date', format: 'yyyy-MM-dd' }] },
        startIso: { from: 'candidate.start_date', transforms: [{ kind: 'date', format: 'iso' }] },
        notADate: { from: 'job.title', transforms: [{ kind: 'date', format: 'iso' }] },
      },
      item,
    );
    expect({ ...record }).toEqual({
      hiredDay: '2026-12-01',
      hiredIso: '2026-12-01T15:30:00.000Z',
      startDay: '2027-01-04',
      startIso: '2027-01-04T00:00:00.000Z',
      notADate: null,
    });
  });

  it('splits a full name into first and last', () => {
    const { record } = applyMapping(
      {
        first: { from: 'candidate.full_name', transforms: [{ kind: 'split_name', part: 'first' }] },
        last: { from: 'candidate.full_name', transforms: [{ kind: 'split_name', part: 'last' }] },
        single: { from: 'job.title', transforms: [{ kind: 'split_name', part: 'last' }] },
      },
      item,
    );
    expect({ ...record }).toEqual({ first: 'Ada', last: 'King Lovelace', single: null });
  });

  it('maps values, with otherwise for the rest, and keeps an unmatched value without it', () => {
    const mapping: FieldMapping = {
      site: { from: 'job.location', transforms: [{ kind: 'map', values: { Berlin: 'BER-HQ' } }] },
      type: {
        from: 'job.employment_type',
        transforms: [{ kind: 'map', values: { part_time: 'Part-time' }, otherwise: 'Full-time' }],
      },
      dept: { from: 'job.department', transforms: [{ kind: 'map', values: { Sales: 'S' } }] },
    };
    expect({ ...applyMapping(mapping, item).record }).toEqual({ site: 'BER-HQ', type: 'Full-time', dept: 'R&D' });
  });

  it('is safe from __proto__: as a target key, as a path, and as a value to look up', () => {
    const rules = JSON.parse(
      '{"__proto__": {"value": "x"}, "a": {"from": "candidate.__proto__"}, "b": {"from": "constructor"}, "c": {"from": "job.title", "transforms": [{"kind": "map", "values": {}}]}}',
    ) as FieldMapping;
    const hostile = { ...item, job: { ...item.job, title: 'constructor' } };
    const { record, missing } = applyMapping(rules, hostile);
    expect(Object.getPrototypeOf(record)).toBeNull();
    expect(Object.keys(record)).toEqual(['a', 'b', 'c']);
    expect(record.a).toBeNull();
    expect(record.b).toBeNull();
    // "constructor" is not a key of the map's values: the value is kept, not Object's constructor.
    expect(record.c).toBe('constructor');
    expect(missing).toEqual(['a', 'b']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('missingRequired', () => {
  const fields: TargetField[] = [
    { key: 'firstName', label: 'First name', type: 'string', requiredOn: ['create', 'update'] },
    { key: 'startDate', label: 'Start date', type: 'date', requiredOn: ['create'] },
    { key: 'site', label: 'Site', type: 'string', requiredOn: [] },
  ];

  it('names required fields left empty or without a rule, for the action asked', () => {
    const { record } = applyMapping({ firstName: { from: 'candidate.first_name' }, site: { value: null } }, item);
    expect(missingRequired(fields, 'create', record)).toEqual(['startDate']);
    expect(missingRequired(fields, 'update', record)).toEqual([]);
    const empty = applyMapping({ firstName: { from: 'candidate.phone' } }, item).record;
    expect(missingRequired(fields, 'create', empty)).toEqual(['firstName', 'startDate']);
  });
});
