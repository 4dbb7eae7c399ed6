'use client';

import { Writes } from '@/app/components/write-access-client';
import { useId, useState } from 'react';
import { FieldError } from '@/app/components/field';
import type { TargetField } from '@/lib/sync/connectors/contract';
import type { TargetMappingInput } from '@/lib/sync/target-mapping';
import {
  type MapTransform,
  parseValueMap,
  type Rule,
  ruleOf,
  ruleSummary,
  setConstant,
  setDefault,
  setSource,
  setTransform,
  sourceOf,
  transformOf,
  valueMapText,
} from './target-mapping-editor';

/** A named connector's target fields, each with where its value comes from (issue 20, item 5). */
export function TargetMappingEditor({
  fields,
  ours,
  mapping,
  errors,
  isDefault,
  onChange,
  onReset,
}: {
  fields: readonly TargetField[];
  /** The fields of ours a rule may read (the connector catalog's mappable paths), with labels. */
  ours: readonly { path: string; label: string }[];
  mapping: TargetMappingInput;
  errors: Record<string, string>;
  isDefault: boolean;
  onChange: (mapping: TargetMappingInput, field: string) => void;
  onReset: () => void;
}) {
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-600">
          {isDefault ? 'The default mapping of this system.' : 'Your own mapping.'} Fields marked{' '}
          <span className="font-medium text-red-700">required</span> must get a value for every candidate.
        </p>
        <Writes>
          <button type="button" className="btn-secondary" disabled={isDefault} onClick={onReset}>
            Reset to default mapping
          </button>
        </Writes>
      </div>
      <ul className="divide-y divide-slate-200 rounded-md border border-slate-200">
        {fields.map((field) => (
          <li key={field.key} className="p-3">
            <FieldRule
              field={field}
              ours={ours}
              rule={ruleOf(mapping, field.key)}
              error={errors[field.key]}
              onChange={(next) => onChange(next(mapping), field.key)}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}

type Edit = (mapping: TargetMappingInput) => TargetMappingInput;

const CASES = { keep: 'Keep as is', lower: 'lower case', upper: 'UPPER CASE' } as const;
const SPLITS = { whole: 'Whole value', first: 'First word', last: 'All but the first word' } as const;
const DATES = { keep: 'As is', 'yyyy-MM-dd': 'Date (yyyy-MM-dd)', iso: 'Date and time (ISO 8601)' } as const;
const OTHERWISE = { keep: 'Keep our value', empty: 'Leave empty', value: 'Use this value:' } as const;

function FieldRule({
  field,
  ours,
  rule,
  error,
  onChange,
}: {
  field: TargetField;
  ours: readonly { path: string; label: string }[];
  rule: Rule | undefined;
  error?: string;
  onChange: (edit: Edit) => void;
}) {
  const id = useId();
  const key = field.key;
  const source = sourceOf(rule);
  const required = field.requiredOn.includes('create');
  const sourceValue = source.kind === 'field' ? `field:${source.from}` : source.kind;
  const errorId = `${id}-error`;
  const summary = ruleSummary(rule);
  const hint = [field.type === 'enum' ? `One of: ${field.values?.join(', ')}` : field.type, field.description]
    .filter(Boolean)
    .join(' · ');
  return (
    <div className="space-y-2" data-target-field={key}>
      <div className="grid gap-2 sm:grid-cols-2 sm:items-start">
        <div>
          <label htmlFor={`${id}-source`} className="text-sm font-medium text-slate-800">
            {field.label} <code className="font-mono text-xs text-slate-500">{key}</code>
            {required && <span className="ml-1 text-xs font-medium text-red-700">required</span>}
          </label>
          <p id={`${id}-hint`} className="text-xs text-slate-500">
            {hint}
          </p>
        </div>
        <select
          id={`${id}-source`}
          className="input"
          aria-invalid={!!error}
          aria-describedby={[error ? errorId : null, `${id}-hint`].filter(Boolean).join(' ')}
          value={sourceValue}
          onChange={(e) => {
            const v = e.target.value;
            onChange((m) =>
              setSource(
                m,
                key,
                v === 'none'
                  ? { kind: 'none' }
                  : v === 'constant'
                    ? { kind: 'constant' }
                    : { kind: 'field', from: v.slice(6) },
              ),
            );
          }}
        >
          <option value="none">Not mapped</option>
          <option value="constant">A constant value</option>
          <optgroup label="From our fields">
            {ours.map((f) => (
              <option key={f.path} value={`field:${f.path}`}>
                {f.label} ({f.path})
              </option>
            ))}
          </optgroup>
        </select>
      </div>
      <FieldError id={errorId} message={error} />
      {source.kind === 'constant' && (
        <ConstantInput field={field} value={rule?.value} onChange={(v) => onChange((m) => setConstant(m, key, v))} />
      )}
      {source.kind === 'field' && rule && (
        <details className="group">
          <summary className="cursor-pointer text-xs font-medium text-slate-600 hover:text-slate-900">
            Clean-up and default{summary ? `: ${summary}` : ''}
          </summary>
          <div className="mt-2">
            <Transforms field={field} rule={rule} onChange={onChange} />
          </div>
        </details>
      )}
    </div>
  );
}

function ConstantInput({
  field,
  value,
  onChange,
}: {
  field: TargetField;
  value: Rule['value'];
  onChange: (value: string) => void;
}) {
  const id = useId();
  const text = value === null || value === undefined ? '' : String(value);
  return (
    <div className="sm:ml-[50%] sm:pl-1">
      <label htmlFor={id} className="text-xs font-medium text-slate-700">
        Value for {field.label}
      </label>
      {field.type === 'enum' && field.values ? (
        <select id={id} className="input" value={text} onChange={(e) => onChange(e.target.value)}>
          <option value="">Choose…</option>
          {field.values.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      ) : (
        <input id={id} className="input" autoComplete="off" value={text} onChange={(e) => onChange(e.target.value)} />
      )}
    </div>
  );
}

function Transforms({ field, rule, onChange }: { field: TargetField; rule: Rule; onChange: (edit: Edit) => void }) {
  const id = useId();
  const key = field.key;
  const caseValue = transformOf(rule, 'upper') ? 'upper' : transformOf(rule, 'lower') ? 'lower' : 'keep';
  const split = transformOf(rule, 'split_name')?.part ?? 'whole';
  const date = transformOf(rule, 'date')?.format ?? 'keep';
  const select = <T extends string>(
    name: string,
    label: string,
    options: Record<T, string>,
    value: T,
    set: (value: T) => Edit,
  ) => (
    <div>
      <label htmlFor={`${id}-${name}`} className="text-xs font-medium text-slate-700">
        {label}
      </label>
      <select
        id={`${id}-${name}`}
        className="input py-1.5"
        value={value}
        onChange={(e) => onChange(set(e.target.value as T))}
      >
        {(Object.entries(options) as [T, string][]).map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div className="grid gap-2 sm:grid-cols-4">
      <label className="flex items-center gap-2 self-end pb-2 text-xs font-medium text-slate-700">
        <input
          type="checkbox"
          className="h-4 w-4 accent-brand-600"
          checked={!!transformOf(rule, 'trim')}
          onChange={(e) => onChange((m) => setTransform(m, key, 'trim', e.target.checked ? { kind: 'trim' } : null))}
        />
        Trim spaces
      </label>
      {select(
        'case',
        'Case',
        CASES,
        caseValue,
        (v) => (m) =>
          v === 'keep'
            ? setTransform(setTransform(m, key, 'lower', null), key, 'upper', null)
            : setTransform(m, key, v, { kind: v }),
      )}
      {select(
        'split',
        'Part of a name',
        SPLITS,
        split,
        (v) => (m) => setTransform(m, key, 'split_name', v === 'whole' ? null : { kind: 'split_name', part: v }),
      )}
      {select(
        'date',
        'Format',
        DATES,
        date,
        (v) => (m) => setTransform(m, key, 'date', v === 'keep' ? null : { kind: 'date', format: v }),
      )}
      <div className="sm:col-span-2">
        <label htmlFor={`${id}-default`} className="text-xs font-medium text-slate-700">
          Default when ours is empty
        </label>
        <input
          id={`${id}-default`}
          className="input py-1.5"
          autoComplete="off"
          value={rule.default === undefined || rule.default === null ? '' : String(rule.default)}
          onChange={(e) => onChange((m) => setDefault(m, key, e.target.value))}
        />
      </div>
      <ValueMap field={field} map={transformOf(rule, 'map')} onChange={onChange} />
    </div>
  );
}

/** "Berlin = Berlin HQ" per line; kept as typed while a line is incomplete. */
function ValueMap({
  field,
  map,
  onChange,
}: {
  field: TargetField;
  map: MapTransform | undefined;
  onChange: (edit: Edit) => void;
}) {
  const id = useId();
  const key = field.key;
  const [text, setText] = useState(() => (map ? valueMapText(map.values) : ''));
  const [problem, setProblem] = useState<string | null>(null);
  const otherwise = map?.otherwise === undefined ? 'keep' : map.otherwise === null ? 'empty' : 'value';
  const build = (values: MapTransform['values'], other: MapTransform['otherwise']): Edit => {
    if (Object.keys(values).length === 0) return (m) => setTransform(m, key, 'map', null);
    const transform: MapTransform =
      other === undefined ? { kind: 'map', values } : { kind: 'map', values, otherwise: other };
    return (m) => setTransform(m, key, 'map', transform);
  };
  return (
    <div className="sm:col-span-4 grid gap-2 sm:grid-cols-2">
      <div>
        <label htmlFor={`${id}-map`} className="text-xs font-medium text-slate-700">
          Map values (one “ours = theirs” per line)
        </label>
        <textarea
          id={`${id}-map`}
          rows={2}
          className="input py-1.5 font-mono text-xs"
          placeholder={field.type === 'enum' && field.values ? `full_time = ${field.values[0]}` : 'Berlin = Berlin HQ'}
          aria-invalid={!!problem}
          aria-describedby={problem ? `${id}-map-error` : undefined}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            const parsed = parseValueMap(e.target.value);
            setProblem(parsed.error);
            if (!parsed.error) onChange(build(parsed.values, map?.otherwise));
          }}
        />
        <FieldError id={`${id}-map-error`} message={problem ?? undefined} />
      </div>
      {map && (
        <div>
          <label htmlFor={`${id}-otherwise`} className="text-xs font-medium text-slate-700">
            A value not listed
          </label>
          <div className="flex gap-2">
            <select
              id={`${id}-otherwise`}
              className="input py-1.5"
              value={otherwise}
              onChange={(e) => {
                const v = e.target.value as keyof typeof OTHERWISE;
                onChange(build(map.values, v === 'keep' ? undefined : v === 'empty' ? null : ''));
              }}
            >
              {Object.entries(OTHERWISE).map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
            {otherwise === 'value' && (
              <input
                aria-label={`Value for ${field.label} when not listed`}
                className="input py-1.5"
                autoComplete="off"
                value={String(map.otherwise ?? '')}
                onChange={(e) => onChange(build(map.values, e.target.value))}
              />
            )}
          </div>
        </div>
      )}
    </div>
  );
}
