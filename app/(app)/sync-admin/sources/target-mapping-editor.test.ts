import { describe, expect, it } from 'vitest';
import { bamboohr } from '@/lib/sync/connectors/bamboohr';
import { type TargetMappingInput, targetMappingSchema } from '@/lib/sync/target-mapping';
import {
  effectiveMapping,
  fieldOfPath,
  mappingErrorsOf,
  parseValueMap,
  ruleSummary,
  setConstant,
  setDefault,
  setSource,
  setTransform,
  sourceOf,
  storedMapping,
  valueMapText,
} from './target-mapping-editor';

const defaults = bamboohr.defaultMapping as TargetMappingInput;

describe('the mapping editor', () => {
  it("starts from the connector's default and stores null until a rule differs from it", () => {
    const shown = effectiveMapping(null, defaults);
    expect(shown).toEqual(defaults);
    expect(Object.getPrototypeOf(shown)).toBeNull();
    expect(storedMapping(shown, defaults)).toBeNull();
    const edited = setConstant(shown, 'jobTitle', 'Engineer');
    expect(storedMapping(edited, defaults)).toMatchObject({ jobTitle: { value: 'Engineer' } });
    expect(defaults.jobTitle).toEqual({ from: 'job.title' });
  });

  it('switches a field between a field of ours, a constant and not mapped', () => {
    let m = effectiveMapping(null, defaults);
    m = setSource(m, 'firstName', { kind: 'field', from: 'candidate.full_name' });
    // Another field of ours keeps the transforms.
    expect(m.firstName).toEqual({ from: 'candidate.full_name', transforms: [{ kind: 'trim' }] });
    m = setSource(m, 'firstName', { kind: 'constant' });
    expect(m.firstName).toEqual({ value: '' });
    expect(sourceOf(m.firstName)).toEqual({ kind: 'constant' });
    m = setSource(m, 'firstName', { kind: 'none' });
    expect(Object.hasOwn(m, 'firstName')).toBe(false);
    expect(sourceOf(undefined)).toEqual({ kind: 'none' });
    m = setSource(m, 'firstName', { kind: 'field', from: 'candidate.first_name' });
    expect(m.firstName).toEqual({ from: 'candidate.first_name' });
  });

  it('adds transforms in the order they run, replaces one in place, and keeps lower and upper apart', () => {
    let m: TargetMappingInput = { lastName: { from: 'candidate.full_name' } };
    m = setTransform(m, 'lastName', 'upper', { kind: 'upper' });
    m = setTransform(m, 'lastName', 'trim', { kind: 'trim' });
    m = setTransform(m, 'lastName', 'split_name', { kind: 'split_name', part: 'last' });
    expect(m.lastName.transforms).toEqual([{ kind: 'trim' }, { kind: 'split_name', part: 'last' }, { kind: 'upper' }]);
    m = setTransform(m, 'lastName', 'lower', { kind: 'lower' });
    expect(m.lastName.transforms).toEqual([{ kind: 'trim' }, { kind: 'split_name', part: 'last' }, { kind: 'lower' }]);
    m = setTransform(m, 'lastName', 'split_name', { kind: 'split_name', part: 'first' });
    expect(m.lastName.transforms?.[1]).toEqual({ kind: 'split_name', part: 'first' });
    for (const kind of ['trim', 'split_name', 'lower'] as const) m = setTransform(m, 'lastName', kind, null);
    expect(m.lastName).toEqual({ from: 'candidate.full_name' });
    // A constant takes no transforms or default, as the API says.
    const constant = setConstant(m, 'lastName', 'X');
    expect(setTransform(constant, 'lastName', 'trim', { kind: 'trim' })).toBe(constant);
    expect(setDefault(constant, 'lastName', 'Y')).toBe(constant);
  });

  it('sets and clears a default, and what it builds passes the API schema', () => {
    let m = setDefault(effectiveMapping(null, defaults), 'hireDate', '2027-01-01');
    expect(m.hireDate.default).toBe('2027-01-01');
    expect(targetMappingSchema.safeParse(m).success).toBe(true);
    m = setDefault(m, 'hireDate', '');
    expect(m.hireDate).not.toHaveProperty('default');
  });

  it('reads and writes a value map one "ours = theirs" per line, an empty right side leaving the field empty', () => {
    const parsed = parseValueMap('Berlin = Berlin HQ\n\n  Munich=Munich Office \nRemote =');
    expect(parsed.error).toBeNull();
    expect({ ...parsed.values }).toEqual({ Berlin: 'Berlin HQ', Munich: 'Munich Office', Remote: null });
    expect(Object.getPrototypeOf(parsed.values)).toBeNull();
    expect(valueMapText(parsed.values)).toBe('Berlin = Berlin HQ\nMunich = Munich Office\nRemote = ');
    expect(parseValueMap('Berlin\nMunich = M').error).toBe('Line 1: write it as "our value = their value"');
    expect(parseValueMap('= x').error).toMatch(/^Line 1/);
  });

  it("puts the API's 422 details next to the target field they name, dotted keys included", () => {
    const keys = ['firstName', 'work', 'work.site', 'work.startDate'];
    expect(fieldOfPath('target_mapping.work.site.from', keys)).toBe('work.site');
    expect(fieldOfPath('target_mapping.work.startDate', keys)).toBe('work.startDate');
    expect(fieldOfPath('target_mapping.firstName.transforms.0', keys)).toBe('firstName');
    expect(fieldOfPath('target_mapping.nickname', keys)).toBeNull();
    expect(fieldOfPath('settings.x', keys)).toBeNull();
    const errors = mappingErrorsOf(
      [
        { path: 'target_mapping.firstName', message: 'required by BambooHR' },
        { path: 'target_mapping.firstName.from', message: 'second' },
        { path: 'target_mapping.nickname', message: 'is not a field of BambooHR' },
        { path: 'base_url', message: 'elsewhere' },
      ],
      keys,
    );
    expect({ ...errors.byField }).toEqual({ firstName: 'required by BambooHR' });
    expect(errors.other).toEqual(['target_mapping.nickname: is not a field of BambooHR']);
  });

  it('sums up a rule in a few words for its collapsed row', () => {
    expect(ruleSummary(defaults.homeEmail)).toBe('trim · lower case');
    expect(ruleSummary(defaults.employmentHistoryStatus)).toBe('4 mapped values');
    expect(
      ruleSummary({ from: 'candidate.full_name', transforms: [{ kind: 'split_name', part: 'last' }], default: 'X' }),
    ).toBe('all but the first word · default “X”');
    expect(ruleSummary({ value: 'x' })).toBe('');
    expect(ruleSummary(undefined)).toBe('');
  });
});
