import { describe, expect, it } from 'vitest';
import type { SourceConfig } from './connectors/types';
import { CONNECTOR_MODULES, connectorModule } from './connectors/registry';
import { MAPPABLE_FIELDS, MAPPABLE_PATHS } from './mapping';
import { checkTargetMapping, sourceMapping, targetMappingSchema, toFieldMapping } from './target-mapping';

const hibob = connectorModule('hibob');

const valid = {
  firstName: { from: 'candidate.first_name', transforms: [{ kind: 'trim' }] },
  surname: { from: 'candidate.last_name', transforms: [{ kind: 'upper' }] },
  email: { from: 'candidate.email' },
  'work.site': {
    from: 'job.location',
    transforms: [{ kind: 'map', values: { Berlin: 'Berlin HQ', constructorship: 'Yard' }, otherwise: 'Remote' }],
  },
  'work.startDate': { from: 'candidate.start_date', transforms: [{ kind: 'date', format: 'yyyy-MM-dd' }] },
  'work.title': { value: 'Engineer' },
};

describe('targetMappingSchema', () => {
  it('accepts rules with from, transforms and default, or a constant', () => {
    expect(targetMappingSchema.safeParse(valid).success).toBe(true);
  });

  it('refuses __proto__, constructor and prototype as target keys and as value-map keys, naming the path', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const asTarget = targetMappingSchema.safeParse(JSON.parse(`{"${key}": {"value": "x"}}`));
      expect(asTarget.success).toBe(false);
      expect(asTarget.error?.issues[0].path).toEqual([key]);
      const asMapKey = targetMappingSchema.safeParse(
        JSON.parse(
          `{"work.site": {"from": "job.location", "transforms": [{"kind": "map", "values": {"${key}": "x"}}]}}`,
        ),
      );
      expect(asMapKey.success).toBe(false);
      expect(asMapKey.error?.issues[0].path).toEqual(['work.site', 'transforms', 0, 'values', key]);
    }
  });

  it('refuses a rule with both or neither of from and value, a constant with transforms, an unknown transform', () => {
    for (const rule of [
      { from: 'candidate.email', value: 'x' },
      {},
      { value: 'x', transforms: [{ kind: 'trim' }] },
      { from: 'candidate.email', transforms: [{ kind: 'reverse' }] },
      { from: 'candidate.email', transforms: [{ kind: 'date', format: 'dd.MM.yyyy' }] },
    ]) {
      const parsed = targetMappingSchema.safeParse({ email: rule });
      expect(parsed.success, JSON.stringify(rule)).toBe(false);
      expect(parsed.error?.issues[0].path[0]).toBe('email');
    }
  });
});

describe('checkTargetMapping', () => {
  it("passes every connector's own default mapping", () => {
    for (const module of CONNECTOR_MODULES.filter((m) => m.targetFields.length > 0)) {
      expect(checkTargetMapping(module, module.defaultMapping), module.id).toEqual([]);
    }
  });

  it('names a key that is no target field, a from we cannot read, a missing required field, a bad enum constant', () => {
    const { 'work.startDate': _left, ...withoutStartDate } = valid;
    const rules = toFieldMapping(
      targetMappingSchema.parse({
        ...withoutStartDate,
        nickname: { from: 'candidate.first_name' },
        firstName: { from: 'candidate.salary' },
      }),
    );
    const issues = checkTargetMapping(hibob, rules);
    expect(issues).toEqual([
      { path: 'target_mapping.firstName.from', message: expect.stringContaining('candidate.first_name') },
      { path: 'target_mapping.nickname', message: expect.stringContaining('is not a field of HiBob') },
      { path: 'target_mapping.work.startDate', message: 'required by HiBob' },
    ]);
    const bamboo = connectorModule('bamboohr');
    expect(
      checkTargetMapping(
        bamboo,
        toFieldMapping(
          targetMappingSchema.parse({
            firstName: { from: 'candidate.first_name' },
            lastName: { from: 'candidate.last_name' },
            employmentHistoryStatus: { value: 'Gig' },
          }),
        ),
      ),
    ).toEqual([
      { path: 'target_mapping.employmentHistoryStatus.value', message: expect.stringContaining('Full-Time') },
    ]);
  });

  it('refuses any mapping for a connector without target fields', () => {
    expect(checkTargetMapping(connectorModule('generic_webhook'), {})).toEqual([
      { path: 'target_mapping', message: expect.stringContaining('field_mapping') },
    ]);
  });

  it('builds prototype-free rules and value maps', () => {
    const rules = toFieldMapping(targetMappingSchema.parse(valid));
    expect(Object.getPrototypeOf(rules)).toBeNull();
    const site = rules['work.site'];
    expect(
      'from' in site && site.transforms?.[0].kind === 'map' && Object.getPrototypeOf(site.transforms[0].values),
    ).toBeNull();
  });
});

describe('sourceMapping', () => {
  const source = (targetMapping: unknown, updatedAt = '2026-12-06T00:00:00.000Z') =>
    ({ id: 's-1', connector: 'hibob', targetMapping, updatedAt }) as unknown as SourceConfig;

  it("uses the connector's default without a mapping, the source's own with one, a reason for a stored one that does not fit", () => {
    expect(sourceMapping(hibob, source(null))).toEqual({ ok: true, rules: hibob.defaultMapping });
    const own = sourceMapping(hibob, source(valid));
    expect(own.ok && { ...own.rules }.surname).toEqual({
      from: 'candidate.last_name',
      transforms: [{ kind: 'upper' }],
    });
    // A new version of the source is checked again.
    const broken = sourceMapping(
      hibob,
      source({ firstName: { from: 'candidate.first_name' } }, '2026-12-06T00:00:01.000Z'),
    );
    expect(broken).toEqual({
      ok: false,
      message: expect.stringContaining('target_mapping.surname: required by HiBob'),
    });
  });
});

describe('MAPPABLE_FIELDS', () => {
  it('labels every mappable path', () => {
    expect(MAPPABLE_FIELDS.map((f) => f.path)).toEqual(MAPPABLE_PATHS);
    for (const f of MAPPABLE_FIELDS) expect(f.label).not.toBe(f.path);
  });
});
