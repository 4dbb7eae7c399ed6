import { z } from 'zod';
import { joinUrl } from '../payload';
import {
  type ActionItem,
  type ConnectorAction,
  type ConnectorModule,
  RECORD_GONE,
  type RequestContext,
  type TargetField,
} from './contract';
import { JSON_HEADERS, header, nestRecord, networkVerdict, outcomesOf, retryDelayMs } from './per-record';
import type { HttpResult, OutboundRequest } from './types';

/**
 * BambooHR (issue 20, item 2): one employee per request, JSON both ways.
 *
 * What the vendor documents, and where:
 * - Base URL `https://{companyDomain}.bamboohr.com/api/v1/`; the company domain is the subdomain
 *   the company signs in at (`acme` of acme.bamboohr.com). HTTPS, UTF-8.
 *   https://documentation.bamboohr.com/docs/api-details (the older
 *   `https://api.bamboohr.com/api/gateway.php/{companyDomain}/v1/` of
 *   https://documentation.bamboohr.com/reference/getting-started answers the same paths; a source
 *   may set it as its base_url, and a Location header in either form is read).
 * - Auth: HTTP Basic with the API key as the user name and any password ("x"). An API key acts as
 *   the user who created it: it can do what that user's access level allows.
 *   https://documentation.bamboohr.com/reference/getting-started
 * - Add employee: `POST /v1/employees/` with `firstName` and `lastName` required, any other writable
 *   employee field beside them; `201 Created` with the new employee's URL in the `Location` header
 *   (`…/v1/employees/40598`) and no body. https://documentation.bamboohr.com/reference/create-employee
 *   (the Location shape as clients read it: https://docs.workato.com/connectors/bamboo-hr/create-employee-action.html,
 *   https://pipedream.com/apps/bamboohr/actions/create-employee)
 * - Update employee: `POST /v1/employees/{id}/` with only the fields to change; `200`.
 *   https://documentation.bamboohr.com/reference/update-employee
 * - Field names (firstName, lastName, homeEmail, mobilePhone, hireDate, jobTitle, department,
 *   location, employmentHistoryStatus, status): https://documentation.bamboohr.com/docs/list-of-field-names
 * - Answers: 400 "the request was invalid", 401 "your API key is missing", 403 "the application is
 *   attempting to perform an action it does not have privileges to access", 404, 500/502, 503
 *   "service unavailable". https://documentation.bamboohr.com/docs/api-details
 *   The detail of an error comes in the `X-BambooHR-Error-Message` header, not the body (as the
 *   clients built on the API read it: https://github.com/jeremylongshore/claude-code-plugins-plus-skills,
 *   plugins/saas-packs/bamboohr-pack/skills/bamboohr-common-errors); its exact wording for a
 *   missing field is not published, so we show whatever it says.
 * - Rate limiting: no number is published ("requests can be throttled if BambooHR deems them to be
 *   too frequent"). Since 16 September 2026 a throttled request gets `429` with `Retry-After`;
 *   before, it got `503`, which now means only "temporarily unavailable".
 *   https://documentation.bamboohr.com/docs/planned-changes-to-the-api
 * - JSON: without `Accept: application/json` BambooHR answers reads in XML.
 *   https://documentation.bamboohr.com/docs/api-details
 *
 * - Rehire: the Tables API says "terminating and rehiring an employee can be done through updating
 *   the employment status table": a row of the employmentStatus table (`POST
 *   /v1/employees/{id}/tables/employmentStatus/`, `date` and `employmentStatus` required, the
 *   termination columns required only for a terminated status); on a rehire BambooHR moves the hire
 *   date to `originalHireDate` and sets `hireDate` to the rehire date.
 *   https://www.bamboohr.com/api/documentation/tables.php (employmentStatus, "Version 1.1 Notes")
 *
 * Decisions where the docs leave a choice:
 * - Withdraw marks the employee Inactive (`{"status":"Inactive"}` through update employee) instead of
 *   adding an employmentStatus table row "Terminated". A withdrawn hire never worked there, and a
 *   termination row needs the company's own termination type and reason list ids (required in many
 *   accounts), which we cannot know. An HR admin can still record a termination by hand.
 * - Hired again after a withdrawal, the same employee is made Active again: `{"status":"Active"}`
 *   with the mapped fields (the new `hireDate` among them) through update employee, one request. Our
 *   withdraw never adds a Terminated row, so the employmentStatus table holds no termination to
 *   undo, and a rehire row would need the company's own status list value, which we cannot know
 *   (the mapped `employmentHistoryStatus` may be empty). Verified from the docs: the update
 *   endpoint, the `status` field (Active/Inactive) and `hireDate`. Not verified (nothing published):
 *   whether BambooHR records a status change made this way in its employment history, and that
 *   `originalHireDate` is kept as it is on a table-row rehire.
 * - A rehire that answers 404 (the employee was deleted in BambooHR since) is marked record_gone:
 *   the engine then adds the hire as a new employee in the same attempt.
 * - The candidate's e-mail goes to `homeEmail`: it is their own address, the work address does not
 *   exist yet.
 * - The connection test reads `GET /v1/meta/fields/`: harmless, and it needs a valid key whose user
 *   may see employee fields.
 */

export const BAMBOOHR_DOCS = [
  'https://documentation.bamboohr.com/reference/getting-started',
  'https://documentation.bamboohr.com/docs/api-details',
  'https://documentation.bamboohr.com/reference/create-employee',
  'https://documentation.bamboohr.com/reference/update-employee',
  'https://documentation.bamboohr.com/docs/list-of-field-names',
  'https://documentation.bamboohr.com/docs/planned-changes-to-the-api',
  'https://www.bamboohr.com/api/documentation/tables.php',
] as const;

export const bamboohrSettings = z.strictObject({
  company_domain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'the subdomain only, as in acme for acme.bamboohr.com'),
});
export type BambooHrSettings = z.infer<typeof bamboohrSettings>;

const EMPLOYMENT_STATUSES = ['Full-Time', 'Part-Time', 'Contractor', 'Intern'] as const;

const TARGET_FIELDS: readonly TargetField[] = [
  { key: 'firstName', label: 'First name', type: 'string', requiredOn: ['create'] },
  { key: 'lastName', label: 'Last name', type: 'string', requiredOn: ['create'] },
  { key: 'homeEmail', label: 'Home e-mail', type: 'email', requiredOn: [] },
  { key: 'workEmail', label: 'Work e-mail', type: 'email', requiredOn: [] },
  { key: 'mobilePhone', label: 'Mobile phone', type: 'string', requiredOn: [] },
  { key: 'hireDate', label: 'Hire date', type: 'date', requiredOn: [], description: 'yyyy-MM-dd' },
  { key: 'jobTitle', label: 'Job title', type: 'string', requiredOn: [] },
  {
    key: 'department',
    label: 'Department',
    type: 'string',
    requiredOn: [],
    description: "A value of the company's Department list",
  },
  { key: 'location', label: 'Location', type: 'string', requiredOn: [], description: 'A value of the Location list' },
  {
    key: 'employmentHistoryStatus',
    label: 'Employment status',
    type: 'enum',
    values: EMPLOYMENT_STATUSES,
    requiredOn: [],
    description: "BambooHR's default statuses; a company may have added its own",
  },
];
const FIELD_KEYS = TARGET_FIELDS.map((f) => f.key);

function employeesUrl(ctx: RequestContext<BambooHrSettings>, id?: string): string {
  return joinUrl(ctx.source.baseUrl, id ? `/employees/${encodeURIComponent(id)}/` : '/employees/');
}

function externalIdOrThrow(a: ActionItem, action: ConnectorAction): string {
  if (!a.externalId) throw new Error(`BambooHR ${action} needs the employee id from the create`);
  return a.externalId;
}

/** `https://…/v1/employees/40598` (or a relative `/…/employees/40598/`) -> `40598`. */
export function employeeIdFromLocation(location: string | null): string | null {
  if (!location) return null;
  const match = /\/employees\/(\d{1,19})\/?(?:[?#].*)?$/.exec(location.trim());
  return match ? match[1] : null;
}

function vendorText(result: Extract<HttpResult, { ok: true }>): string | null {
  const fromHeader = header(result, 'x-bamboohr-error-message');
  if (fromHeader) return fromHeader;
  // An HTML error page says nothing a person can act on.
  const body = result.body.trim();
  return body && !body.startsWith('<') ? body.slice(0, 300) : null;
}

function interpret(
  action: ConnectorAction,
  ctx: RequestContext<BambooHrSettings>,
  items: readonly ActionItem[],
  result: HttpResult,
) {
  if (!result.ok) return outcomesOf(ctx.source, items, result, networkVerdict(result));
  const { status } = result;
  const text = vendorText(result);
  const message = (fallback: string) => `HTTP ${status}: ${text ?? fallback}`;
  if (status >= 200 && status < 300) {
    const externalId =
      action === 'create' ? employeeIdFromLocation(header(result, 'location')) : (items[0]?.externalId ?? null);
    return outcomesOf(ctx.source, items, result, { kind: 'succeeded', externalId });
  }
  if (status === 401) {
    return outcomesOf(ctx.source, items, result, {
      kind: 'failed',
      errorCode: 'auth_failed',
      errorMessage: message('BambooHR did not accept the API key'),
    });
  }
  if (status === 403) {
    return outcomesOf(ctx.source, items, result, {
      kind: 'failed',
      errorCode: 'auth_failed',
      errorMessage: message(`the API key's user may not ${action === 'create' ? 'add' : 'edit'} employees`),
    });
  }
  if (status === 429 || status === 503) {
    return outcomesOf(ctx.source, items, result, {
      kind: 'retry',
      errorCode: status === 429 ? 'rate_limited' : 'server_error',
      errorMessage: message(status === 429 ? 'too many requests' : 'BambooHR is temporarily unavailable'),
      retryAfterMs: retryDelayMs(result),
    });
  }
  if (status === 408 || status >= 500) {
    return outcomesOf(ctx.source, items, result, {
      kind: 'retry',
      errorCode: status === 408 ? 'timeout' : 'server_error',
      errorMessage: message('server error'),
    });
  }
  if (status >= 300 && status < 400) {
    return outcomesOf(ctx.source, items, result, {
      kind: 'failed',
      errorCode: 'redirect',
      errorMessage: `HTTP ${status}: check the company domain and the base URL`,
    });
  }
  if (status === 404 && action === 'rehire') {
    return outcomesOf(ctx.source, items, result, {
      kind: 'failed',
      errorCode: RECORD_GONE,
      errorMessage: `HTTP 404: employee ${items[0]?.externalId ?? ''} is no longer in BambooHR${text ? ` (${text})` : ''}`,
    });
  }
  if (status === 404 && action === 'create') {
    return outcomesOf(ctx.source, items, result, {
      kind: 'failed',
      errorCode: 'rejected',
      errorMessage: message(`no BambooHR company "${ctx.settings.company_domain}": check the company domain`),
    });
  }
  return outcomesOf(ctx.source, items, result, {
    kind: 'failed',
    errorCode: 'item_rejected',
    errorMessage: message(status === 404 ? `employee ${items[0]?.externalId ?? ''} not found` : 'request refused'),
  });
}

export const bamboohr: ConnectorModule<BambooHrSettings> = {
  id: 'bamboohr',
  name: 'BambooHR',
  docs: BAMBOOHR_DOCS,
  settings: bamboohrSettings,
  settingFields: [
    {
      key: 'company_domain',
      label: 'Company domain',
      hint: 'The part before .bamboohr.com in the address you sign in at: acme for acme.bamboohr.com.',
    },
  ],
  auth: {
    type: 'basic',
    // The key is the Basic user name, the password is ignored by BambooHR: it is stored as the
    // secret (write-only), never as the user name that the API shows back.
    basicPassword: 'x',
    fields: [
      {
        stores: 'auth_secret',
        label: 'API key',
        hint: 'In BambooHR, click your name (top right) > API Keys > Add New Key. The key acts as you: use an account whose access level may add and edit employees.',
      },
    ],
  },
  defaultBaseUrl: (settings) => `https://${encodeURIComponent(settings.company_domain)}.bamboohr.com/api/v1`,
  rateLimit: {
    requestsPerMinute: null,
    note: 'BambooHR publishes no number; a throttled request gets HTTP 429 with Retry-After (503 before 16 September 2026), which we honour.',
    docs: 'https://documentation.bamboohr.com/docs/planned-changes-to-the-api',
  },
  targetFields: TARGET_FIELDS,
  defaultMapping: {
    firstName: { from: 'candidate.first_name', transforms: [{ kind: 'trim' }] },
    lastName: { from: 'candidate.last_name', transforms: [{ kind: 'trim' }] },
    homeEmail: { from: 'candidate.email', transforms: [{ kind: 'trim' }, { kind: 'lower' }] },
    mobilePhone: { from: 'candidate.phone' },
    hireDate: { from: 'candidate.start_date', transforms: [{ kind: 'date', format: 'yyyy-MM-dd' }] },
    jobTitle: { from: 'job.title' },
    department: { from: 'job.department' },
    location: { from: 'job.location' },
    employmentHistoryStatus: {
      from: 'job.employment_type',
      transforms: [
        {
          kind: 'map',
          values: { full_time: 'Full-Time', part_time: 'Part-Time', contract: 'Contractor', internship: 'Intern' },
          // BambooHR has no default "temporary" status: left empty rather than guessed.
          otherwise: null,
        },
      ],
    },
  },
  actions: ['create', 'update', 'withdraw', 'rehire'],
  itemsPerRequest: () => 1,
  buildRequest(action, ctx, items): OutboundRequest {
    const a = items[0];
    if (action === 'create') {
      return {
        url: employeesUrl(ctx),
        method: 'POST',
        headers: { ...JSON_HEADERS },
        body: JSON.stringify(nestRecord(a.record, FIELD_KEYS)),
      };
    }
    const id = externalIdOrThrow(a, action);
    const body =
      action === 'withdraw'
        ? { status: 'Inactive' }
        : action === 'rehire'
          ? { ...nestRecord(a.record, FIELD_KEYS), status: 'Active' }
          : nestRecord(a.record, FIELD_KEYS);
    return { url: employeesUrl(ctx, id), method: 'POST', headers: { ...JSON_HEADERS }, body: JSON.stringify(body) };
  },
  interpret,
  connectionTest: {
    request: (ctx) => ({
      url: joinUrl(ctx.source.baseUrl, '/meta/fields/'),
      method: 'GET',
      headers: { accept: 'application/json', 'user-agent': JSON_HEADERS['user-agent'] },
      body: '',
    }),
    explain(result) {
      if (!result.ok) return `BambooHR could not be reached: ${result.message}.`;
      const text = vendorText(result);
      const said = text ? ` (BambooHR said: ${text.slice(0, 200)})` : '';
      if (result.status >= 200 && result.status < 300) return null;
      if (result.status === 401) {
        return `BambooHR did not accept the API key${said}: paste the whole key, and check that the user who created it is still enabled.`;
      }
      if (result.status === 403) {
        return `The API key works but its user lacks access${said}: the key acts as the user who created it, so that user needs an access level that can view and edit employee records (a Full Admin, or a custom level with "Add employees" and edit rights on the mapped fields).`;
      }
      if (result.status === 404) {
        return `BambooHR knows no company at this address${said}: check the company domain (acme for acme.bamboohr.com).`;
      }
      if (result.status === 429 || result.status === 503) {
        return `BambooHR asked us to slow down or is unavailable (HTTP ${result.status}); try the test again in a minute.`;
      }
      return `BambooHR answered HTTP ${result.status}${said}.`;
    },
  },
  recordUrl: (settings, externalId) =>
    /^\d+$/.test(externalId)
      ? `https://${settings.company_domain}.bamboohr.com/employees/employee.php?id=${externalId}`
      : null,
};
