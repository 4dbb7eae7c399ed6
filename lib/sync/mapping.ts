import { UNSAFE_KEYS } from '@/lib/security/hostile-input';
import type {
  ConnectorAction,
  FieldMapping,
  MappingTransform,
  TargetField,
  TargetRecord,
  TargetValue,
} from './connectors/contract';
import type { DeliveryItem } from './connectors/types';

/**
 * The fields of ours a mapping can read, by path. A fixed table rather than a walk over the item:
 * a path from a user (`candidate.__proto__`, `job.constructor`) can only ever name one of these.
 */
const SOURCE_FIELDS: ReadonlyMap<string, (item: DeliveryItem) => TargetValue> = new Map<
  string,
  (item: DeliveryItem) => TargetValue
>([
  ['candidate.id', (i) => i.candidate.id],
  ['candidate.first_name', (i) => i.candidate.first_name],
  ['candidate.last_name', (i) => i.candidate.last_name],
  ['candidate.full_name', (i) => `${i.candidate.first_name} ${i.candidate.last_name}`.trim()],
  ['candidate.email', (i) => i.candidate.email],
  ['candidate.phone', (i) => i.candidate.phone],
  ['candidate.hired_at', (i) => i.candidate.hired_at],
  ['candidate.start_date', (i) => i.candidate.start_date],
  ['job.id', (i) => i.job.id],
  ['job.slug', (i) => i.job.slug],
  ['job.title', (i) => i.job.title],
  ['job.department', (i) => i.job.department],
  ['job.location', (i) => i.job.location],
  ['job.employment_type', (i) => i.job.employment_type],
]);

/** The paths a mapping rule's `from` may name. */
export const MAPPABLE_PATHS: readonly string[] = [...SOURCE_FIELDS.keys()];

const PATH_LABELS: Readonly<Record<string, string>> = {
  'candidate.id': 'Candidate id',
  'candidate.first_name': 'First name',
  'candidate.last_name': 'Last name',
  'candidate.full_name': 'Full name',
  'candidate.email': 'E-mail',
  'candidate.phone': 'Phone',
  'candidate.hired_at': 'Hired at',
  'candidate.start_date': 'Start date',
  'job.id': 'Posting id',
  'job.slug': 'Posting slug',
  'job.title': 'Job title',
  'job.department': 'Department',
  'job.location': 'Location',
  'job.employment_type': 'Employment type',
};

/** Each mappable path with a label, for a form that offers them (a path without one shows as itself). */
export const MAPPABLE_FIELDS: readonly { path: string; label: string }[] = MAPPABLE_PATHS.map((path) => ({
  path,
  label: PATH_LABELS[path] ?? path,
}));

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function isEmpty(value: TargetValue | undefined): boolean {
  return value === null || value === undefined || value === '';
}

function applyTransform(value: TargetValue, transform: MappingTransform): TargetValue {
  if (value === null) return null;
  switch (transform.kind) {
    case 'trim':
      return typeof value === 'string' ? value.trim() : value;
    case 'lower':
      return typeof value === 'string' ? value.toLowerCase() : value;
    case 'upper':
      return typeof value === 'string' ? value.toUpperCase() : value;
    case 'date': {
      if (typeof value !== 'string') return null;
      // A calendar day stays that day: parsed as an instant it would be midnight UTC, then shifted.
      if (DAY.test(value)) return transform.format === 'yyyy-MM-dd' ? value : `${value}T00:00:00.000Z`;
      const time = Date.parse(value);
      if (Number.isNaN(time)) return null;
      const iso = new Date(time).toISOString();
      return transform.format === 'yyyy-MM-dd' ? iso.slice(0, 10) : iso;
    }
    case 'split_name': {
      if (typeof value !== 'string') return value;
      const words = value.trim().split(/\s+/).filter(Boolean);
      if (words.length === 0) return null;
      return transform.part === 'first' ? words[0] : words.length > 1 ? words.slice(1).join(' ') : null;
    }
    case 'map': {
      const key = String(value);
      // Own keys only: a value such as "constructor" must not find Object.prototype's.
      if (Object.hasOwn(transform.values, key)) return transform.values[key];
      return transform.otherwise !== undefined ? transform.otherwise : value;
    }
  }
}

/**
 * One candidate rendered into a target's fields by a mapping: each target key gets a constant, or
 * the value at `from` passed through its transforms, or its default when that is empty. `missing`
 * names the target keys that ended up empty. Pure: the same rules and item give the same record.
 */
export function applyMapping(rules: FieldMapping, item: DeliveryItem): { record: TargetRecord; missing: string[] } {
  const record: TargetRecord = Object.create(null);
  const missing: string[] = [];
  for (const key of Object.keys(rules)) {
    if (UNSAFE_KEYS.has(key)) continue;
    const rule = rules[key];
    let value: TargetValue;
    if ('value' in rule) {
      value = rule.value;
    } else {
      const read = SOURCE_FIELDS.get(rule.from);
      value = read ? read(item) : null;
      for (const transform of rule.transforms ?? []) value = applyTransform(value, transform);
      if (isEmpty(value) && rule.default !== undefined) value = rule.default;
    }
    if (isEmpty(value)) {
      missing.push(key);
      record[key] = null;
    } else {
      record[key] = value;
    }
  }
  return { record, missing };
}

/** The target fields an action requires that the record leaves empty (whether or not a rule names them). */
export function missingRequired(
  fields: readonly TargetField[],
  action: ConnectorAction,
  record: TargetRecord,
): string[] {
  return fields.filter((f) => f.requiredOn.includes(action) && isEmpty(record[f.key])).map((f) => f.key);
}
