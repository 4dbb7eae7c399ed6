import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/client/api-fetch';
import { createSourceSchema, type PublicSource } from '@/lib/sources/schemas';
import { connectorChoices } from '@/lib/sync/connectors/catalog';
import {
  DEFAULTS,
  type FormState,
  LIMITS,
  authTypesFor,
  buildBody,
  checkForm,
  connectorChanged,
  defaultBaseUrl,
  type FormConnector,
  formLabelOf,
  initialState,
  newHeaderRow,
  previewBodyOf,
  rangeOf,
  SECRET_ONLY_USERNAME,
  settingChanged,
  signingIssue,
  withFormPaths,
  withGeneratedSecret,
} from './source-form';
import { envelopeApplies } from './labels';

// The registry's connectors as the server page hands them to the form.
const CONNECTORS: FormConnector[] = connectorChoices();
function connector(id: string): FormConnector {
  const found = CONNECTORS.find((c) => c.id === id);
  if (!found) throw new Error(`no connector ${id}`);
  return found;
}

function stored(overrides: Partial<PublicSource> = {}): PublicSource {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    name: 'HRIS',
    connector: 'generic_webhook',
    settings: {},
    base_url: 'https://hris.example.com',
    sync_endpoint: '/hires',
    method: 'POST',
    auth: { type: 'bearer', header: null, username: null, secret_set: true, secret_mask: '••••9f3c' },
    signing_secret: { secret_set: true, mask: '••••beef' },
    signing_mode: 'standard',
    headers: { 'X-Tenant': 'acme', 'X-Api-Secret': '••••1234' },
    field_mapping: { 'candidate.email': 'work_email', 'candidate.phone': null },
    target_mapping: null,
    timeout_ms: 30_000,
    max_concurrency: 8,
    batch_size: 10,
    max_attempts: 3,
    max_requests_per_minute: null,
    is_active: true,
    sync_mode: 'manual',
    health: { status: 'healthy', checked_at: null, error: null, last_success_at: null, consecutive_failures: 0 },
    pause: null,
    created_at: '2026-12-01T00:00:00.000Z',
    updated_at: '2026-12-01T00:00:00.000Z',
    ...overrides,
  };
}

function newForm(patch: Partial<FormState> = {}): FormState {
  return { ...initialState(), name: 'Payroll', base_url: 'https://payroll.example.com', ...patch };
}

function editForm(source: PublicSource, patch: Partial<FormState> = {}): FormState {
  return { ...initialState(source), ...patch };
}

describe('a new source', () => {
  it('starts with the API defaults and no request limit', () => {
    const api = createSourceSchema.parse({ name: 'x', connector: 'generic_webhook', base_url: 'https://x.example' });
    expect(DEFAULTS).toMatchObject({
      timeout_ms: api.timeout_ms,
      max_concurrency: api.max_concurrency,
      max_attempts: api.max_attempts,
    });
    expect(api.max_requests_per_minute).toBeUndefined();
    const state = initialState();
    expect(state.max_requests_per_minute).toBe('');
    expect(state.timeout_ms).toBe('30000');
    expect(state.auth_type).toBe('none');
  });

  it('sends every field, numbers as numbers, and an empty request limit as null (no limit)', () => {
    const body = buildBody(
      newForm({
        max_concurrency: '16',
        auth_type: 'basic',
        auth_username: 'svc',
        auth_secret: 'pw',
        headers: [newHeaderRow('X-Tenant', 'acme'), newHeaderRow('', '')],
        mapping: { 'candidate.email': { target: 'email', omit: false }, 'job.id': { target: 'posting', omit: false } },
      }),
    );
    expect(body).toEqual({
      name: 'Payroll',
      connector: 'generic_webhook',
      base_url: 'https://payroll.example.com',
      sync_endpoint: '',
      method: 'POST',
      field_mapping: { 'job.id': 'posting' },
      timeout_ms: 30_000,
      max_concurrency: 16,
      batch_size: 10,
      max_attempts: 3,
      // Explicit: left out, the API would take the connector's documented limit.
      max_requests_per_minute: null,
      is_active: true,
      auth: { type: 'basic', username: 'svc', password: 'pw' },
      headers: { 'X-Tenant': 'acme' },
    });
  });

  it('sends max_requests_per_minute when one is given', () => {
    const checked = checkForm(newForm({ max_requests_per_minute: '600' }));
    expect(checked.ok && checked.input).toMatchObject({ max_requests_per_minute: 600 });
  });

  it('asks for the secret of the chosen authentication', () => {
    const checked = checkForm(newForm({ auth_type: 'bearer' }));
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.errors.fields).toEqual({ auth_secret: 'Required' });
  });
});

describe('an existing source', () => {
  it('sends nothing when nothing changed, and says so instead of saving', () => {
    const source = stored();
    expect(buildBody(editForm(source), source)).toEqual({});
    expect(checkForm(editForm(source), source)).toEqual({
      ok: false,
      errors: { fields: {}, message: 'Nothing to save: no field was changed.' },
    });
  });

  it('sends sync_mode only when the admin set it: left alone, the connector decides (issue 21)', () => {
    expect(buildBody(newForm())).not.toHaveProperty('sync_mode');
    expect(buildBody(newForm({ sync_mode: 'auto' }))).toMatchObject({ sync_mode: 'auto' });
    const source = stored();
    expect(initialState(source).sync_mode).toBe('manual');
    expect(buildBody(editForm(source), source)).toEqual({});
    expect(buildBody(editForm(source, { sync_mode: 'auto' }), source)).toEqual({ sync_mode: 'auto' });
  });

  it('sends only the fields that changed (PATCH)', () => {
    const source = stored();
    const checked = checkForm(editForm(source, { name: 'HRIS EU', max_concurrency: '4' }), source);
    expect(checked).toEqual({ ok: true, input: { name: 'HRIS EU', max_concurrency: 4 } });
  });

  it('sets, changes and clears the request limit: empty means no limit (null)', () => {
    const unlimited = stored();
    expect(buildBody(editForm(unlimited, { max_requests_per_minute: '1200' }), unlimited)).toEqual({
      max_requests_per_minute: 1200,
    });
    const limited = stored({ max_requests_per_minute: 600 });
    expect(initialState(limited).max_requests_per_minute).toBe('600');
    expect(buildBody(editForm(limited, { max_requests_per_minute: ' ' }), limited)).toEqual({
      max_requests_per_minute: null,
    });
    expect(checkForm(editForm(limited, { max_requests_per_minute: '' }), limited)).toEqual({
      ok: true,
      input: { max_requests_per_minute: null },
    });
  });

  it('keeps stored secrets unless a new one is typed, and sends auth whole when it changes', () => {
    const source = stored();
    expect(buildBody(editForm(source, { auth_secret: 'new-token' }), source)).toEqual({
      auth: { type: 'bearer', token: 'new-token' },
    });
    const switched = checkForm(editForm(source, { auth_type: 'api_key_header', auth_header: 'X-Key' }), source);
    expect(!switched.ok && switched.errors.fields).toEqual({ auth_secret: 'Required' });
    const keyed = stored({
      auth: { type: 'api_key_header', header: 'X-Key', username: null, secret_set: true, secret_mask: '••••aaaa' },
    });
    expect(buildBody(editForm(keyed, { auth_header: 'X-Other' }), keyed)).toEqual({
      auth: { type: 'api_key_header', header: 'X-Other', value: undefined },
    });
  });

  it('asks for the secret again when the stored one was cleared', () => {
    const cleared = stored({
      auth: { type: 'bearer', header: null, username: null, secret_set: false, secret_mask: null },
    });
    const checked = checkForm(editForm(cleared, { name: 'HRIS 2' }), cleared);
    expect(!checked.ok && checked.errors.fields).toEqual({ auth_secret: 'Required' });
  });

  it('sends the signing secret only when typed, and null to remove it', () => {
    const source = stored();
    expect(buildBody(editForm(source, { signing_secret: 's'.repeat(16) }), source)).toEqual({
      signing_secret: 's'.repeat(16),
    });
    expect(buildBody(editForm(source, { remove_signing: true }), source)).toEqual({ signing_secret: null });
  });

  it('sends the field mapping only when it changed, renames and omissions only', () => {
    const source = stored();
    const state = editForm(source);
    expect(state.mapping).toEqual({
      'candidate.email': { target: 'work_email', omit: false },
      'candidate.phone': { target: '', omit: true },
    });
    const renamedBack = { ...state.mapping, 'candidate.email': { target: 'email', omit: false } };
    expect(buildBody({ ...state, mapping: renamedBack }, source)).toEqual({
      field_mapping: { 'candidate.phone': null },
    });
  });

  it('sends the headers whole once edited, and wants masked values re-entered', () => {
    const source = stored();
    const state = editForm(source);
    expect(state.headers.map(({ name, value, masked }) => ({ name, value, masked }))).toEqual([
      { name: 'X-Tenant', value: 'acme', masked: null },
      { name: 'X-Api-Secret', value: '', masked: '••••1234' },
    ]);
    const edited = { ...state, headers_dirty: true, headers: [...state.headers, newHeaderRow('X-Region', 'eu')] };
    const checked = checkForm(edited, source);
    expect(!checked.ok && checked.errors.fields.headers).toMatch(/^Re-enter the value of X-Api-Secret/);
    const reentered = { ...edited, headers: edited.headers.map((h) => (h.masked ? { ...h, value: 'secret' } : h)) };
    expect(checkForm(reentered, source)).toEqual({
      ok: true,
      input: { headers: { 'X-Tenant': 'acme', 'X-Api-Secret': 'secret', 'X-Region': 'eu' } },
    });
  });
});

describe('OAuth2 client credentials', () => {
  const oauth2 = (auth: Partial<PublicSource['auth']> = {}) =>
    stored({
      connector: 'personio',
      base_url: 'https://api.personio.de',
      sync_endpoint: '',
      auth: {
        type: 'oauth2_client_credentials',
        client_id: 'papi-client-1',
        token_url: null,
        scope: null,
        client_auth: null,
        secret_set: true,
        secret_mask: '••••c0de',
        ...auth,
      },
    });

  it('shows the stored client id, token URL, scope and client authentication, never the secret', () => {
    const state = initialState(
      oauth2({ token_url: '/oauth/token', scope: 'persons:write', client_auth: 'client_secret_basic' }),
    );
    expect(state).toMatchObject({
      auth_type: 'oauth2_client_credentials',
      auth_client_id: 'papi-client-1',
      auth_token_url: '/oauth/token',
      auth_scope: 'persons:write',
      auth_client_auth: 'client_secret_basic',
      auth_secret: '',
    });
    // Nothing stored: the form shows the engine's default, and an untouched form saves nothing.
    const plain = oauth2();
    expect(initialState(plain)).toMatchObject({
      auth_token_url: '',
      auth_scope: '',
      auth_client_auth: 'client_secret_post',
    });
    expect(buildBody(editForm(plain), plain)).toEqual({});
  });

  it('creates a source with the client id and secret, leaving empty optional parts out', () => {
    const checked = checkForm(
      newForm({
        connector: 'personio',
        auth_type: 'oauth2_client_credentials',
        auth_client_id: 'papi-client-1',
        auth_secret: 'client-secret',
        auth_scope: ' ',
      }),
    );
    expect(checked.ok && checked.input.connector).toBe('personio');
    // As sent: JSON leaves the undefined parts out.
    expect(checked.ok && JSON.parse(JSON.stringify(checked.input.auth))).toEqual({
      type: 'oauth2_client_credentials',
      client_id: 'papi-client-1',
      client_secret: 'client-secret',
      client_auth: 'client_secret_post',
    });
  });

  it('asks for the client id and secret on their own fields', () => {
    const checked = checkForm(newForm({ auth_type: 'oauth2_client_credentials', auth_token_url: 'ftp://x' }));
    expect(!checked.ok && checked.errors.fields).toEqual({
      auth_client_id: 'Required',
      auth_secret: 'Required',
      auth_token_url: 'Must be an http(s) URL, or a path relative to base_url starting with /',
    });
  });

  it('sends auth whole on a change, keeping the stored secret when none is typed', () => {
    const source = oauth2({ scope: 'persons:write' });
    const checked = checkForm(
      editForm(source, { auth_token_url: 'https://auth.example.com/token', auth_client_auth: 'client_secret_basic' }),
      source,
    );
    expect(checked).toEqual({
      ok: true,
      input: {
        auth: {
          type: 'oauth2_client_credentials',
          client_id: 'papi-client-1',
          token_url: 'https://auth.example.com/token',
          scope: 'persons:write',
          client_auth: 'client_secret_basic',
        },
      },
    });
    expect(buildBody(editForm(source, { auth_secret: 'rotated' }), source)).toMatchObject({
      auth: { client_id: 'papi-client-1', client_secret: 'rotated' },
    });
    // Switching from another type needs a secret: none is stored for OAuth2.
    const bearer = stored();
    const switched = checkForm(
      editForm(bearer, { auth_type: 'oauth2_client_credentials', auth_client_id: 'c', auth_token_url: '/token' }),
      bearer,
    );
    expect(!switched.ok && switched.errors.fields).toEqual({ auth_secret: 'Required' });
  });

  it('offers only OAuth2 for a connector that takes only it, and preselects it', () => {
    expect(authTypesFor('oauth2_client_credentials')).toEqual(['oauth2_client_credentials']);
    expect(authTypesFor('per_source')).toEqual([
      'none',
      'bearer',
      'api_key_header',
      'basic',
      'oauth2_client_credentials',
    ]);
    const typed = newForm({ auth_type: 'bearer', auth_secret: 'tok', settings: { x: 'y' } });
    expect(connectorChanged(typed, connector('personio'), CONNECTORS)).toMatchObject({
      connector: 'personio',
      settings: {},
      auth_type: 'oauth2_client_credentials',
      auth_secret: '',
    });
    // Leaving it keeps the auth chosen, which the other connectors take with a token URL.
    const chosen = newForm({ connector: 'personio', auth_type: 'oauth2_client_credentials', auth_secret: 's' });
    expect(connectorChanged(chosen, connector('generic_webhook'), CONNECTORS)).toMatchObject({
      auth_type: 'oauth2_client_credentials',
      auth_secret: 's',
    });
  });
});

describe('validation messages', () => {
  it('reads the bounds of every number field from the API schema', () => {
    expect(rangeOf('max_requests_per_minute')).toEqual({ min: 1, max: 100_000 });
    expect(rangeOf('max_concurrency')).toEqual({ min: 1, max: 64 });
    const hints = Object.fromEntries(LIMITS.map((l) => [l.name, l.hint('rest_batch')]));
    expect(hints.max_requests_per_minute).toBe('Across all workers, 1 to 100,000; empty: no limit');
    expect(hints.timeout_ms).toBe('1,000 to 60,000');
  });

  it('explains a number out of range or not whole in the words of the hint', () => {
    const checked = checkForm(newForm({ max_requests_per_minute: '0', max_concurrency: '2.5', timeout_ms: '99999' }));
    expect(!checked.ok && checked.errors.fields).toEqual({
      max_requests_per_minute: 'Enter a whole number from 1 to 100,000',
      max_concurrency: 'Enter a whole number from 1 to 64',
      timeout_ms: 'Enter a whole number from 1,000 to 60,000',
    });
  });

  it('finds header rows without a name or named twice', () => {
    const unnamed = checkForm(newForm({ headers: [newHeaderRow('', 'x')] }));
    expect(!unnamed.ok && unnamed.errors.fields.headers).toBe('Give every header a name, or remove the row.');
    const twice = checkForm(newForm({ headers: [newHeaderRow('X-A', '1'), newHeaderRow('x-a', '2')] }));
    expect(!twice.ok && twice.errors.fields.headers).toBe('Each header can be set only once.');
  });
});

describe('server errors', () => {
  it('puts the parts of auth next to the fields that show them', () => {
    const err = withFormPaths(
      new ApiError(422, 'validation_failed', 'Invalid source', [
        { path: 'auth.token', message: 'must not contain line breaks' },
        { path: 'auth.header', message: 'must be a valid HTTP header name' },
        { path: 'max_requests_per_minute', message: 'too big' },
      ]),
    ) as ApiError;
    expect(err.details).toEqual([
      { path: 'auth_secret', message: 'must not contain line breaks' },
      { path: 'auth_header', message: 'must be a valid HTTP header name' },
      { path: 'max_requests_per_minute', message: 'too big' },
    ]);
  });

  it('puts the parts of OAuth2 auth next to their fields', () => {
    const err = withFormPaths(
      new ApiError(422, 'validation_failed', 'Invalid source', [
        { path: 'auth.client_id', message: 'is required' },
        { path: 'auth.client_secret', message: 'is required when the token URL moves to another origin' },
        { path: 'auth.token_url', message: 'is required: Webhook has no token endpoint of its own' },
        { path: 'auth.scope', message: 'too long' },
        { path: 'auth.type', message: 'Personio takes oauth2_client_credentials' },
      ]),
    ) as ApiError;
    expect(err.details).toEqual([
      { path: 'auth_client_id', message: 'is required' },
      { path: 'auth_secret', message: 'is required when the token URL moves to another origin' },
      { path: 'auth_token_url', message: 'is required: Webhook has no token endpoint of its own' },
      { path: 'auth_scope', message: 'too long' },
      { path: 'auth_type', message: 'Personio takes oauth2_client_credentials' },
    ]);
  });

  it('passes other errors through untouched', () => {
    const conflict = new ApiError(409, 'name_taken', 'A source named "HRIS" already exists');
    expect(withFormPaths(conflict)).toBe(conflict);
  });
});

describe('named HR systems', () => {
  const fresh = () => ({ ...initialState(), name: 'HR' });

  it('offers a named system only the auth its API takes', () => {
    expect(authTypesFor(connector('bamboohr').auth.type)).toEqual(['basic']);
    expect(authTypesFor(connector('hibob').auth.type)).toEqual(['basic']);
  });

  it("prefills BambooHR's base URL from the company domain while the admin has not typed one", () => {
    let state = connectorChanged(fresh(), connector('bamboohr'), CONNECTORS);
    // The URL needs the company domain: nothing to prefill yet.
    expect(state.base_url).toBe('');
    state = settingChanged(state, connector('bamboohr'), 'company_domain', 'acme');
    expect(state.base_url).toBe('https://acme.bamboohr.com/api/v1');
    // It follows the domain as it is corrected...
    state = settingChanged(state, connector('bamboohr'), 'company_domain', 'acme-eu');
    expect(state.base_url).toBe('https://acme-eu.bamboohr.com/api/v1');
    // ...until the admin types their own (a proxy), which stays.
    state = { ...state, base_url: 'http://127.0.0.1:4219/bamboo' };
    state = settingChanged(state, connector('bamboohr'), 'company_domain', 'acme');
    expect(state.base_url).toBe('http://127.0.0.1:4219/bamboo');
  });

  it('prefills a fixed base URL on choosing the connector, and replaces only one the form filled in', () => {
    const hibob = connectorChanged(fresh(), connector('hibob'), CONNECTORS);
    expect(hibob.base_url).toBe('https://api.hibob.com/v1');
    // The prefilled HiBob URL is not the admin's: choosing Personio replaces it, a webhook clears it.
    expect(connectorChanged(hibob, connector('personio'), CONNECTORS).base_url).toBe('https://api.personio.de');
    expect(connectorChanged(hibob, connector('generic_webhook'), CONNECTORS).base_url).toBe('');
    const typed = { ...fresh(), base_url: 'https://hooks.example.com' };
    expect(connectorChanged(typed, connector('hibob'), CONNECTORS).base_url).toBe('https://hooks.example.com');
  });

  it('builds the URL with the setting encoded, and none while the setting is blank', () => {
    expect(defaultBaseUrl(connector('bamboohr'), { company_domain: ' acme ' })).toBe(
      'https://acme.bamboohr.com/api/v1',
    );
    expect(defaultBaseUrl(connector('bamboohr'), { company_domain: 'a/b' })).toBe('https://a%2Fb.bamboohr.com/api/v1');
    expect(defaultBaseUrl(connector('bamboohr'), { company_domain: '  ' })).toBeNull();
    expect(defaultBaseUrl(connector('generic_webhook'), {})).toBeNull();
  });

  it('sends the BambooHR API key as the basic secret with the fixed user name the API needs', () => {
    let state = connectorChanged(fresh(), connector('bamboohr'), CONNECTORS);
    expect(state.auth_type).toBe('basic');
    state = settingChanged(state, connector('bamboohr'), 'company_domain', 'acme');
    state = { ...state, auth_secret: 'bamboo-api-key-0123456789' };
    const checked = checkForm(state);
    expect(checked.ok).toBe(true);
    expect(buildBody(state)).toMatchObject({
      connector: 'bamboohr',
      settings: { company_domain: 'acme' },
      base_url: 'https://acme.bamboohr.com/api/v1',
      auth: { type: 'basic', username: SECRET_ONLY_USERNAME, password: 'bamboo-api-key-0123456789' },
    });
    // Leaving BambooHR for a connector that asks for a user name does not keep the placeholder.
    expect(connectorChanged(state, connector('hibob'), CONNECTORS).auth_username).toBe('');
  });

  it('drops what only our own receivers use when a named system is chosen', () => {
    expect(CONNECTORS.filter(envelopeApplies).map((c) => c.id)).toEqual(['generic_webhook', 'rest_batch']);
    expect(envelopeApplies(undefined)).toBe(true);
    const webhook = {
      ...fresh(),
      sync_endpoint: '/hires',
      method: 'PUT' as const,
      signing_secret: 'a-signing-secret-0123',
      headers: [newHeaderRow('X-Tenant', 'acme')],
      mapping: { 'candidate.email': { target: 'work_email', omit: false } },
    };
    const bamboo = connectorChanged(webhook, connector('bamboohr'), CONNECTORS);
    expect(bamboo).toMatchObject({ sync_endpoint: '', method: 'POST', signing_secret: '', headers: [], mapping: {} });
    const body = buildBody({ ...bamboo, settings: { company_domain: 'acme' }, auth_secret: 'k'.repeat(20) });
    expect(body).toMatchObject({ sync_endpoint: '', method: 'POST', headers: {}, field_mapping: {} });
    expect(body).not.toHaveProperty('signing_secret');
    // Choosing another receiver of ours keeps what was typed.
    expect(connectorChanged(webhook, connector('rest_batch'), CONNECTORS)).toMatchObject({
      sync_endpoint: '/hires',
      method: 'PUT',
      signing_secret: 'a-signing-secret-0123',
    });
  });

  it('keeps the HiBob service user ID as the basic user name', () => {
    const state = {
      ...connectorChanged(fresh(), connector('hibob'), CONNECTORS),
      auth_username: 'SERVICE-123',
      auth_secret: 'hibob-token-0123456789',
    };
    expect(buildBody(state)).toMatchObject({
      connector: 'hibob',
      base_url: 'https://api.hibob.com/v1',
      auth: { type: 'basic', username: 'SERVICE-123', password: 'hibob-token-0123456789' },
    });
  });
});

describe('rate limit and target mapping', () => {
  const fresh = () => initialState();

  it("prefills the vendor's documented request limit on choosing a connector, unless one was typed", () => {
    const bob = connectorChanged(fresh(), connector('hibob'), CONNECTORS);
    expect(bob.max_requests_per_minute).toBe('50');
    expect(connectorChanged(bob, connector('personio'), CONNECTORS).max_requests_per_minute).toBe('60');
    expect(connectorChanged(bob, connector('bamboohr'), CONNECTORS).max_requests_per_minute).toBe('');
    const typed = { ...bob, max_requests_per_minute: '20' };
    expect(connectorChanged(typed, connector('personio'), CONNECTORS).max_requests_per_minute).toBe('20');
    expect(buildBody({ ...bob, max_requests_per_minute: '' })).toMatchObject({ max_requests_per_minute: null });
  });

  it("sends the source's own mapping, none for the default, and starts a new connector at its default", () => {
    const rules = { firstName: { from: 'candidate.first_name' }, lastName: { value: 'X' } };
    const bamboo = { ...connectorChanged(fresh(), connector('bamboohr'), CONNECTORS), target_mapping: rules };
    expect(buildBody(bamboo)).toMatchObject({ target_mapping: rules });
    expect(buildBody({ ...bamboo, target_mapping: null })).not.toHaveProperty('target_mapping');
    expect(connectorChanged(bamboo, connector('hibob'), CONNECTORS).target_mapping).toBeNull();
    const source = stored({ connector: 'bamboohr', target_mapping: rules });
    expect(initialState(source).target_mapping).toEqual(rules);
    expect(buildBody(initialState(source), source)).not.toHaveProperty('target_mapping');
    expect(buildBody({ ...initialState(source), target_mapping: null }, source)).toEqual({ target_mapping: null });
  });

  it('sends the preview the form as it is, a typed secret only as "set", and the stored source by id', () => {
    const bamboo = {
      ...connectorChanged(fresh(), connector('bamboohr'), CONNECTORS),
      settings: { company_domain: 'acme' },
      auth_secret: 'the-real-api-key-123',
    };
    const body = previewBodyOf(bamboo, undefined, null);
    expect(body).toMatchObject({ connector: 'bamboohr', settings: { company_domain: 'acme' }, target_mapping: null });
    expect(body.auth).toEqual({ type: 'basic', username: SECRET_ONLY_USERNAME, password: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain('the-real-api-key-123');
    expect(body).not.toHaveProperty('source_id');

    const source = stored();
    const edit = previewBodyOf(initialState(source), source, '00000000-0000-4000-8000-0000000000aa');
    expect(edit).toMatchObject({ source_id: source.id, candidate_id: '00000000-0000-4000-8000-0000000000aa' });
    // Empty secrets and untouched headers: the stored ones decide.
    expect(edit.auth).toEqual({ type: 'bearer', token: undefined });
    expect(edit.signing_secret).toBeUndefined();
    expect(edit).not.toHaveProperty('headers');
    expect(previewBodyOf({ ...initialState(source), remove_signing: true }, source, null).signing_secret).toBeNull();
  });
});

describe('signing mode', () => {
  it('is standard for a new source and the stored one for an existing source', () => {
    expect(initialState().signing_mode).toBe('standard');
    expect(initialState(stored({ signing_mode: 'legacy' })).signing_mode).toBe('legacy');
  });

  it('is sent with a secret on create, and on edit only when changed', () => {
    expect(buildBody(newForm())).not.toHaveProperty('signing_mode');
    const secret = withGeneratedSecret(newForm()).signing_secret;
    expect(buildBody(newForm({ signing_secret: secret }))).toMatchObject({
      signing_secret: secret,
      signing_mode: 'standard',
    });
    const source = stored({ signing_mode: 'legacy' });
    expect(buildBody(editForm(source, { name: 'HRIS 2' }), source)).toEqual({ name: 'HRIS 2' });
    expect(buildBody(editForm(source, { signing_mode: 'standard' }), source)).toEqual({ signing_mode: 'standard' });
    expect(previewBodyOf(editForm(source, { signing_mode: 'standard' }), source, null).signing_mode).toBe('standard');
  });

  it('generates whsec_ secrets and says before saving what standard mode refuses', () => {
    const generated = withGeneratedSecret(newForm({ remove_signing: true }));
    expect(generated.signing_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(generated.remove_signing).toBe(false);
    expect(withGeneratedSecret(newForm()).signing_secret).not.toBe(generated.signing_secret);
    expect(checkForm(generated)).toMatchObject({ ok: true });

    const plain = newForm({ signing_secret: 'a-plain-secret-of-the-old-kind' });
    expect(signingIssue(plain)).toMatch(/^must start with whsec_/);
    expect(checkForm(plain)).toMatchObject({
      ok: false,
      errors: { fields: { signing_secret: expect.stringMatching(/whsec_/) } },
    });
    expect(checkForm({ ...plain, signing_mode: 'legacy' })).toMatchObject({ ok: true });
  });
});

describe('formLabelOf', () => {
  const choices = connectorChoices();
  const bamboo = choices.find((c) => c.id === 'bamboohr')!;
  const hibob = choices.find((c) => c.id === 'hibob')!;
  it("names the preview's and the API's paths with the form's labels", () => {
    expect(formLabelOf('auth.password', bamboo, 'basic')).toBe('API key');
    expect(formLabelOf('target_mapping.firstName', bamboo, 'basic')).toBe('First name');
    expect(formLabelOf('target_mapping.work.site.from', hibob, 'basic')).toBe(
      hibob.targetFields.find((f) => f.key === 'work.site')!.label,
    );
    expect(formLabelOf('settings.company_domain', bamboo, 'basic')).toBe(bamboo.settingFields[0].label);
    expect(formLabelOf('base_url', undefined, 'none')).toBe('Base URL');
    expect(formLabelOf('auth.token', undefined, 'bearer')).toBe('Token');
    expect(formLabelOf('something.else', bamboo, 'basic')).toBeNull();
  });
});
