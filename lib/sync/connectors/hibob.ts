import { z } from 'zod';
import { joinUrl } from '../payload';
import type { ActionItem, ConnectorAction, ConnectorModule, RequestContext, TargetField } from './contract';
import { outcomesOf, JSON_HEADERS, dateOnly, nestRecord, networkVerdict, retryDelayMs } from './per-record';
import { parseJson } from './outcomes';
import type { HttpResult, OutboundRequest } from './types';

/**
 * HiBob ("Bob", issue 20, item 2): one employee per request, JSON both ways.
 *
 * What the vendor documents, and where:
 * - Auth: an API service user (Settings > Integrations > Service users) gives an ID and a token,
 *   sent as HTTP Basic (ID as user, token as password). A new service user has no permissions at
 *   all: an admin adds it to a permission group and grants that group what the calls need.
 *   https://apidocs.hibob.com/docs/api-service-users, https://apidocs.hibob.com/reference/permissions
 * - Create: `POST https://api.hibob.com/v1/people` with at least `firstName`, `surname`, `email`
 *   and `work.site` and `work.startDate` (yyyy-MM-dd); `work.title` and `work.department` are
 *   recommended. The answer is the new employee as JSON, its id in `id`.
 *   https://apidocs.hibob.com/reference/post_people, https://apidocs.hibob.com/docs/create-employee
 *   (request and answer shapes: the OpenAPI-generated client github.com/konfig-sdks/hi-bob-java-sdk,
 *   docs/CreateEmployeeRequest.md, CreateEmployeeRequestWork.md, PeopleApi.md)
 * - Update: `PUT /v1/people/{identifier}` with only the fields to change (it behaves like PATCH);
 *   only fields whose metadata says `historical: false` may be sent, so work fields (site, start
 *   date, title, department: entries of the work history) are not updated here; `200`, or `304`
 *   when nothing changed. The e-mail has its own endpoint (`PUT /v1/people/{id}/email`).
 *   https://apidocs.hibob.com/docs/update-employee-data
 * - Terminate: `POST /v1/employees/{identifier}/terminate` with `terminationDate` (required) and
 *   optional `terminationReason` (an id of the company's terminationReason list), `reasonType`,
 *   `noticePeriod`, `lastDayOfWork`; `200` with no body.
 *   https://apidocs.hibob.com/reference/post_employees-identifier-terminate
 * - Errors: a JSON body `{"key": "...", "error": "<human readable message>"}`; 400 for invalid or
 *   missing fields and duplicates ("do not handle with retry"), 401 credentials, 403 the service
 *   user lacks a permission, 404, 429. https://apidocs.hibob.com/reference/error-handling
 * - Rate limits: per endpoint, per minute; only the search endpoint's number is published (50 per
 *   minute). A throttled request gets 429; answers carry X-RateLimit-Limit, X-RateLimit-Remaining
 *   and X-RateLimit-Reset (Unix epoch seconds). Repeated failed authentications get the caller
 *   blocked by the WAF, one more reason a 401/403 is never retried.
 *   https://apidocs.hibob.com/docs/rate-limit, https://apidocs.hibob.com/reference/rate-limiting
 *
 * Decisions where the docs leave a choice:
 * - The termination date is today (UTC) or, for a hire who has not started yet, the start date:
 *   Bob cannot end an employment before it begins.
 * - Update sends the root fields only (first name, surname); site and start date changes need the
 *   work-history endpoints, which are out of this issue's scope.
 * - The connection test reads the fields metadata (`GET /v1/company/people/fields`): harmless, and
 *   it proves the service user's ID and token (401 when wrong). Bob documents that this endpoint
 *   needs no permission, and its reads leave out what the permission group cannot see without an
 *   error, so no read can tell a missing right: the first create or terminate it stops answers 403,
 *   and that delivery's error names the right (see interpret).
 * - No rehire action: Bob documents rehiring a terminated employee only in the app (People >
 *   Directory > Actions > Change status > Rehire, a New Hire wizard with the old data filled in and
 *   a new start date after the termination date; help.hibob.com/hc/en-us/articles/4409792633361).
 *   Its People API reference lists create, update, terminate, revoke access, invite and set start
 *   date, and no rehire; setting a start date on a terminated employee is not documented to end
 *   the termination, so we do not rely on it. A hire again therefore sends a create, which Bob
 *   refuses (400) while the terminated employee holds the same e-mail: the delivery fails with
 *   Bob's message and the HR team rehires the person in Bob.
 * - The documented per-minute number (50) is the default request rate: the create and update
 *   endpoints' own numbers are not published, and a lower rate only costs time.
 */

export const HIBOB_DOCS = [
  'https://apidocs.hibob.com/docs/api-service-users',
  'https://apidocs.hibob.com/reference/permissions',
  'https://apidocs.hibob.com/reference/post_people',
  'https://apidocs.hibob.com/docs/create-employee',
  'https://apidocs.hibob.com/docs/update-employee-data',
  'https://apidocs.hibob.com/reference/post_employees-identifier-terminate',
  'https://apidocs.hibob.com/reference/error-handling',
  'https://apidocs.hibob.com/docs/rate-limit',
] as const;

export const hibobSettings = z.strictObject({
  termination_reason: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, 'the id of an item of your terminationReason list')
    .optional(),
});
export type HiBobSettings = z.infer<typeof hibobSettings>;

const TARGET_FIELDS: readonly TargetField[] = [
  { key: 'firstName', label: 'First name', type: 'string', requiredOn: ['create'] },
  { key: 'surname', label: 'Surname', type: 'string', requiredOn: ['create'] },
  { key: 'email', label: 'E-mail', type: 'email', requiredOn: ['create'] },
  {
    key: 'work.site',
    label: 'Work site',
    type: 'string',
    requiredOn: ['create'],
    description: "The name of one of the company's sites in Bob (a value map turns locations into sites)",
  },
  { key: 'work.startDate', label: 'Start date', type: 'date', requiredOn: ['create'], description: 'yyyy-MM-dd' },
  {
    key: 'work.title',
    label: 'Job title',
    type: 'string',
    requiredOn: [],
    description: "A value of Bob's job title list",
  },
  {
    key: 'work.department',
    label: 'Department',
    type: 'string',
    requiredOn: [],
    description: "A value of Bob's department list",
  },
];
const CREATE_KEYS = TARGET_FIELDS.map((f) => f.key);
// Non-historical root fields: what PUT /v1/people/{id} accepts.
const UPDATE_KEYS = ['firstName', 'surname'] as const;

function idOrThrow(a: ActionItem, action: ConnectorAction): string {
  if (!a.externalId) throw new Error(`HiBob ${action} needs the employee id from the create`);
  return encodeURIComponent(a.externalId);
}

export function terminationDate(record: ActionItem['record'], now: Date): string {
  const today = dateOnly(now)!;
  const start = dateOnly(record['work.startDate']);
  return start && start > today ? start : today;
}

/** The `error` of Bob's `{"key","error"}` body (or a `message`, as some modules spell it). */
function vendorText(result: Extract<HttpResult, { ok: true }>): string | null {
  const parsed = parseJson(result.body) as Record<string, unknown> | undefined;
  for (const name of ['error', 'message'] as const) {
    const v = parsed?.[name];
    if (typeof v === 'string' && v.trim()) return v.trim().slice(0, 300);
  }
  const body = result.body.trim();
  return body && !body.startsWith('<') && !body.startsWith('{') ? body.slice(0, 300) : null;
}

function createdId(body: string): string | null {
  const parsed = parseJson(body) as { id?: unknown } | undefined;
  const id = parsed?.id;
  return (typeof id === 'string' && id.trim()) || typeof id === 'number' ? String(id).trim().slice(0, 100) : null;
}

function interpret(
  action: ConnectorAction,
  ctx: RequestContext<HiBobSettings>,
  items: readonly ActionItem[],
  result: HttpResult,
) {
  if (!result.ok) return outcomesOf(ctx.source, items, result, networkVerdict(result));
  const { status } = result;
  const text = vendorText(result);
  const message = (fallback: string) => `HTTP ${status}: ${text ?? fallback}`;
  // 304: "the submitted data matches the current record", as good as an update.
  if ((status >= 200 && status < 300) || (status === 304 && action === 'update')) {
    const externalId = action === 'create' ? createdId(result.body) : (items[0]?.externalId ?? null);
    return outcomesOf(ctx.source, items, result, { kind: 'succeeded', externalId });
  }
  if (status === 401 || status === 403) {
    const fallback =
      status === 401
        ? 'Bob did not accept the service user ID and token'
        : `the service user's permission group may not ${action === 'withdraw' ? 'terminate' : action} employees`;
    return outcomesOf(ctx.source, items, result, {
      kind: 'failed',
      errorCode: 'auth_failed',
      errorMessage: message(fallback),
    });
  }
  if (status === 429) {
    return outcomesOf(ctx.source, items, result, {
      kind: 'retry',
      errorCode: 'rate_limited',
      errorMessage: message('too many requests'),
      retryAfterMs: retryDelayMs(result),
    });
  }
  if (status === 408 || status >= 500) {
    return outcomesOf(ctx.source, items, result, {
      kind: 'retry',
      errorCode: status === 408 ? 'timeout' : 'server_error',
      errorMessage: message('server error'),
      retryAfterMs: retryDelayMs(result),
    });
  }
  if (status >= 300 && status < 400) {
    return outcomesOf(ctx.source, items, result, {
      kind: 'failed',
      errorCode: 'redirect',
      errorMessage: `HTTP ${status}: check the base URL`,
    });
  }
  if (status === 400 && action === 'create' && text && /already (exists|in use)|duplicate/i.test(text)) {
    // Usually someone withdrawn and hired again: Bob keeps the terminated employee and its e-mail,
    // and its API has no rehire (see the header), so the way on is in Bob's app.
    return outcomesOf(ctx.source, items, result, {
      kind: 'failed',
      errorCode: 'rejected',
      errorMessage: `${message('duplicate')}. If this is a terminated employee hired again, rehire them in Bob (People › Directory › Actions › Change status › Rehire); Bob's API cannot`,
    });
  }
  if (status === 404 && action === 'create') {
    // POST /v1/people always exists: a 404 here is an address that is not Bob's API.
    return outcomesOf(ctx.source, items, result, {
      kind: 'failed',
      errorCode: 'rejected',
      errorMessage: message('no Bob API at this address: check the base URL'),
    });
  }
  return outcomesOf(ctx.source, items, result, {
    kind: 'failed',
    errorCode: 'item_rejected',
    errorMessage: message(status === 404 ? `employee ${items[0]?.externalId ?? ''} not found` : 'request refused'),
  });
}

export const hibob: ConnectorModule<HiBobSettings> = {
  id: 'hibob',
  name: 'HiBob',
  docs: HIBOB_DOCS,
  settings: hibobSettings,
  settingFields: [
    {
      key: 'termination_reason',
      label: 'Termination reason (optional)',
      hint: 'The id of an item of your terminationReason list, sent when a withdrawn hire is terminated. Find it under Settings > Lists or with GET /v1/company/named-lists/terminationReason.',
    },
  ],
  auth: {
    type: 'basic',
    fields: [
      {
        stores: 'auth_username',
        label: 'Service user ID',
        hint: 'In Bob: Settings > Integrations > Service users > Create service user. The ID is shown with the token once.',
      },
      {
        stores: 'auth_secret',
        label: 'Service user token',
        hint: 'Shown once when the service user is created. Add the service user to a permission group that may view, create and edit people and their lifecycle.',
      },
    ],
  },
  defaultBaseUrl: () => 'https://api.hibob.com/v1',
  rateLimit: {
    requestsPerMinute: 50,
    note: 'Bob limits each endpoint per minute and publishes only the search endpoint number (50); a throttled request gets HTTP 429 and we wait until X-RateLimit-Reset.',
    docs: 'https://apidocs.hibob.com/docs/rate-limit',
  },
  targetFields: TARGET_FIELDS,
  defaultMapping: {
    firstName: { from: 'candidate.first_name', transforms: [{ kind: 'trim' }] },
    surname: { from: 'candidate.last_name', transforms: [{ kind: 'trim' }] },
    email: { from: 'candidate.email', transforms: [{ kind: 'trim' }, { kind: 'lower' }] },
    'work.site': { from: 'job.location', transforms: [{ kind: 'trim' }] },
    'work.startDate': { from: 'candidate.start_date', transforms: [{ kind: 'date', format: 'yyyy-MM-dd' }] },
  },
  actions: ['create', 'update', 'withdraw'],
  itemsPerRequest: () => 1,
  buildRequest(action, ctx, items): OutboundRequest {
    const a = items[0];
    const headers = { ...JSON_HEADERS };
    if (action === 'create') {
      return {
        url: joinUrl(ctx.source.baseUrl, '/people'),
        method: 'POST',
        headers,
        body: JSON.stringify(nestRecord(a.record, CREATE_KEYS)),
      };
    }
    if (action === 'rehire') throw new Error('HiBob has no rehire in its public API: a hire again is a create');
    const id = idOrThrow(a, action);
    if (action === 'update') {
      return {
        url: joinUrl(ctx.source.baseUrl, `/people/${id}`),
        method: 'PUT',
        headers,
        body: JSON.stringify(nestRecord(a.record, UPDATE_KEYS)),
      };
    }
    const body: Record<string, string> = { terminationDate: terminationDate(a.record, ctx.now) };
    if (ctx.settings.termination_reason) body.terminationReason = ctx.settings.termination_reason;
    return {
      url: joinUrl(ctx.source.baseUrl, `/employees/${id}/terminate`),
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    };
  },
  interpret,
  connectionTest: {
    request: (ctx) => ({
      url: joinUrl(ctx.source.baseUrl, '/company/people/fields'),
      method: 'GET',
      headers: { accept: 'application/json', 'user-agent': JSON_HEADERS['user-agent'] },
      body: '',
    }),
    explain(result) {
      if (!result.ok) return `Bob could not be reached: ${result.message}.`;
      if (result.status >= 200 && result.status < 300) return null;
      const text = vendorText(result);
      const said = text ? ` (Bob said: ${text.slice(0, 200)})` : '';
      if (result.status === 401) {
        return `Bob did not accept the service user${said}: check the service user ID and token (the token is shown only once; create a new one if it is lost).`;
      }
      if (result.status === 403) {
        return `The service user has no permission for this${said}: add it to a permission group and grant People's data > People: view, create and edit employees' Personal, Work and Lifecycle sections (Settings > Permission groups).`;
      }
      if (result.status === 429) return 'Bob asked us to slow down (HTTP 429); try the test again in a minute.';
      return `Bob answered HTTP ${result.status}${said}.`;
    },
  },
  recordUrl: (_settings, externalId) =>
    /^[A-Za-z0-9_-]{1,100}$/.test(externalId) ? `https://app.hibob.com/employee-profile/${externalId}` : null,
};
