import { z } from 'zod';
import { ApiError } from '@/lib/client/api-fetch';
import { type FormErrors, formErrorsFromApi } from '@/lib/client/form-errors';
import { generateSigningSecret, type SigningMode, standardSecretProblem } from '@/lib/http/webhook-secret';
import {
  type CreateSourceInput,
  type PreviewSourceInput,
  type PublicSource,
  type UpdateSourceInput,
  createSourceSchema,
  updateSourceSchema,
} from '@/lib/sources/schemas';
import type { ConnectorChoice } from '@/lib/sync/connectors/catalog';
import type { TargetMappingInput } from '@/lib/sync/target-mapping';
import { AUTH_TYPES, type CLIENT_AUTH, envelopeApplies } from './labels';
import { fieldOfPath } from './target-mapping-editor';

/** The source form without React: its state, the API body it becomes, and the errors it shows. */

export const FIELDS = [
  'name',
  'connector',
  'settings',
  'base_url',
  'sync_endpoint',
  'method',
  'auth_type',
  'auth_header',
  'auth_username',
  'auth_secret',
  'auth_client_id',
  'auth_token_url',
  'auth_scope',
  'auth_client_auth',
  'signing_secret',
  'signing_mode',
  'headers',
  'field_mapping',
  'target_mapping',
  'timeout_ms',
  'max_concurrency',
  'batch_size',
  'max_attempts',
  'max_requests_per_minute',
  'is_active',
  'sync_mode',
] as const;
export type SourceFormField = (typeof FIELDS)[number];

/** The fields of the candidate.hired payload a source may rename or leave out. */
export const MAPPABLE_FIELDS = [
  'candidate.id',
  'candidate.first_name',
  'candidate.last_name',
  'candidate.email',
  'candidate.phone',
  'application.status',
  'application.hired_at',
  'job.id',
  'job.slug',
  'job.title',
  'job.department',
  'job.location',
];

// Masked values in API answers start with this; they are never real values to send back.
export const MASK = '••••';

export type AuthType = keyof typeof AUTH_TYPES;
export type ClientAuth = keyof typeof CLIENT_AUTH;

// What the engine uses when a source stores none (lib/http/oauth2-client-credentials.ts).
const DEFAULT_CLIENT_AUTH: ClientAuth = 'client_secret_post';
export type HeaderRow = { key: number; name: string; value: string; masked: string | null };
export type Mapping = Record<string, { target: string; omit: boolean }>;

export type LimitField = 'timeout_ms' | 'max_concurrency' | 'batch_size' | 'max_attempts' | 'max_requests_per_minute';

export type FormState = {
  name: string;
  connector: PublicSource['connector'];
  /** The connector's own settings, as text (the generic form renders text settings only). */
  settings: Record<string, string>;
  base_url: string;
  sync_endpoint: string;
  method: PublicSource['method'];
  auth_type: AuthType;
  auth_header: string;
  auth_username: string;
  auth_secret: string;
  auth_client_id: string;
  /** Empty: the connector's own token endpoint (Personio). */
  auth_token_url: string;
  auth_scope: string;
  auth_client_auth: ClientAuth;
  signing_secret: string;
  remove_signing: boolean;
  /** How the signing secret signs; new sources: standard. */
  signing_mode: SigningMode;
  headers: HeaderRow[];
  headers_dirty: boolean;
  mapping: Mapping;
  /** The source's own mapping onto a named connector's fields; null: the connector's default. */
  target_mapping: TargetMappingInput | null;
  is_active: boolean;
  /** Sync on hire (issue 21); null: the connector's default (auto for named connectors). */
  sync_mode: 'auto' | 'manual' | null;
} & Record<LimitField, string>;

/** What a new source starts with: the API's defaults (batch size: SYNC_BATCH_SIZE's default). */
export const DEFAULTS = {
  timeout_ms: 30_000,
  max_concurrency: 8,
  batch_size: 10,
  max_attempts: 3,
  max_requests_per_minute: null,
} satisfies Record<LimitField, number | null>;

/** The API's bounds of a number field, read from its schema so that the form cannot drift from it. */
export function rangeOf(field: LimitField): { min: number; max: number } {
  let schema: z.ZodType = createSourceSchema.shape[field];
  while (!(schema instanceof z.ZodNumber)) schema = (schema as unknown as { unwrap(): z.ZodType }).unwrap();
  return { min: schema.minValue ?? 0, max: schema.maxValue ?? Number.MAX_SAFE_INTEGER };
}

const formatNumber = (n: number) => n.toLocaleString('en-US');
const between = (field: LimitField) => `${formatNumber(rangeOf(field).min)} to ${formatNumber(rangeOf(field).max)}`;

/** An empty field here means "no limit" rather than "the default". */
const EMPTY_IS_NULL: ReadonlySet<LimitField> = new Set(['max_requests_per_minute']);

export const LIMITS: { name: LimitField; label: string; hint: (connector: FormState['connector']) => string }[] = [
  { name: 'timeout_ms', label: 'Timeout (ms)', hint: () => between('timeout_ms') },
  {
    name: 'max_concurrency',
    label: 'Max concurrency',
    hint: () => `Requests in flight at once, ${between('max_concurrency')}`,
  },
  {
    name: 'batch_size',
    label: 'Batch size',
    hint: (connector) =>
      connector === 'rest_batch'
        ? `Candidates per request, ${between('batch_size')}`
        : 'Used by REST batch sources only',
  },
  { name: 'max_attempts', label: 'Max attempts', hint: () => `Per delivery, ${between('max_attempts')}` },
  {
    name: 'max_requests_per_minute',
    label: 'Max requests per minute',
    hint: () => `Across all workers, ${between('max_requests_per_minute')}; empty: no limit`,
  },
];

let rowKey = 0;

export function newHeaderRow(name = '', value = '', masked: string | null = null): HeaderRow {
  rowKey += 1;
  return { key: rowKey, name, value, masked };
}

const numberText = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

export function initialState(source?: PublicSource): FormState {
  const mapping: Mapping = {};
  for (const [path, target] of Object.entries(source?.field_mapping ?? {})) {
    mapping[path] = { target: target ?? '', omit: target === null };
  }
  const limit = (field: LimitField) => numberText(source ? source[field] : DEFAULTS[field]);
  return {
    name: source?.name ?? '',
    connector: source?.connector ?? 'generic_webhook',
    settings: Object.fromEntries(
      Object.entries(source?.settings ?? {}).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
    ),
    base_url: source?.base_url ?? '',
    sync_endpoint: source?.sync_endpoint ?? '',
    method: source?.method ?? 'POST',
    auth_type: (source?.auth.type as AuthType | undefined) ?? 'none',
    auth_header: source?.auth.header ?? 'X-Api-Key',
    auth_username: source?.auth.username ?? '',
    auth_secret: '',
    auth_client_id: source?.auth.client_id ?? '',
    auth_token_url: source?.auth.token_url ?? '',
    auth_scope: source?.auth.scope ?? '',
    auth_client_auth: source?.auth.client_auth ?? DEFAULT_CLIENT_AUTH,
    signing_secret: '',
    remove_signing: false,
    signing_mode: source?.signing_mode ?? 'standard',
    headers: Object.entries(source?.headers ?? {}).map(([name, value]) =>
      value.startsWith(MASK) ? newHeaderRow(name, '', value) : newHeaderRow(name, value),
    ),
    headers_dirty: false,
    mapping,
    target_mapping: source?.target_mapping ?? null,
    timeout_ms: limit('timeout_ms'),
    max_concurrency: limit('max_concurrency'),
    batch_size: limit('batch_size'),
    max_attempts: limit('max_attempts'),
    max_requests_per_minute: limit('max_requests_per_minute'),
    is_active: source?.is_active ?? true,
    sync_mode: source?.sync_mode ?? null,
  };
}

/** A number field as the API takes it: empty is left out (the default, or unchanged), or null where it means no limit. */
function numberOf(state: FormState, field: LimitField): number | null | undefined {
  const text = state[field].trim();
  if (text === '') return EMPTY_IS_NULL.has(field) ? null : undefined;
  return Number(text);
}

export function headersOf(rows: HeaderRow[]): Record<string, string> {
  return Object.fromEntries(rows.filter((r) => r.name.trim() || r.value).map((r) => [r.name.trim(), r.value]));
}

/** Only renames and omissions are stored: a target equal to the field's own name is no mapping. */
export function mappingOf(mapping: Mapping): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [path, m] of Object.entries(mapping)) {
    if (m.omit) out[path] = null;
    else if (m.target.trim() && m.target.trim() !== path.split('.').pop()) out[path] = m.target.trim();
  }
  return out;
}

function authOf(state: FormState, keepSecret: boolean) {
  const secret = state.auth_secret === '' && keepSecret ? undefined : state.auth_secret;
  switch (state.auth_type) {
    case 'bearer':
      return { type: 'bearer' as const, token: secret };
    case 'api_key_header':
      return { type: 'api_key_header' as const, header: state.auth_header, value: secret };
    case 'basic':
      return { type: 'basic' as const, username: state.auth_username, password: secret };
    case 'oauth2_client_credentials':
      // Optional parts left empty are left out: on a PATCH auth is replaced whole, so that clears them.
      return {
        type: 'oauth2_client_credentials' as const,
        client_id: state.auth_client_id,
        client_secret: secret,
        token_url: state.auth_token_url.trim() || undefined,
        scope: state.auth_scope.trim() || undefined,
        client_auth: state.auth_client_auth,
      };
    default:
      return { type: 'none' as const };
  }
}

/** Whether the form's authentication differs from the stored one, or must be completed (no stored secret). */
function authChanged(state: FormState, source: PublicSource): boolean {
  if (state.auth_type !== source.auth.type) return true;
  if (state.auth_type === 'none') return false;
  if (state.auth_secret !== '' || !source.auth.secret_set) return true;
  if (state.auth_type === 'api_key_header') return state.auth_header !== (source.auth.header ?? '');
  if (state.auth_type === 'basic') return state.auth_username !== (source.auth.username ?? '');
  if (state.auth_type === 'oauth2_client_credentials') {
    return (
      state.auth_client_id !== (source.auth.client_id ?? '') ||
      state.auth_token_url.trim() !== (source.auth.token_url ?? '') ||
      state.auth_scope.trim() !== (source.auth.scope ?? '') ||
      state.auth_client_auth !== (source.auth.client_auth ?? DEFAULT_CLIENT_AUTH)
    );
  }
  return false;
}

/** What the form needs of a connector: plain data from the server page (lib/sync/connectors/catalog.ts). */
export type FormConnector = Pick<ConnectorChoice, 'id' | 'auth' | 'baseUrlTemplate' | 'rateLimit'>;

/**
 * The user name stored for a connector whose only credential is the secret (BambooHR: the API key
 * is sent as the Basic user). The API wants a user name with basic auth; the engine does not send
 * this one, it only tells a reader of the source what the secret is.
 */
export const SECRET_ONLY_USERNAME = 'api-key';

/**
 * The auth types a connector allows on the form: a named system takes the one its API documents
 * (BambooHR and HiBob basic, Personio OAuth2), so no other is offered; our own receivers take any.
 */
export function authTypesFor(connectorAuth: string | undefined): AuthType[] {
  if (connectorAuth && Object.hasOwn(AUTH_TYPES, connectorAuth)) return [connectorAuth as AuthType];
  return Object.keys(AUTH_TYPES) as AuthType[];
}

/** The connector's default base URL for these settings, or null while a setting it needs is empty. */
export function defaultBaseUrl(connector: FormConnector | undefined, settings: Record<string, string>): string | null {
  if (!connector?.baseUrlTemplate) return null;
  let missing = false;
  const url = connector.baseUrlTemplate.replace(/\{([A-Za-z0-9_]+)\}/g, (_, key: string) => {
    const value = settings[key]?.trim() ?? '';
    if (!value) missing = true;
    return encodeURIComponent(value);
  });
  return missing ? null : url;
}

/** A base URL the admin has not typed: empty, or the one the form filled in for the current connector and settings. */
function baseUrlUntouched(state: FormState, connector: FormConnector | undefined): boolean {
  return state.base_url.trim() === '' || state.base_url === defaultBaseUrl(connector, state.settings);
}

/**
 * What choosing a connector changes: its own settings start empty, its only auth type is
 * preselected, a base URL the admin did not type becomes the connector's default, its mapping
 * starts as the connector's default, and a request limit the admin did not type becomes the
 * vendor's documented one.
 */
export function connectorChanged(
  state: FormState,
  next: FormConnector | undefined,
  connectors: readonly FormConnector[],
): FormState {
  const id = next?.id ?? state.connector;
  const previous = connectors.find((c) => c.id === state.connector);
  const allowed = authTypesFor(next?.auth.type);
  const auth_type = allowed.includes(state.auth_type) ? state.auth_type : allowed[0];
  let auth_username = state.auth_username;
  if (next?.auth.secretOnly) auth_username = SECRET_ONLY_USERNAME;
  else if (previous?.auth.secretOnly && auth_username === SECRET_ONLY_USERNAME) auth_username = '';
  // Values a named system ignores are not kept hidden on the form, to be stored unseen.
  const envelope = envelopeApplies(next)
    ? {}
    : {
        sync_endpoint: '',
        method: 'POST' as const,
        signing_secret: '',
        headers: [],
        headers_dirty: state.headers_dirty || state.headers.length > 0,
        mapping: {},
      };
  return {
    ...state,
    ...envelope,
    connector: id,
    settings: {},
    target_mapping: null,
    max_requests_per_minute: limitUntouched(state, previous)
      ? numberText(next?.rateLimit.requestsPerMinute)
      : state.max_requests_per_minute,
    base_url: baseUrlUntouched(state, previous) ? (defaultBaseUrl(next, {}) ?? '') : state.base_url,
    auth_type,
    auth_username,
    auth_secret: auth_type === state.auth_type ? state.auth_secret : '',
  };
}

/** A request limit the admin has not typed: empty, or the one the current connector documents. */
function limitUntouched(state: FormState, connector: FormConnector | undefined): boolean {
  const text = state.max_requests_per_minute.trim();
  return text === '' || text === numberText(connector?.rateLimit.requestsPerMinute);
}

/** A connector setting typed: a base URL the admin did not type follows it (BambooHR's company domain is in the URL). */
export function settingChanged(
  state: FormState,
  connector: FormConnector | undefined,
  key: string,
  value: string,
): FormState {
  const settings = { ...state.settings, [key]: value };
  if (!baseUrlUntouched(state, connector)) return { ...state, settings };
  return { ...state, settings, base_url: defaultBaseUrl(connector, settings) ?? '' };
}

/** The settings the form sends: filled text fields only, so an empty one is left to the connector's default. */
export function settingsOf(settings: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v.trim() !== ''));
}

const sameSettings = (a: Record<string, string>, b: Record<string, unknown>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

const sameMapping = (a: Record<string, string | null>, b: Record<string, string | null>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => k in b && b[k] === v);

/**
 * The API body: everything for a new source; for an existing one only what changed (PATCH), so a
 * save never rewrites a field someone else changed meanwhile. Secrets left empty keep the stored ones.
 */
export function buildBody(state: FormState, source?: PublicSource): Record<string, unknown> {
  const limits = Object.fromEntries(LIMITS.map(({ name }) => [name, numberOf(state, name)])) as Record<
    LimitField,
    number | null | undefined
  >;
  if (!source) {
    const settings = settingsOf(state.settings);
    return {
      name: state.name,
      connector: state.connector,
      ...(Object.keys(settings).length > 0 ? { settings } : {}),
      base_url: state.base_url,
      sync_endpoint: state.sync_endpoint,
      method: state.method,
      field_mapping: mappingOf(state.mapping),
      ...(state.target_mapping ? { target_mapping: state.target_mapping } : {}),
      // Sent even when empty: an empty field means no limit, where the API's default is the vendor's.
      ...limits,
      is_active: state.is_active,
      ...(state.sync_mode ? { sync_mode: state.sync_mode } : {}),
      auth: authOf(state, false),
      headers: headersOf(state.headers),
      ...(state.signing_secret ? { signing_secret: state.signing_secret, signing_mode: state.signing_mode } : {}),
    };
  }
  const body: Record<string, unknown> = {};
  for (const field of ['name', 'connector', 'base_url', 'sync_endpoint', 'method', 'is_active'] as const) {
    if (state[field] !== source[field]) body[field] = state[field];
  }
  if (state.sync_mode && state.sync_mode !== source.sync_mode) body.sync_mode = state.sync_mode;
  for (const [field, value] of Object.entries(limits) as [LimitField, number | null | undefined][]) {
    if (value !== undefined && value !== source[field]) body[field] = value;
  }
  const settings = settingsOf(state.settings);
  // Another connector reads other settings: they are sent with it, checked against its schema.
  if (body.connector !== undefined || !sameSettings(settings, source.settings ?? {})) body.settings = settings;
  const mapping = mappingOf(state.mapping);
  if (!sameMapping(mapping, source.field_mapping)) body.field_mapping = mapping;
  if (JSON.stringify(state.target_mapping) !== JSON.stringify(source.target_mapping ?? null)) {
    body.target_mapping = state.target_mapping;
  }
  if (authChanged(state, source)) {
    body.auth = authOf(state, source.auth.secret_set && source.auth.type === state.auth_type);
  }
  if (state.headers_dirty) body.headers = headersOf(state.headers);
  if (state.remove_signing) body.signing_secret = null;
  else if (state.signing_secret) body.signing_secret = state.signing_secret;
  if (state.signing_mode !== source.signing_mode) body.signing_mode = state.signing_mode;
  return body;
}

/** A new secret in place of the typed one: `whsec_` + base64 of 32 random bytes, good for either mode. */
export function withGeneratedSecret(state: FormState): FormState {
  return { ...state, signing_secret: generateSigningSecret(), remove_signing: false };
}

/** A typed secret the chosen mode cannot sign with, in the API's words (it checks the same rules). */
export function signingIssue(state: FormState): string | null {
  if (state.signing_mode !== 'standard' || !state.signing_secret || state.remove_signing) return null;
  return standardSecretProblem(state.signing_secret);
}

/** Problems the schemas cannot see: headers named twice or left without a name, write-only values not re-entered. */
export function headerIssue(state: FormState): string | null {
  const named = state.headers.filter((r) => r.name.trim() || r.value);
  if (named.some((r) => !r.name.trim())) return 'Give every header a name, or remove the row.';
  const names = named.map((r) => r.name.trim().toLowerCase());
  if (new Set(names).size !== names.length) return 'Each header can be set only once.';
  const masked = named.find((r) => r.masked && r.value === '');
  if (state.headers_dirty && masked)
    return `Re-enter the value of ${masked.name}: values of credential-like headers are write-only, and the headers are saved together.`;
  return null;
}

/** A number field the API would refuse, in the words of its hint rather than the schema's. */
function limitIssue(state: FormState, field: LimitField): string | null {
  const value = numberOf(state, field);
  if (value === undefined || value === null) return null;
  const { min, max } = rangeOf(field);
  return Number.isInteger(value) && value >= min && value <= max ? null : `Enter a whole number from ${between(field)}`;
}

// The API names the parts of `auth`; the form shows each in its own field.
export function fieldPath(path: string): string {
  if (/^auth\.(token|value|password|client_secret)$/.test(path)) return 'auth_secret';
  if (path === 'auth.header') return 'auth_header';
  if (path === 'auth.username') return 'auth_username';
  const oauth2 = /^auth\.(client_id|token_url|scope|client_auth)$/.exec(path);
  if (oauth2) return `auth_${oauth2[1]}`;
  if (path === 'auth' || path.startsWith('auth.')) return 'auth_type';
  if (path.startsWith('settings.')) return 'settings';
  return path;
}

export function issuesToErrors(
  issues: { path: string; message: string }[],
  message = 'Check the form and try again.',
): FormErrors<SourceFormField> {
  const placed = issues.map((i) => ({ path: fieldPath(i.path), message: i.message }));
  return formErrorsFromApi(new ApiError(422, 'validation_failed', message, placed), FIELDS);
}

export type Checked =
  | { ok: true; input: CreateSourceInput | UpdateSourceInput }
  | { ok: false; errors: FormErrors<SourceFormField> };

/** The form checked with the API's own schema before a round-trip, plus what only the form can see. */
export function checkForm(state: FormState, source?: PublicSource): Checked {
  const body = buildBody(state, source);
  if (source && Object.keys(body).length === 0)
    return { ok: false, errors: { fields: {}, message: 'Nothing to save: no field was changed.' } };
  const parsed = (source ? updateSourceSchema : createSourceSchema).safeParse(body);
  // The form's own words first: a field shows the first message given for it.
  const issues: { path: string; message: string }[] = [];
  for (const { name } of LIMITS) {
    const problem = limitIssue(state, name);
    if (problem) issues.push({ path: name, message: problem });
  }
  const headerProblem = headerIssue(state);
  if (headerProblem) issues.push({ path: 'headers', message: headerProblem });
  const signingProblem = signingIssue(state);
  if (signingProblem) issues.push({ path: 'signing_secret', message: signingProblem });
  if (!parsed.success) {
    for (const i of parsed.error.issues) issues.push({ path: i.path.map(String).join('.'), message: i.message });
  }
  if (parsed.success && issues.length === 0) return { ok: true, input: parsed.data };
  return { ok: false, errors: issuesToErrors(issues) };
}

/** Rethrows an API validation failure with paths the form's fields answer to. */
export function withFormPaths(err: unknown): unknown {
  if (err instanceof ApiError && err.code === 'validation_failed' && Array.isArray(err.details)) {
    const details = (err.details as { path: string; message: string }[]).map((d) => ({
      path: fieldPath(d.path),
      // Several settings share one place on the form: each message says which one it is about.
      message: d.path.startsWith('settings.') ? `${d.path.slice('settings.'.length)}: ${d.message}` : d.message,
    }));
    return new ApiError(err.status, err.code, err.message, details);
  }
  return err;
}

// What the preview gets for a secret typed on the form: it only says that one is set (the preview
// masks every credential), so what the admin types is not sent before they save.
const TYPED_SECRET = 'typed-on-the-form';

/**
 * The body of POST /api/v1/sources/preview for the form as it is: the whole form for a new
 * source; for an existing one its id and the form's fields (the stored secrets fill what is left
 * empty, as a save would keep them).
 */
export function previewBodyOf(
  state: FormState,
  source: PublicSource | undefined,
  candidateId: string | null,
): PreviewSourceInput {
  const auth = authOf(state, false);
  const secretTyped = state.auth_secret !== '';
  const typedAuth: NonNullable<PreviewSourceInput['auth']> =
    auth.type === 'none'
      ? auth
      : {
          ...auth,
          ...(auth.type === 'bearer' ? { token: secretTyped ? TYPED_SECRET : undefined } : {}),
          ...(auth.type === 'api_key_header' ? { value: secretTyped ? TYPED_SECRET : undefined } : {}),
          ...(auth.type === 'basic' ? { password: secretTyped ? TYPED_SECRET : undefined } : {}),
          ...(auth.type === 'oauth2_client_credentials'
            ? { client_secret: secretTyped ? TYPED_SECRET : undefined }
            : {}),
        };
  const headers = !source || state.headers_dirty ? headersOf(state.headers) : undefined;
  return {
    ...(source ? { source_id: source.id } : {}),
    ...(candidateId ? { candidate_id: candidateId } : {}),
    connector: state.connector,
    settings: settingsOf(state.settings),
    base_url: state.base_url.trim(),
    sync_endpoint: state.sync_endpoint.trim(),
    method: state.method,
    auth: typedAuth,
    signing_secret: state.remove_signing ? null : state.signing_secret ? TYPED_SECRET : undefined,
    signing_mode: state.signing_mode,
    ...(headers ? { headers } : {}),
    field_mapping: mappingOf(state.mapping),
    target_mapping: state.target_mapping,
  };
}

const SECRET_LABELS: Partial<Record<AuthType, string>> = {
  bearer: 'Token',
  basic: 'Password',
  api_key_header: 'Header value',
  oauth2_client_credentials: 'Client secret',
};

/**
 * The form's name for a path the preview or the API names (`auth.password` -> BambooHR's "API
 * key", `target_mapping.firstName` -> "First name"), so a problem reads in the admin's words.
 */
export function formLabelOf(
  path: string,
  connector: Pick<ConnectorChoice, 'settingFields' | 'auth' | 'targetFields'> | undefined,
  authType: AuthType,
): string | null {
  const vendor = (stores: 'auth_username' | 'auth_secret') =>
    connector?.auth.type === authType ? connector.auth.fields.find((f) => f.stores === stores)?.label : undefined;
  if (path === 'base_url') return 'Base URL';
  if (path === 'auth.token_url') return 'Token URL';
  if (path === 'auth.username' || path === 'auth.client_id') {
    return vendor('auth_username') ?? (path === 'auth.client_id' ? 'Client ID' : 'Username');
  }
  if (['auth.password', 'auth.token', 'auth.value', 'auth.client_secret'].includes(path)) {
    return vendor('auth_secret') ?? SECRET_LABELS[authType] ?? null;
  }
  if (path.startsWith('settings.')) {
    return connector?.settingFields.find((f) => `settings.${f.key}` === path)?.label ?? null;
  }
  if (path.startsWith('target_mapping.')) {
    const fields = connector?.targetFields ?? [];
    const key = fieldOfPath(
      path,
      fields.map((f) => f.key),
    );
    return fields.find((f) => f.key === key)?.label ?? null;
  }
  return null;
}
