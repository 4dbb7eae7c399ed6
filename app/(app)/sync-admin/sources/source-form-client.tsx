'use client';

import Link from 'next/link';
import { useState } from 'react';
import { FormAlert } from '@/app/components/dialog-client';
import { useCanWrite, Writes } from '@/app/components/write-access-client';
import { ApiError } from '@/lib/client/api-fetch';
import { Field, FieldError, NumberField, TextField } from '@/app/components/field';
import { useFormSubmit } from '@/lib/client/use-form-submit';
import type { CreateSourceInput, PublicSource, UpdateSourceInput } from '@/lib/sources/schemas';
import type { ConnectorChoice } from '@/lib/sync/connectors/catalog';
import type { TargetMappingInput } from '@/lib/sync/target-mapping';
import { Choice, Section } from './form-section';
import { AUTH_TYPES, CLIENT_AUTH, envelopeApplies, SIGNING_MODE_LABELS } from './labels';
import {
  type AuthType,
  type ClientAuth,
  FIELDS,
  type FormState,
  type HeaderRow,
  LIMITS,
  MAPPABLE_FIELDS,
  MASK,
  type Mapping,
  authTypesFor,
  checkForm,
  connectorChanged,
  formLabelOf,
  initialState,
  newHeaderRow,
  previewBodyOf,
  settingChanged,
  withFormPaths,
  withGeneratedSecret,
} from './source-form';
import { SourcePreviewPanel } from './source-preview-client';
import { effectiveMapping, mappingErrorsOf, storedMapping } from './target-mapping-editor';
import { TargetMappingEditor } from './target-mapping-editor-client';

type SourceFormProps = {
  source?: PublicSource;
  /** The registry's connectors (lib/sync/connectors/registry.ts), from the server page. */
  connectors: ConnectorChoice[];
  onSave: (input: CreateSourceInput | UpdateSourceInput) => Promise<void>;
};

export function SourceForm({ source, connectors, onSave }: SourceFormProps) {
  const [state, setState] = useState<FormState>(() => initialState(source));
  const [candidateId, setCandidateId] = useState<string | null>(null);
  // The server's 422 details about the target mapping, by target field (shown next to each rule).
  const [mappingErrors, setMappingErrors] = useState<Record<string, string>>({});
  // Bumped on a reset: the editor's rows keep text being typed (a value map), which a reset replaces.
  const [mappingVersion, setMappingVersion] = useState(0);
  const { pending, errors, setErrors, submit, clearFieldError } = useFormSubmit(FIELDS, {
    name_taken: 'name',
    unknown_connector: 'connector',
  });
  const connector = connectors.find((c) => c.id === state.connector);
  const set = (patch: Partial<FormState>) => setState((s) => ({ ...s, ...patch }));
  // A generated secret or another scheme answers the secret's error: it is not left beside them.
  const clearSigningError = () => {
    if (!errors.fields.signing_secret) return;
    const { signing_secret: _answered, ...fields } = errors.fields;
    setErrors({ ...errors, fields });
  };
  // A credential in the vendor's words (BambooHR's "API key", HiBob's "Service user ID") and where to find it.
  const vendorField = (stores: 'auth_username' | 'auth_secret') =>
    connector?.auth.type === state.auth_type ? connector.auth.fields.find((f) => f.stores === stores) : undefined;
  const vendorHint = (stores: 'auth_username' | 'auth_secret') => vendorField(stores)?.hint;
  const secretOnly = connector?.auth.secretOnly === true && state.auth_type === 'basic';
  const envelope = envelopeApplies(connector);
  const targetFields = connector?.targetFields ?? [];
  const defaultMapping = (connector?.defaultMapping ?? {}) as TargetMappingInput;
  const shownMapping = effectiveMapping(state.target_mapping, defaultMapping);
  const secretLabel = { bearer: 'Token', basic: 'Password', oauth2_client_credentials: 'Client secret' } as Partial<
    Record<AuthType, string>
  >;

  const canWrite = useCanWrite();

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const checked = checkForm(state, source);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    void submit(async () => {
      try {
        await onSave(checked.input);
      } catch (err) {
        if (err instanceof ApiError && Array.isArray(err.details)) {
          const byField = mappingErrorsOf(
            err.details as { path: string; message: string }[],
            targetFields.map((f) => f.key),
          ).byField;
          setMappingErrors(byField);
        }
        throw withFormPaths(err);
      }
    });
  }

  return (
    <form method="post" onChange={clearFieldError} onSubmit={onSubmit} noValidate className="space-y-6">
      <FormAlert message={errors.message} />

      <Section title="Source" description="How the source is named in ATS Sync and how it receives candidates.">
        <TextField
          label="Name"
          name="name"
          maxLength={100}
          error={errors.fields.name}
          value={state.name}
          onChange={(name) => set({ name })}
        />
        <Field label="Connector" error={errors.fields.connector} hint={connector?.description ?? undefined}>
          {(control) => (
            <select
              {...control}
              name="connector"
              className="input"
              value={state.connector}
              onChange={(e) => {
                const id = e.target.value;
                setState((s) =>
                  connectorChanged(
                    s,
                    connectors.find((c) => c.id === id),
                    connectors,
                  ),
                );
              }}
            >
              {connectors.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
              {!connector && <option value={state.connector}>{state.connector}</option>}
            </select>
          )}
        </Field>
        {connector?.settingFields.map((f) => (
          <TextField
            key={f.key}
            label={f.label}
            name={`settings.${f.key}`}
            hint={f.hint}
            value={state.settings[f.key] ?? ''}
            onChange={(value) => setState((s) => settingChanged(s, connector, f.key, value))}
          />
        ))}
        {errors.fields.settings && <FieldError id="settings-error" message={errors.fields.settings} />}
        <Choice
          label="Active"
          hint="Inactive sources keep their settings and history but receive nothing."
          checked={state.is_active}
          onChange={(is_active) => set({ is_active })}
        />
        <Choice
          label="Sync on hire"
          hint="Hires, edits and withdrawals are sent within seconds, without pressing Sync."
          checked={state.sync_mode ? state.sync_mode === 'auto' : !envelope}
          onChange={(on) => set({ sync_mode: on ? 'auto' : 'manual' })}
        />
      </Section>

      <Section
        title="Endpoint"
        description={
          envelope
            ? 'Where deliveries are sent: the base URL joined with the endpoint path.'
            : `The address of ${connector?.name}'s API; the paths of its requests are ${connector?.name}'s own.`
        }
      >
        <TextField
          label="Base URL"
          name="base_url"
          error={errors.fields.base_url}
          hint={
            connector?.baseUrlTemplate
              ? `${connector.name}'s API address, filled in for you; change it only for a proxy or a test system.`
              : 'For example https://hris.example.com'
          }
          value={state.base_url}
          onChange={(base_url) => set({ base_url })}
        />
        {envelope && (
          <div className="grid gap-4 sm:grid-cols-3">
            <div className="sm:col-span-2">
              <TextField
                label="Endpoint path"
                name="sync_endpoint"
                error={errors.fields.sync_endpoint}
                hint="Starts with /, for example /api/hires"
                value={state.sync_endpoint}
                onChange={(sync_endpoint) => set({ sync_endpoint })}
              />
            </div>
            <Field label="HTTP method" error={errors.fields.method}>
              {(control) => (
                <select
                  {...control}
                  name="method"
                  className="input"
                  value={state.method}
                  onChange={(e) => set({ method: e.target.value as FormState['method'] })}
                >
                  <option value="POST">POST</option>
                  <option value="PUT">PUT</option>
                  <option value="PATCH">PATCH</option>
                </select>
              )}
            </Field>
          </div>
        )}
      </Section>

      <Section
        title="Authentication"
        description="Credentials are encrypted and write-only: once saved they are shown only by their last characters."
      >
        <Field label="Authentication" error={errors.fields.auth_type}>
          {(control) => (
            <select
              {...control}
              name="auth_type"
              className="input"
              value={state.auth_type}
              onChange={(e) => set({ auth_type: e.target.value as AuthType, auth_secret: '' })}
            >
              {authTypesFor(connector?.auth.type).map((value) => (
                <option key={value} value={value}>
                  {value === 'basic' && secretOnly
                    ? `${vendorField('auth_secret')?.label ?? 'API key'} (HTTP Basic)`
                    : AUTH_TYPES[value]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {state.auth_type === 'api_key_header' && (
          <TextField
            label="Header name"
            name="auth_header"
            error={errors.fields.auth_header}
            value={state.auth_header}
            onChange={(auth_header) => set({ auth_header })}
          />
        )}
        {state.auth_type === 'basic' && !secretOnly && (
          <TextField
            label={vendorField('auth_username')?.label ?? 'Username'}
            name="auth_username"
            hint={vendorHint('auth_username')}
            error={errors.fields.auth_username}
            value={state.auth_username}
            onChange={(auth_username) => set({ auth_username })}
          />
        )}
        {state.auth_type === 'oauth2_client_credentials' && (
          <TextField
            label="Client ID"
            name="auth_client_id"
            hint={vendorHint('auth_username')}
            error={errors.fields.auth_client_id}
            value={state.auth_client_id}
            onChange={(auth_client_id) => set({ auth_client_id })}
          />
        )}
        {state.auth_type !== 'none' && (
          <SecretField
            label={vendorField('auth_secret')?.label ?? secretLabel[state.auth_type] ?? 'API key'}
            name="auth_secret"
            help={vendorHint('auth_secret')}
            error={errors.fields.auth_secret}
            stored={
              source?.auth.secret_set && source.auth.type === state.auth_type ? (source.auth.secret_mask ?? MASK) : null
            }
            value={state.auth_secret}
            onChange={(auth_secret) => set({ auth_secret })}
          />
        )}
        {state.auth_type === 'oauth2_client_credentials' && (
          <>
            <TextField
              label="Token URL"
              name="auth_token_url"
              hint="Optional: an http(s) URL, or a path relative to the base URL. Leave empty for connectors that know theirs, e.g. Personio."
              error={errors.fields.auth_token_url}
              value={state.auth_token_url}
              onChange={(auth_token_url) => set({ auth_token_url })}
            />
            <TextField
              label="Scope"
              name="auth_scope"
              hint="Optional: the scopes to ask for, separated by spaces, if the token endpoint wants them."
              error={errors.fields.auth_scope}
              value={state.auth_scope}
              onChange={(auth_scope) => set({ auth_scope })}
            />
            <Field
              label="Client authentication"
              hint="How the client ID and secret are sent to the token endpoint."
              error={errors.fields.auth_client_auth}
            >
              {(control) => (
                <select
                  {...control}
                  name="auth_client_auth"
                  className="input"
                  value={state.auth_client_auth}
                  onChange={(e) => set({ auth_client_auth: e.target.value as ClientAuth })}
                >
                  {Object.entries(CLIENT_AUTH).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </>
        )}
      </Section>

      {envelope && (
        <>
          <Section
            title="Signing"
            description="With a signing secret every request is signed, so the receiver can verify it came from us: Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature), which any Standard Webhooks library verifies, or the legacy X-ATS-Signature for receivers written for it."
          >
            <Field
              label="Signature scheme"
              hint={
                state.signing_mode === 'standard'
                  ? 'The secret is whsec_ and base64 of 24 to 64 bytes; receivers refuse a request more than 5 minutes old.'
                  : 'X-ATS-Signature: v1=hex HMAC-SHA256 of “timestamp.body”, plus the Standard Webhooks headers keyed with the same secret.'
              }
              error={errors.fields.signing_mode}
            >
              {(control) => (
                <select
                  {...control}
                  name="signing_mode"
                  className="input"
                  value={state.signing_mode}
                  onChange={(e) => {
                    set({ signing_mode: e.target.value as FormState['signing_mode'] });
                    clearSigningError();
                  }}
                >
                  {Object.entries(SIGNING_MODE_LABELS).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <SecretField
              label="Signing secret"
              name="signing_secret"
              optional
              help={state.signing_mode === 'standard' ? 'Optional: whsec_ and base64, or generate one.' : undefined}
              error={errors.fields.signing_secret}
              stored={
                source?.signing_secret.secret_set && !state.remove_signing ? (source.signing_secret.mask ?? MASK) : null
              }
              value={state.signing_secret}
              disabled={state.remove_signing}
              onChange={(signing_secret) => set({ signing_secret })}
            />
            <GeneratedSecret
              value={state.signing_secret}
              onGenerate={() => {
                const next = withGeneratedSecret(state);
                setState(next);
                clearSigningError();
                return next.signing_secret;
              }}
            />
            {source?.signing_secret.secret_set && (
              <Choice
                label="Remove the signing secret"
                checked={state.remove_signing}
                onChange={(remove_signing) => set({ remove_signing, signing_secret: '' })}
              />
            )}
          </Section>

          <Section
            title="Custom headers"
            description="Sent with every request. Values of headers named like credentials are write-only."
          >
            <HeadersEditor
              rows={state.headers}
              error={errors.fields.headers}
              onChange={(headers) => set({ headers, headers_dirty: true })}
            />
          </Section>

          <Section
            title="Field mapping"
            description="Rename fields of the candidate.hired payload for this source, or leave them out. Empty means unchanged."
          >
            <MappingEditor
              mapping={state.mapping}
              error={errors.fields.field_mapping}
              onChange={(mapping) => set({ mapping })}
            />
          </Section>
        </>
      )}

      {!envelope && targetFields.length > 0 && (
        <Section
          title="Field mapping"
          description={`Which of our fields fill ${connector?.name}'s fields, with optional clean-up. The preview below follows every change.`}
        >
          <TargetMappingEditor
            key={`${state.connector}:${mappingVersion}`}
            fields={targetFields}
            ours={connector?.mappableFields ?? []}
            mapping={shownMapping}
            errors={mappingErrors}
            isDefault={state.target_mapping === null}
            onChange={(mapping, field) => {
              set({ target_mapping: storedMapping(mapping, defaultMapping) });
              setMappingErrors(({ [field]: _fixed, ...rest }) => rest);
            }}
            onReset={() => {
              set({ target_mapping: null });
              setMappingVersion((v) => v + 1);
              setMappingErrors({});
            }}
          />
          {Object.keys(mappingErrors).length === 0 && <FieldError message={errors.fields.target_mapping} />}
        </Section>
      )}

      <Section
        title="Preview"
        description="A real hired candidate as this source would receive it: the exact request, credentials masked. Nothing is sent."
      >
        <SourcePreviewPanel
          body={previewBodyOf(state, source, candidateId)}
          candidateId={candidateId}
          onCandidate={setCandidateId}
          labelOf={(path) => formLabelOf(path, connector, state.auth_type)}
        />
      </Section>

      <Section title="Delivery" description="Limits for sending to this source. Retries back off exponentially.">
        {!envelope && connector && (
          <p className="text-sm text-slate-600">Documented rate limit: {connector.rateLimit.note}</p>
        )}
        <div className="grid gap-4 sm:grid-cols-2">
          {LIMITS.map((limit) => (
            <NumberField
              key={limit.name}
              label={limit.label}
              name={limit.name}
              hint={limit.hint(state.connector)}
              error={errors.fields[limit.name]}
              value={state[limit.name]}
              onChange={(value) => set({ [limit.name]: value })}
            />
          ))}
        </div>
      </Section>

      <div className="flex justify-end gap-2 border-t border-slate-200 pt-6">
        <Link href="/sync-admin/sources" className="btn-secondary">
          {canWrite ? 'Cancel' : 'Back to sources'}
        </Link>
        <Writes>
          <button type="submit" className="btn-primary" disabled={pending}>
            {pending ? 'Saving…' : source ? 'Save changes' : 'Add source'}
          </button>
        </Writes>
      </div>
    </form>
  );
}

// "••••a1b2" reads better as "•••• a1b2".
const spacedMask = (mask: string) => mask.replace(new RegExp(`^${MASK}(?=.)`), `${MASK} `);

/** A write-only secret: what is stored shows as its mask, and an empty input keeps it. */
function SecretField({
  label,
  name,
  stored,
  optional = false,
  help,
  disabled = false,
  error,
  value,
  onChange,
}: {
  label: string;
  name: string;
  stored: string | null;
  optional?: boolean;
  /** Shown while nothing is stored: where to find the secret. */
  help?: string;
  disabled?: boolean;
  error?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const hint = stored ? (
    <>
      <span className="font-mono">{spacedMask(stored)}</span> (set) · leave empty to keep it
    </>
  ) : optional ? (
    (help ?? 'Optional, at least 16 characters.')
  ) : (
    help
  );
  return (
    <Field label={label} hint={hint} error={error}>
      {(control) => (
        <input
          {...control}
          name={name}
          type="password"
          autoComplete="new-password"
          className="input font-mono"
          placeholder={stored ? 'Leave empty to keep' : undefined}
          disabled={disabled}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/**
 * "Generate a secret", and the generated secret in clear text while it is the one typed: the field
 * is write-only, so this is where the admin copies it to the receiver before saving.
 */
function GeneratedSecret({ value, onGenerate }: { value: string; onGenerate: () => string }) {
  const [generated, setGenerated] = useState<string | null>(null);
  return (
    <div className="space-y-2">
      <Writes>
        <button type="button" className="btn-secondary" onClick={() => setGenerated(onGenerate())}>
          Generate a secret
        </button>
      </Writes>
      {generated !== null && generated === value && (
        <p className="text-sm text-slate-600" role="status">
          Copy it to your receiver now; once saved it is shown only by its last characters:{' '}
          <code className="break-all rounded bg-slate-100 px-1 py-0.5 font-mono text-xs">{generated}</code>
        </p>
      )}
    </div>
  );
}

function HeadersEditor({
  rows,
  error,
  onChange,
}: {
  rows: HeaderRow[];
  error?: string;
  onChange: (rows: HeaderRow[]) => void;
}) {
  const update = (key: number, patch: Partial<HeaderRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <div className="space-y-3">
      {rows.length === 0 && <p className="text-sm text-slate-500">No custom headers.</p>}
      {rows.map((row, i) => (
        <div key={row.key} className="flex flex-wrap items-end gap-2 sm:flex-nowrap">
          <div className="w-full sm:w-2/5">
            <label className="label sr-only" htmlFor={`header-name-${row.key}`}>
              Header {i + 1} name
            </label>
            <input
              id={`header-name-${row.key}`}
              className="input font-mono"
              placeholder="X-Tenant"
              autoComplete="off"
              aria-invalid={!!error}
              value={row.name}
              onChange={(e) => update(row.key, { name: e.target.value })}
            />
          </div>
          <div className="min-w-0 flex-1">
            <label className="label sr-only" htmlFor={`header-value-${row.key}`}>
              Header {i + 1} value
            </label>
            <input
              id={`header-value-${row.key}`}
              className="input font-mono"
              placeholder={row.masked ? `${spacedMask(row.masked)} (set) · re-enter to change headers` : 'value'}
              autoComplete="off"
              aria-invalid={!!error}
              value={row.value}
              onChange={(e) => update(row.key, { value: e.target.value })}
            />
          </div>
          <Writes>
            <button
              type="button"
              className="btn-ghost px-2.5 text-red-700 hover:bg-red-50"
              onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
            >
              Remove<span className="sr-only"> header {row.name || i + 1}</span>
            </button>
          </Writes>
        </div>
      ))}
      <FieldError message={error} />
      <Writes>
        <button type="button" className="btn-secondary" onClick={() => onChange([...rows, newHeaderRow()])}>
          Add header
        </button>
      </Writes>
    </div>
  );
}

function MappingEditor({
  mapping,
  error,
  onChange,
}: {
  mapping: Mapping;
  error?: string;
  onChange: (mapping: Mapping) => void;
}) {
  const paths = [...MAPPABLE_FIELDS, ...Object.keys(mapping).filter((p) => !MAPPABLE_FIELDS.includes(p))];
  const entry = (path: string) => mapping[path] ?? { target: '', omit: false };
  const update = (path: string, patch: Partial<{ target: string; omit: boolean }>) =>
    onChange({ ...mapping, [path]: { ...entry(path), ...patch } });
  return (
    <div>
      <table className="table">
        <caption className="sr-only">Field mapping</caption>
        <thead>
          <tr>
            <th scope="col" className="px-0!">
              Field
            </th>
            <th scope="col">Send as</th>
            <th scope="col" className="text-right!">
              Leave out
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {paths.map((path) => {
            const m = entry(path);
            const leaf = path.split('.').pop();
            return (
              <tr key={path}>
                <td className="px-0! py-1.5! font-mono text-xs text-slate-700">{path}</td>
                <td className="py-1.5!">
                  <input
                    className="input py-1.5 font-mono text-xs"
                    aria-label={`Send ${path} as`}
                    placeholder={leaf}
                    disabled={m.omit}
                    value={m.omit ? '' : m.target}
                    onChange={(e) => update(path, { target: e.target.value })}
                  />
                </td>
                <td className="py-1.5! text-right">
                  <input
                    type="checkbox"
                    className="h-4 w-4 accent-brand-600"
                    aria-label={`Leave out ${path}`}
                    checked={m.omit}
                    onChange={(e) => update(path, { omit: e.target.checked })}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <FieldError message={error} />
    </div>
  );
}
