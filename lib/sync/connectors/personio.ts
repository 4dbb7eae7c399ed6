import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { type HttpResult, parseRetryAfter } from '@/lib/http/outbound-client';
import { storableText } from '../redact-secrets';
import {
  type ActionItem,
  type ConnectorAction,
  type ConnectorModule,
  RECORD_GONE,
  type RequestContext,
  type TargetRecord,
  type TargetValue,
} from './contract';
import { parseJson } from './outcomes';
import { dateOnly, networkVerdict, outcomesOf } from './per-record';
import type { Outcome } from './types';

/**
 * Personio, through its Public API v2 (Person & Employment endpoints, OAuth2 client credentials).
 *
 * Built from Personio's public documentation:
 * - https://developer.personio.de/reference/post_v2-auth-token (token: form-encoded client
 *   credentials grant, `access_token` + `expires_in`; documented `error` answers such as
 *   invalid_client, unauthorized_client, invalid_scope)
 * - https://developer.personio.de/v2.0/reference/authentication (150 token requests per minute, a
 *   token is stable for 24 hours and may be used in parallel)
 * - https://developer.personio.de/reference/post_v2-persons (create a Person with its Employment,
 *   201; first_name and last_name required, email unique; scope personio:persons:write)
 * - https://developer.personio.de/reference/patch_v2-persons-person-id (update a Person, 204)
 * - https://developer.personio.de/reference/patch_v2-persons-person-id-employments-employment-id
 *   (update an Employment: status, start date, position, office, org units; 204)
 * - https://developer.personio.de/v2.0/reference/get_v2-persons (list persons; needs
 *   personio:persons:read; used as the connection test)
 * - https://developer.personio.de/v2.0/page/public-api-error-codes and
 *   github.com/personio/api-docs sample-error-response-v2.yaml (v2 error answers: `errors` with
 *   `title` and `detail`; 403 "Insufficient access scope")
 * - https://developer.personio.de/changelog/rate-limits-on-get-employees-endpoint-may-6-2024
 *   (a 429 is retried after at least 1 second)
 *
 * Why v2 and not v1: v1 authenticates with a non-standard `POST /v1/auth` (JSON body, token inside
 * `data.token`, historically rotated on every answer), while v2's `/v2/auth/token` is a standard
 * OAuth2 client-credentials endpoint with scopes, so the shared OAuth2 token cache serves it like any
 * other OAuth2 target; Personio announced the Person & Employment v2 APIs as generally available and
 * builds its new features (webhooks, scopes, token revocation) on v2 only. Personio has published
 * no shutdown date for v1 employees that we found; v2 is where its changes are announced.
 *
 * The external id we keep is `<person id>/<employment id>`: withdrawing ends the employment, which
 * the v2 API addresses by both ids.
 *
 * Hired again after a withdrawal, the same employment is made current again: PATCH of the
 * Employment with its status (the mapped one, else ONBOARDING until the start date and ACTIVE
 * from it, the way Personio itself switches a new employee) and the mapped employment attributes,
 * the new employment_start_date among them. The Employment schema documents both as writable
 * (status ONBOARDING | ACTIVE | LEAVE | INACTIVE, employment_start_date "when the employment
 * contract starts") and no rule against leaving INACTIVE. A new person is not created instead:
 * the email is unique in Personio, so the withdrawn person keeps it and a second create is refused.
 * Not verified (Personio publishes nothing on it): whether Personio records the return in the
 * person's history beyond the status change. Person attributes (names, email) changed while the
 * hire was withdrawn are not in this request; the next edit of a mapped field sends them. A 404
 * (the person or employment was deleted in Personio since) is record_gone: the engine creates a
 * new person in the same attempt.
 */

export const personioSettingsSchema = z.strictObject({
  /** The company's Personio web address part (`acme` in acme.app.personio.com), for record links only. */
  company_subdomain: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/i, 'letters, digits and dashes')
    .optional(),
  /** Personio asks partners to identify themselves with these headers (optional for customers). */
  partner_id: z.string().trim().max(100).optional(),
  app_id: z.string().trim().max(100).optional(),
});
export type PersonioSettings = z.infer<typeof personioSettingsSchema>;

const EMPLOYMENT_STATUSES = ['ONBOARDING', 'ACTIVE', 'LEAVE', 'INACTIVE'] as const;
const EMPLOYMENT_TYPES = ['INTERNAL', 'EXTERNAL'] as const;

/** Employment attributes, in the nested shape the v2 body takes (`employment.office.id` -> `office: {id}`). */
const EMPLOYMENT_FIELDS: Record<string, (employment: Record<string, unknown>, value: TargetValue) => void> = {
  // The mapping's key stays `employment.start_date`; the v2 Employment schema names it employment_start_date.
  'employment.start_date': (e, v) => {
    e.employment_start_date = v;
  },
  'employment.status': (e, v) => {
    e.status = v;
  },
  'employment.type': (e, v) => {
    e.type = v;
  },
  'employment.position.title': (e, v) => {
    e.position = { title: v };
  },
  'employment.office.id': (e, v) => {
    e.office = { id: String(v) };
  },
  'employment.department.id': (e, v) => {
    // Org unit types are lower case in the v2 Employment schema ("team or department").
    e.org_units = [{ id: String(v), type: 'department' }];
  },
  'employment.weekly_working_hours': (e, v) => {
    e.weekly_working_hours = typeof v === 'string' ? Number(v) : v;
  },
};
const PERSON_FIELDS = ['first_name', 'last_name', 'email', 'preferred_name'] as const;

function present(v: TargetValue | undefined): v is Exclude<TargetValue, null> {
  return v !== undefined && v !== null && v !== '';
}

function personBody(record: TargetRecord): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of PERSON_FIELDS) if (present(record[key])) body[key] = record[key];
  return body;
}

function employmentBody(record: TargetRecord): Record<string, unknown> {
  const employment: Record<string, unknown> = {};
  for (const [key, apply] of Object.entries(EMPLOYMENT_FIELDS)) {
    const v = record[key];
    if (present(v)) apply(employment, v);
  }
  return employment;
}

function headersOf(settings: PersonioSettings, idempotencyKey: string): Record<string, string> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/json',
    'idempotency-key': idempotencyKey,
  };
  if (settings.partner_id) headers['x-personio-partner-id'] = settings.partner_id;
  if (settings.app_id) headers['x-personio-app-id'] = settings.app_id;
  return headers;
}

const url = (ctx: RequestContext<PersonioSettings>, path: string) => `${ctx.source.baseUrl.replace(/\/+$/, '')}${path}`;

/** `<person id>/<employment id>`; the person id alone for records created before an employment existed. */
export function splitExternalId(externalId: string | null): { personId: string; employmentId: string | null } | null {
  if (!externalId) return null;
  const [personId, employmentId] = externalId.split('/');
  return personId ? { personId, employmentId: employmentId || null } : null;
}

const seg = encodeURIComponent;

function buildRequest(action: ConnectorAction, ctx: RequestContext<PersonioSettings>, items: readonly ActionItem[]) {
  const { item, record, externalId } = items[0];
  const headers = headersOf(ctx.settings, item.idempotencyKey);
  const ids = splitExternalId(externalId);
  if (action === 'withdraw') {
    // A withdrawn hire's employment ends (status INACTIVE), which needs both ids. DELETE
    // /v2/persons/{id} exists, but it erases the person and its history in Personio: an HR team
    // keeps the record of a hire that was taken back. The engine records a withdraw of a never-created record as skipped.
    if (!ids?.employmentId) {
      throw new AppError(
        'invalid_state',
        'a Personio withdraw needs the person and employment id of the created record',
      );
    }
    const path = `/v2/persons/${seg(ids.personId)}/employments/${seg(ids.employmentId)}`;
    return { url: url(ctx, path), method: 'PATCH', headers, body: JSON.stringify({ status: 'INACTIVE' }) };
  }
  if (action === 'rehire') {
    if (!ids?.employmentId) {
      throw new AppError(
        'invalid_state',
        'a Personio rehire needs the person and employment id of the withdrawn record',
      );
    }
    const path = `/v2/persons/${seg(ids.personId)}/employments/${seg(ids.employmentId)}`;
    const body = { ...employmentBody(record), status: rehireStatus(record, ctx.now) };
    return { url: url(ctx, path), method: 'PATCH', headers, body: JSON.stringify(body) };
  }
  if (action === 'create' || !ids) {
    const employment = employmentBody(record);
    const body = { ...personBody(record), ...(Object.keys(employment).length ? { employments: [employment] } : {}) };
    return { url: url(ctx, '/v2/persons'), method: 'POST', headers, body: JSON.stringify(body) };
  }
  return {
    url: url(ctx, `/v2/persons/${seg(ids.personId)}`),
    method: 'PATCH',
    headers,
    body: JSON.stringify(personBody(record)),
  };
}

/** The mapped status unless it would leave the employment ended; else as Personio moves a new hire along. */
export function rehireStatus(record: TargetRecord, now: Date): string {
  const mapped = record['employment.status'];
  if (typeof mapped === 'string' && mapped && mapped !== 'INACTIVE') return mapped;
  const start = dateOnly(record['employment.start_date']);
  return start && start > now.toISOString().slice(0, 10) ? 'ONBOARDING' : 'ACTIVE';
}

type PersonioError = { title?: unknown; detail?: unknown; details?: unknown };

/** The v2 error answer in one line: each error's title and detail ("Invalid request: last_name must not be blank"). */
export function personioErrorText(body: string): string | null {
  const parsed = parseJson(body) as { errors?: PersonioError[]; error?: unknown; message?: unknown } | undefined;
  if (!parsed || typeof parsed !== 'object') return null;
  if (Array.isArray(parsed.errors) && parsed.errors.length) {
    return parsed.errors
      .slice(0, 5)
      .map((e) => {
        const title = typeof e?.title === 'string' ? e.title : '';
        const detail = typeof e?.detail === 'string' ? e.detail : typeof e?.details === 'string' ? e.details : '';
        return [title, detail].filter(Boolean).join(': ');
      })
      .filter(Boolean)
      .join('; ');
  }
  return typeof parsed.message === 'string' ? parsed.message : null;
}

function createdId(body: string): string | null {
  const parsed = parseJson(body) as { id?: unknown; employments?: { id?: unknown }[] } | undefined;
  const person = parsed?.id;
  if (typeof person !== 'string' && typeof person !== 'number') return null;
  const employment = parsed?.employments?.[0]?.id;
  const id =
    typeof employment === 'string' || typeof employment === 'number' ? `${person}/${employment}` : String(person);
  return storableText(id.slice(0, 200));
}

/** Personio asks for at least a second between a 429 and the next request. */
const MIN_RATE_LIMIT_WAIT_MS = 1000;

function interpret(
  action: ConnectorAction,
  ctx: RequestContext<PersonioSettings>,
  items: readonly ActionItem[],
  result: HttpResult,
): Outcome[] {
  // One person per request: an update or withdraw keeps the record's id, a create reads it below.
  const outcome = (verdict: Parameters<typeof outcomesOf>[3]): Outcome[] =>
    outcomesOf(ctx.source, items, result, { externalId: items[0]?.externalId ?? null, ...verdict });
  if (!result.ok) return outcome(networkVerdict(result));
  const status = result.status;
  // Redacted with the rest of the message by outcomesOf, like every answer we keep.
  const said = () => personioErrorText(result.body);
  if (status >= 200 && status < 300) {
    if (action === 'create' || !splitExternalId(items[0].externalId)) {
      const externalId = createdId(result.body);
      if (!externalId) {
        return outcome({
          kind: 'failed',
          errorCode: 'invalid_response',
          errorMessage: `HTTP ${status}: Personio's answer has no person id`,
        });
      }
      return outcome({ kind: 'succeeded', externalId });
    }
    return outcome({ kind: 'succeeded' });
  }
  if (status === 429) {
    const retryAfter = parseRetryAfter(result.headers['retry-after']);
    return outcome({
      kind: 'retry',
      errorCode: 'rate_limited',
      errorMessage: 'HTTP 429: Personio rate limit',
      retryAfterMs: Math.max(retryAfter ?? 0, MIN_RATE_LIMIT_WAIT_MS),
    });
  }
  if (status >= 500 || status === 408) {
    return outcome({
      kind: 'retry',
      errorCode: status === 408 ? 'timeout' : 'server_error',
      errorMessage: `HTTP ${status}${said() ? `: ${said()}` : ''}`,
      retryAfterMs: parseRetryAfter(result.headers['retry-after']),
    });
  }
  if (status === 401 || status === 403) {
    // The engine already retried a 401 once with a fresh token: this one is the final answer.
    const why =
      status === 403
        ? `the API credential lacks the scope personio:persons:write${said() ? ` (${said()})` : ''}`
        : 'Personio refused the access token: check the client id and secret';
    return outcome({ kind: 'failed', errorCode: 'auth_failed', errorMessage: `HTTP ${status}: ${why}` });
  }
  const detail = said();
  if (status === 404 && action === 'rehire') {
    return outcome({
      kind: 'failed',
      errorCode: RECORD_GONE,
      errorMessage: `HTTP 404: the person or employment ${items[0]?.externalId ?? ''} is no longer in Personio`,
    });
  }
  return outcome({
    kind: 'failed',
    errorCode: 'rejected',
    errorMessage: `HTTP ${status}${detail ? `: ${detail}` : ''}${status === 404 ? ' (the person is no longer in Personio)' : ''}`,
  });
}

export const personio: ConnectorModule<PersonioSettings> = {
  id: 'personio',
  name: 'Personio',
  docs: [
    'https://developer.personio.de/reference/post_v2-auth-token',
    'https://developer.personio.de/v2.0/reference/authentication',
    'https://developer.personio.de/reference/post_v2-persons',
    'https://developer.personio.de/reference/patch_v2-persons-person-id',
    'https://developer.personio.de/reference/patch_v2-persons-person-id-employments-employment-id',
    'https://developer.personio.de/v2.0/reference/get_v2-persons',
    'https://developer.personio.de/changelog/rate-limits-on-get-employees-endpoint-may-6-2024',
  ],
  settings: personioSettingsSchema,
  settingFields: [
    {
      key: 'company_subdomain',
      label: 'Company subdomain (optional)',
      hint: 'The first part of your Personio address, e.g. "acme" for acme.app.personio.com; used only to link to created employees.',
    },
    {
      key: 'partner_id',
      label: 'Partner ID (optional)',
      hint: 'Only for Personio partners: sent as X-Personio-Partner-ID.',
    },
    {
      key: 'app_id',
      label: 'App ID (optional)',
      hint: 'A name for this integration, sent as X-Personio-App-ID so Personio can tell its requests apart (recommended).',
    },
  ],
  auth: {
    type: 'oauth2_client_credentials',
    tokenUrl: '/v2/auth/token',
    fields: [
      {
        stores: 'auth_username',
        label: 'Client ID',
        hint: 'In Personio: Settings > Integrations > API credentials > Generate new credential. Give it the scopes "Persons: read" and "Persons: write".',
      },
      {
        stores: 'auth_secret',
        label: 'Client secret',
        hint: 'Shown once, when the API credential is created in Personio; create a new credential if it was lost.',
      },
    ],
  },
  defaultBaseUrl: () => 'https://api.personio.de',
  rateLimit: {
    requestsPerMinute: 60,
    note: 'Personio publishes limits per endpoint: 150 token requests a minute, 300 employee reads a minute (bursts of 15 a second), none for person writes. 60 a minute stays well inside them; after a 429 we wait at least 1 second, as Personio asks.',
    docs: 'https://developer.personio.de/changelog/rate-limits-on-get-employees-endpoint-may-6-2024',
  },
  targetFields: [
    { key: 'first_name', label: 'First name', type: 'string', requiredOn: ['create'] },
    { key: 'last_name', label: 'Last name', type: 'string', requiredOn: ['create'] },
    {
      key: 'email',
      label: 'Email',
      type: 'email',
      requiredOn: [],
      description: 'Unique in Personio: a second person with the same email is refused.',
    },
    { key: 'preferred_name', label: 'Preferred name', type: 'string', requiredOn: [] },
    {
      key: 'employment.start_date',
      label: 'Employment start date',
      type: 'date',
      requiredOn: [],
      description: 'yyyy-MM-dd: when the employment contract starts.',
    },
    {
      key: 'employment.status',
      label: 'Employment status',
      type: 'enum',
      values: EMPLOYMENT_STATUSES,
      requiredOn: [],
      description: 'ONBOARDING until the start date, then ACTIVE.',
    },
    { key: 'employment.type', label: 'Employment type', type: 'enum', values: EMPLOYMENT_TYPES, requiredOn: [] },
    { key: 'employment.position.title', label: 'Position', type: 'string', requiredOn: [] },
    {
      key: 'employment.office.id',
      label: 'Office (Personio id)',
      type: 'string',
      requiredOn: [],
      description: "Personio's id of the office: map our location to it with a value map.",
    },
    {
      key: 'employment.department.id',
      label: 'Department (Personio org unit id)',
      type: 'string',
      requiredOn: [],
      description: "Personio's id of the department org unit: map our department to it with a value map.",
    },
    { key: 'employment.weekly_working_hours', label: 'Weekly working hours', type: 'number', requiredOn: [] },
  ],
  defaultMapping: {
    first_name: { from: 'candidate.first_name', transforms: [{ kind: 'trim' }] },
    last_name: { from: 'candidate.last_name', transforms: [{ kind: 'trim' }] },
    email: { from: 'candidate.email', transforms: [{ kind: 'trim' }, { kind: 'lower' }] },
    'employment.start_date': { from: 'candidate.start_date', transforms: [{ kind: 'date', format: 'yyyy-MM-dd' }] },
    'employment.status': { value: 'ONBOARDING' },
    'employment.type': { value: 'INTERNAL' },
    'employment.position.title': { from: 'job.title' },
  },
  actions: ['create', 'update', 'withdraw', 'rehire'],
  itemsPerRequest: () => 1,
  buildRequest,
  interpret,
  connectionTest: {
    request: (ctx) => ({
      url: url(ctx, '/v2/persons?limit=1'),
      method: 'GET',
      headers: { accept: 'application/json' },
      body: '',
    }),
    explain(result) {
      if (!result.ok) return `Personio could not be reached: ${result.message}`;
      if (result.status >= 200 && result.status < 300) return null;
      if (result.status === 401) {
        return 'Personio refused the access token: check the client id and secret of the API credential (Settings > Integrations > API credentials).';
      }
      if (result.status === 403) {
        return 'The API credential lacks the scope "personio:persons:read" (and "personio:persons:write" to create employees): add both to the credential in Personio under Settings > Integrations > API credentials.';
      }
      if (result.status === 429) return 'Personio answered 429 (rate limit): try again in a minute.';
      const detail = personioErrorText(result.body);
      return `Personio answered HTTP ${result.status}${detail ? `: ${detail.slice(0, 300)}` : ''}.`;
    },
  },
  recordUrl: (settings, externalId) => {
    const ids = splitExternalId(externalId);
    if (!settings.company_subdomain || !ids) return null;
    return `https://${settings.company_subdomain}.app.personio.com/staff/details/${encodeURIComponent(ids.personId)}`;
  },
};
