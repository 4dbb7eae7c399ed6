import type { TargetMappingInput } from '@/lib/sync/target-mapping';

/**
 * The mapping editor of the source form without React (issue 20, item 5): a named connector's
 * target fields, each filled from a field of ours or a constant, with a default and transforms.
 * The form keeps `null` for "the connector's default mapping" until the admin edits a rule.
 */

export type Rule = TargetMappingInput[string];
export type Transform = NonNullable<Rule['transforms']>[number];
export type MapTransform = Extract<Transform, { kind: 'map' }>;
export type TargetValue = string | number | boolean | null;

/** Where a field's value comes from, as the editor's select offers it. */
export type RuleSource = { kind: 'none' } | { kind: 'field'; from: string } | { kind: 'constant' };

/** The order transforms run in when the editor adds one: clean, split, change case, format, map. */
const ORDER: readonly Transform['kind'][] = ['trim', 'split_name', 'lower', 'upper', 'date', 'map'];

/** A copy without a prototype: keys are target field names, from users and connectors. */
function copy(mapping: TargetMappingInput): TargetMappingInput {
  const out: TargetMappingInput = Object.create(null);
  for (const [k, v] of Object.entries(mapping)) out[k] = v;
  return out;
}

/** The mapping the editor shows: the source's own, else (null) a copy of the connector's default. */
export function effectiveMapping(own: TargetMappingInput | null, defaults: TargetMappingInput): TargetMappingInput {
  return copy(own ?? defaults);
}

export function ruleOf(mapping: TargetMappingInput, key: string): Rule | undefined {
  return Object.hasOwn(mapping, key) ? mapping[key] : undefined;
}

export function sourceOf(rule: Rule | undefined): RuleSource {
  if (!rule) return { kind: 'none' };
  if (rule.value !== undefined) return { kind: 'constant' };
  return { kind: 'field', from: rule.from ?? '' };
}

function withRule(mapping: TargetMappingInput, key: string, rule: Rule | undefined): TargetMappingInput {
  const out = copy(mapping);
  if (rule === undefined) delete out[key];
  else out[key] = rule;
  return out;
}

/**
 * The field's source changed. From one field of ours to another keeps the transforms and default;
 * a constant starts empty (a constant takes neither); "not mapped" removes the rule.
 */
export function setSource(mapping: TargetMappingInput, key: string, source: RuleSource): TargetMappingInput {
  const rule = ruleOf(mapping, key);
  if (source.kind === 'none') return withRule(mapping, key, undefined);
  if (source.kind === 'constant') return withRule(mapping, key, { value: rule?.value ?? '' });
  const kept = rule && rule.value === undefined ? rule : {};
  return withRule(mapping, key, { ...kept, from: source.from });
}

export function setConstant(mapping: TargetMappingInput, key: string, value: string): TargetMappingInput {
  return withRule(mapping, key, { value });
}

/** The value used when ours is empty; an empty input removes it. */
export function setDefault(mapping: TargetMappingInput, key: string, value: string): TargetMappingInput {
  const rule = ruleOf(mapping, key);
  if (!rule || rule.value !== undefined) return mapping;
  const { default: _old, ...rest } = rule;
  return withRule(mapping, key, value === '' ? rest : { ...rest, default: value });
}

export function transformOf<K extends Transform['kind']>(
  rule: Rule | undefined,
  kind: K,
): Extract<Transform, { kind: K }> | undefined {
  return rule?.transforms?.find((t): t is Extract<Transform, { kind: K }> => t.kind === kind);
}

/**
 * Sets (or with null removes) the transform of a kind. A new one goes where ORDER puts it, an
 * existing one stays where it is; lower and upper exclude each other.
 */
export function setTransform(
  mapping: TargetMappingInput,
  key: string,
  kind: Transform['kind'],
  transform: Transform | null,
) {
  const rule = ruleOf(mapping, key);
  if (!rule || rule.value !== undefined) return mapping;
  const exclusive = kind === 'lower' ? 'upper' : kind === 'upper' ? 'lower' : null;
  let list = (rule.transforms ?? []).filter((t) => t.kind !== exclusive);
  const at = list.findIndex((t) => t.kind === kind);
  if (transform === null) list = list.filter((t) => t.kind !== kind);
  else if (at >= 0) list = list.map((t, i) => (i === at ? transform : t));
  else {
    const rank = ORDER.indexOf(kind);
    const before = list.findIndex((t) => ORDER.indexOf(t.kind) > rank);
    list = before < 0 ? [...list, transform] : [...list.slice(0, before), transform, ...list.slice(before)];
  }
  const { transforms: _old, ...rest } = rule;
  return withRule(mapping, key, list.length > 0 ? { ...rest, transforms: list } : rest);
}

/** A value map as the admin types it: one `from = to` per line; `to` empty leaves the field empty. */
export function valueMapText(values: MapTransform['values']): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} = ${v ?? ''}`)
    .join('\n');
}

export function parseValueMap(text: string): { values: Record<string, TargetValue>; error: string | null } {
  const values: Record<string, TargetValue> = Object.create(null);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { values, error: `Line ${i + 1}: write it as "our value = their value"` };
    const to = line.slice(eq + 1).trim();
    values[line.slice(0, eq).trim()] = to === '' ? null : to;
  }
  return { values, error: null };
}

/** A 422 detail's path (`target_mapping.work.site.from`) onto the target field it is about (`work.site`). */
export function fieldOfPath(path: string, keys: readonly string[]): string | null {
  const prefix = 'target_mapping.';
  if (!path.startsWith(prefix)) return null;
  const rest = path.slice(prefix.length);
  // The longest key first: "work.site" before a key "work".
  const sorted = [...keys].sort((a, b) => b.length - a.length);
  return sorted.find((k) => rest === k || rest.startsWith(`${k}.`)) ?? null;
}

/** The API's details as messages per target field; the ones about no field go to `other`. */
export function mappingErrorsOf(
  details: readonly { path: string; message: string }[],
  keys: readonly string[],
): { byField: Record<string, string>; other: string[] } {
  const byField: Record<string, string> = Object.create(null);
  const other: string[] = [];
  for (const d of details) {
    if (!d.path.startsWith('target_mapping')) continue;
    const key = fieldOfPath(d.path, keys);
    if (key) byField[key] ??= d.message;
    else other.push(`${d.path}: ${d.message}`);
  }
  return { byField, other };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What the form stores: null while the mapping equals the connector's default, so the default can still improve. */
export function storedMapping(mapping: TargetMappingInput, defaults: TargetMappingInput): TargetMappingInput | null {
  return sameJson(mapping, defaults) ? null : mapping;
}

const TRANSFORM_WORDS: Record<Transform['kind'], (t: Transform) => string> = {
  trim: () => 'trim',
  lower: () => 'lower case',
  upper: () => 'UPPER CASE',
  date: (t) => (t.kind === 'date' && t.format === 'iso' ? 'date and time' : 'date'),
  split_name: (t) => (t.kind === 'split_name' && t.part === 'last' ? 'all but the first word' : 'first word'),
  map: (t) => (t.kind === 'map' ? `${Object.keys(t.values).length} mapped values` : 'mapped values'),
};

/** A rule's clean-up in a few words, in the order it runs, for the collapsed editor row. */
export function ruleSummary(rule: Rule | undefined): string {
  if (!rule || rule.value !== undefined) return '';
  const words = (rule.transforms ?? []).map((t) => TRANSFORM_WORDS[t.kind](t));
  if (rule.default !== undefined && rule.default !== null) words.push(`default “${String(rule.default)}”`);
  return words.join(' · ');
}
