import {
  type FakeAnswer,
  RateLimitSwitch,
  type RunningFake,
  basicCredentials,
  parseJsonObject,
  startHttpFake,
} from './http-fake';

/**
 * A local BambooHR, as its API documentation describes it (the pages are cited in
 * lib/sync/connectors/bamboohr.ts):
 * - paths under `/api/gateway.php/{companyDomain}/v1/`, an unknown company answers 404;
 * - HTTP Basic with the API key as the user and any password; a missing or wrong key answers 401,
 *   a key whose user lacks access answers 403; the detail in `X-BambooHR-Error-Message`, no body;
 * - `GET /v1/meta/fields/`: the field list (the connection test);
 * - `POST /v1/employees/`: firstName and lastName required (400 naming the missing one), a field
 *   value BambooHR refuses (a date or status it does not know) 409, as BambooHR's published API
 *   specification (github.com/BambooHR/bhr-api-python, specs/public.yaml) answers both; unknown
 *   field names ignored, `201 Created` with the new employee's URL in `Location` and no body;
 * - `POST /v1/employees/{id}/`: only the given fields change, `status` is Active or Inactive (an
 *   Inactive employee made Active again is how a withdrawn hire comes back); `200`; an unknown
 *   employee answers 404;
 * - `GET /v1/employees/{id}/`: the stored fields as JSON;
 * - throttling: `429` with `Retry-After` (BambooHR since 16 September 2026) or, with
 *   `rateLimitStatus: 503`, the older `503` with `Retry-After`, for the next N requests.
 * The wording of the error messages is ours: BambooHR does not publish it.
 */

export type FakeBambooHrOptions = {
  companyDomain?: string;
  apiKey?: string;
  /** `no_access`: a valid key whose user may not see or change employees (403). */
  access?: 'full' | 'no_access';
  rateLimitStatus?: 429 | 503;
};

export type FakeBambooHr = RunningFake & {
  companyDomain: string;
  apiKey: string;
  /** The base URL a source points at: `http://127.0.0.1:<port>/api/gateway.php/<domain>/v1`. */
  baseUrl: string;
  employees: Map<string, Record<string, string>>;
  rateLimit: RateLimitSwitch;
};

/** Writable fields this fake knows; anything else is ignored, as BambooHR ignores unknown names. */
const FIELDS = [
  'firstName',
  'lastName',
  'homeEmail',
  'workEmail',
  'mobilePhone',
  'hireDate',
  'jobTitle',
  'department',
  'location',
  'employmentHistoryStatus',
  'status',
] as const;

const error = (status: number, message: string, headers: Record<string, string> = {}): FakeAnswer => ({
  status,
  headers: { 'x-bamboohr-error-message': message, ...headers },
});

function validate(body: Record<string, unknown>): string | null {
  for (const [key, value] of Object.entries(body)) {
    if (!(FIELDS as readonly string[]).includes(key)) continue;
    if (typeof value !== 'string') return `Invalid value for field "${key}": expected a string`;
  }
  if (body.status !== undefined && body.status !== 'Active' && body.status !== 'Inactive') {
    return 'Invalid value for field "status": expected Active or Inactive';
  }
  if (typeof body.hireDate === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(body.hireDate)) {
    return 'Invalid value for field "hireDate": expected yyyy-mm-dd';
  }
  return null;
}

export async function startFakeBambooHr(options: FakeBambooHrOptions = {}): Promise<FakeBambooHr> {
  const companyDomain = options.companyDomain ?? 'acme';
  const apiKey = options.apiKey ?? 'bamboo-test-key-0123456789abcdef';
  const employees = new Map<string, Record<string, string>>();
  const rateLimit = new RateLimitSwitch();
  let nextId = 40597;
  let origin = '';

  const fake = await startHttpFake(({ method, path, headers, body }) => {
    const throttled = rateLimit.take();
    if (throttled !== null) {
      return error(options.rateLimitStatus ?? 429, 'Rate limit exceeded', { 'retry-after': String(throttled) });
    }
    const prefix = /^\/api\/gateway\.php\/([^/]+)\/v1(\/.*)$/.exec(path);
    if (!prefix || prefix[1] !== companyDomain) return { status: 404 };
    const route = prefix[2];
    const creds = basicCredentials(headers);
    if (!creds || creds.user !== apiKey) return error(401, 'Invalid API key');
    if (options.access === 'no_access') return error(403, 'You do not have access to this resource');

    if (method === 'GET' && route === '/meta/fields/') {
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(FIELDS.map((alias, i) => ({ id: i + 1, name: alias, type: 'text', alias }))),
      };
    }
    const json = () => {
      if (!String(headers['content-type'] ?? '').includes('application/json')) return null;
      return parseJsonObject(body);
    };
    if (method === 'POST' && route === '/employees/') {
      const fields = json();
      if (!fields) return error(400, 'The request body could not be parsed');
      for (const required of ['firstName', 'lastName'] as const) {
        const v = fields[required];
        if (typeof v !== 'string' || !v.trim()) return error(400, `Missing required field: ${required}`);
      }
      const invalid = validate(fields);
      if (invalid) return error(409, invalid);
      const id = String(++nextId);
      const stored: Record<string, string> = { status: 'Active' };
      for (const key of FIELDS) if (typeof fields[key] === 'string') stored[key] = fields[key] as string;
      employees.set(id, stored);
      return { status: 201, headers: { location: `${origin}/api/gateway.php/${companyDomain}/v1/employees/${id}` } };
    }
    const one = /^\/employees\/(\d+)\/?$/.exec(route);
    if (one) {
      const employee = employees.get(one[1]);
      if (!employee) return error(404, `Employee ${one[1]} not found`);
      if (method === 'GET') {
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: one[1], ...employee }),
        };
      }
      if (method === 'POST') {
        const fields = json();
        if (!fields) return error(400, 'The request body could not be parsed');
        const invalid = validate(fields);
        if (invalid) return error(409, invalid);
        for (const key of FIELDS) if (typeof fields[key] === 'string') employee[key] = fields[key] as string;
        return { status: 200 };
      }
    }
    return { status: 404 };
  });
  origin = fake.url;
  return {
    ...fake,
    companyDomain,
    apiKey,
    baseUrl: `${fake.url}/api/gateway.php/${companyDomain}/v1`,
    employees,
    rateLimit,
  };
}
