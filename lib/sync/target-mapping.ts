import { z } from 'zod';
import { UNSAFE_KEYS } from '@/lib/security/hostile-input';
import type { FieldMapping, MappingRule, MappingTransform, TargetValue } from './connectors/contract';
import { issuesText, perSourceVersion } from './connectors/per-source-version';
import type { AnyConnectorModule } from './connectors/registry';
import type { SourceConfig } from './connectors/types';
import { MAPPABLE_PATHS } from './mapping';

/**
 * A source's own mapping onto its connector's target fields (issue 20, item 5): its shape (zod, at
 * the API boundary), its fit to one connector (on save, and again by the engine for rows written
 * past the API), and the rules the engine evaluates.
 */

const MAX_RULES = 100;
const MAX_MAP_VALUES = 500;

const targetValue = z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]);

/**
 * Keys come from users and name properties: `__proto__`, `constructor` and `prototype` are refused
 * on the raw input, before zod builds its own object (which would drop `__proto__` silently).
 */
function withSafeKeys<T extends z.ZodType>(schema: T, what: string) {
  return z
    .unknown()
    .superRefine((input, ctx) => {
      if (input === null || typeof input !== 'object' || Array.isArray(input)) return;
      for (const key of Object.keys(input)) {
        if (UNSAFE_KEYS.has(key))
          ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is not allowed as ${what}` });
      }
    })
    .pipe(schema);
}

const transformSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('trim') }),
  z.strictObject({ kind: z.literal('lower') }),
  z.strictObject({ kind: z.literal('upper') }),
  z.strictObject({ kind: z.literal('date'), format: z.enum(['yyyy-MM-dd', 'iso']) }),
  z.strictObject({ kind: z.literal('split_name'), part: z.enum(['first', 'last']) }),
  z.strictObject({
    kind: z.literal('map'),
    values: withSafeKeys(
      z
        .record(z.string().max(200), targetValue)
        .refine((v) => Object.keys(v).length <= MAX_MAP_VALUES, `at most ${MAX_MAP_VALUES} values`),
      'a value to map',
    ),
    otherwise: targetValue.optional(),
  }),
]);

const ruleSchema = z
  .strictObject({
    from: z.string().max(100).optional(),
    transforms: z.array(transformSchema).max(10).optional(),
    default: targetValue.optional(),
    value: targetValue.optional(),
  })
  .superRefine((rule, ctx) => {
    const constant = rule.value !== undefined;
    if (constant === (rule.from !== undefined))
      ctx.addIssue({ code: 'custom', message: 'needs either from (a field of ours) or value (a constant)' });
    else if (constant && (rule.transforms !== undefined || rule.default !== undefined))
      ctx.addIssue({ code: 'custom', message: 'a constant value takes no transforms or default' });
  });

/** The API shape of `target_mapping`: target field key -> rule. Which keys and paths fit is {@link checkTargetMapping}'s part. */
export const targetMappingSchema = withSafeKeys(
  z
    .record(z.string().min(1).max(200), ruleSchema)
    .refine((m) => Object.keys(m).length <= MAX_RULES, `at most ${MAX_RULES} target fields`),
  'a target field',
);

export type TargetMappingInput = z.infer<typeof targetMappingSchema>;

export type MappingIssue = { path: string; message: string };

function toTransform(t: z.infer<typeof transformSchema>): MappingTransform {
  if (t.kind !== 'map') return t;
  // The evaluator reads these with Object.hasOwn; a null prototype keeps "toString" a plain key too.
  const values: Record<string, TargetValue> = Object.create(null);
  for (const [k, v] of Object.entries(t.values)) values[k] = v;
  return t.otherwise === undefined ? { kind: 'map', values } : { kind: 'map', values, otherwise: t.otherwise };
}

/** The parsed input as evaluator rules, in a prototype-free object. */
export function toFieldMapping(input: TargetMappingInput): FieldMapping {
  const rules: Record<string, MappingRule> = Object.create(null);
  for (const [key, rule] of Object.entries(input)) {
    if (UNSAFE_KEYS.has(key)) continue;
    if (rule.value !== undefined) {
      rules[key] = { value: rule.value };
      continue;
    }
    const from: Extract<MappingRule, { from: string }> = { from: rule.from ?? '' };
    if (rule.transforms) from.transforms = rule.transforms.map(toTransform);
    if (rule.default !== undefined) from.default = rule.default;
    rules[key] = from;
  }
  return rules;
}

const EMPTY = (v: TargetValue | undefined) => v === null || v === undefined || v === '';

/**
 * Whether a mapping fits a connector: every key one of its target fields, every `from` a path we
 * can read, every constant of an enum field one of its values, and every field the connector
 * requires to create a record given a rule. Each problem names its path under `target_mapping`.
 */
export function checkTargetMapping(module: AnyConnectorModule, rules: FieldMapping): MappingIssue[] {
  if (module.targetFields.length === 0) {
    return [
      {
        path: 'target_mapping',
        message: `${module.name} has no target fields: what it sends is shaped by field_mapping`,
      },
    ];
  }
  const issues: MappingIssue[] = [];
  const fields = new Map(module.targetFields.map((f) => [f.key, f]));
  for (const key of Object.keys(rules)) {
    const path = `target_mapping.${key}`;
    const field = fields.get(key);
    if (!field) {
      issues.push({ path, message: `is not a field of ${module.name}; one of: ${[...fields.keys()].join(', ')}` });
      continue;
    }
    const rule = rules[key];
    if ('from' in rule && !MAPPABLE_PATHS.includes(rule.from)) {
      issues.push({ path: `${path}.from`, message: `must be one of: ${MAPPABLE_PATHS.join(', ')}` });
    }
    if (field.type === 'enum' && field.values) {
      const allowed = field.values;
      const refuse = (at: string, v: TargetValue | undefined) => {
        if (!EMPTY(v) && !allowed.includes(String(v)))
          issues.push({ path: at, message: `must be one of ${module.name}'s values: ${allowed.join(', ')}` });
      };
      if ('value' in rule) refuse(`${path}.value`, rule.value);
      else {
        refuse(`${path}.default`, rule.default);
        rule.transforms?.forEach((t, i) => {
          if (t.kind !== 'map') return;
          for (const [k, v] of Object.entries(t.values)) refuse(`${path}.transforms.${i}.values.${k}`, v);
          refuse(`${path}.transforms.${i}.otherwise`, t.otherwise);
        });
      }
    }
  }
  for (const field of module.targetFields) {
    if (!field.requiredOn.includes('create')) continue;
    const rule = Object.hasOwn(rules, field.key) ? rules[field.key] : undefined;
    if (!rule || ('value' in rule && EMPTY(rule.value))) {
      issues.push({ path: `target_mapping.${field.key}`, message: `required by ${module.name}` });
    }
  }
  return issues;
}

export type SourceMapping = { ok: true; rules: FieldMapping } | { ok: false; message: string };

const mappingOf = perSourceVersion<SourceMapping>();

/**
 * The rules the engine renders a source's candidates with: its own mapping when set, else the
 * connector's default. A stored mapping is checked again, once per source version (a row written
 * past the API, a connector whose fields changed): one that no longer fits gives the reason
 * instead of a half-mapped record.
 */
export function sourceMapping(module: AnyConnectorModule, source: SourceConfig): SourceMapping {
  const stored = source.targetMapping;
  if (stored === null || stored === undefined) return { ok: true, rules: module.defaultMapping };
  return mappingOf(source, module.id, () => {
    const parsed = targetMappingSchema.safeParse(stored);
    if (!parsed.success) return { ok: false, message: issuesText('target_mapping', parsed.error.issues) };
    const rules = toFieldMapping(parsed.data);
    const issues = checkTargetMapping(module, rules);
    return issues.length
      ? { ok: false, message: issues.map((i) => `${i.path}: ${i.message}`).join('; ') }
      : { ok: true, rules };
  });
}
