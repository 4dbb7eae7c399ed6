import {
  type FakeAnswer,
  RateLimitSwitch,
  type RunningFake,
  basicCredentials,
  parseJsonObject,
  startHttpFake,
} from './http-fake';

/**
 * A local HiBob ("Bob"), as its API documentation describes it (the pages are cited in
 * lib/sync/connectors/hibob.ts):
 * - paths under `/v1/`; HTTP Basic with the service user's ID and token; a wrong pair answers 401,
 *   a service user whose permission group lacks a right answers 403;
 * - errors are JSON `{"key": "...", "error": "<message>"}`;
 * - `GET /v1/company/people/fields`: the fields metadata (the connection test), which needs no
 *   permission of the service user (apidocs.hibob.com/reference/get_company-people-fields);
 * - `POST /v1/people`: firstName, surname, email, work.site (one of the company's sites) and
 *   work.startDate (yyyy-MM-dd) required, 400 naming the missing or invalid one, 400 for an e-mail
 *   already in use (a terminated employee's too: Bob keeps terminated employees, and its docs name
 *   duplicates among the 400s); 200 with the new employee as JSON, its id in `id`;
 * - no rehire endpoint: Bob's API documents none (rehiring is done in the app);
 * - `PUT /v1/people/{id}`: only non-historical fields (work fields are refused), 304 when nothing
 *   changes, 200 otherwise, 404 for an unknown employee;
 * - `POST /v1/employees/{id}/terminate`: terminationDate required (not before the start date),
 *   optional terminationReason; 200 with no body;
 * - every answer carries X-RateLimit-Limit/Remaining/Reset; for the next N requests a switch
 *   answers 429 with X-RateLimit-Reset N seconds ahead.
 * The wording of the error messages is ours: Bob documents the shape, not the texts.
 */

export type HiBobPermission = 'create' | 'update' | 'terminate';

export type FakeHiBobOptions = {
  serviceUserId?: string;
  token?: string;
  permissions?: readonly HiBobPermission[];
  sites?: readonly string[];
  rateLimitPerMinute?: number;
};

export type FakeEmployee = {
  id: string;
  firstName: string;
  surname: string;
  email: string;
  work: Record<string, string>;
  lifecycle: { status: 'employed' | 'terminated'; terminationDate?: string; terminationReason?: string };
};

export type FakeHiBob = RunningFake & {
  serviceUserId: string;
  token: string;
  /** The base URL a source points at: `http://127.0.0.1:<port>/v1`. */
  baseUrl: string;
  employees: Map<string, FakeEmployee>;
  rateLimit: RateLimitSwitch;
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ROOT_FIELDS = ['firstName', 'surname'] as const;
const WORK_FIELDS = ['site', 'startDate', 'title', 'department'] as const;

export async function startFakeHiBob(options: FakeHiBobOptions = {}): Promise<FakeHiBob> {
  const serviceUserId = options.serviceUserId ?? 'SERVICE-4242';
  const token = options.token ?? 'hibob-test-token-0123456789abcdef';
  const permissions = new Set(options.permissions ?? ['create', 'update', 'terminate']);
  const sites = new Set(options.sites ?? ['Berlin', 'London', 'Remote (EU)', 'New York']);
  const limit = options.rateLimitPerMinute ?? 50;
  const employees = new Map<string, FakeEmployee>();
  const rateLimit = new RateLimitSwitch();
  let nextId = 3332883884017713000n;

  const answer = (status: number, value?: unknown, extra: Record<string, string> = {}): FakeAnswer => ({
    status,
    headers: {
      ...(value === undefined ? {} : { 'content-type': 'application/json' }),
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(limit - 1),
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 60),
      ...extra,
    },
    body: value === undefined ? '' : JSON.stringify(value),
  });
  const error = (status: number, key: string, message: string) => answer(status, { key, error: message });
  const need = (p: HiBobPermission, what: string) =>
    permissions.has(p) ? null : error(403, 'forbidden', `The service user is not permitted to ${what}`);

  const fake = await startHttpFake(({ method, path, headers, body }) => {
    const throttled = rateLimit.take();
    if (throttled !== null) {
      return answer(
        429,
        { key: 'rate_limit', error: 'Too many requests' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + throttled) },
      );
    }
    const creds = basicCredentials(headers);
    if (!creds || creds.user !== serviceUserId || creds.password !== token) {
      return error(401, 'unauthorized', 'Invalid service user credentials');
    }
    const json = () =>
      String(headers['content-type'] ?? '').includes('application/json') ? parseJsonObject(body) : null;

    if (method === 'GET' && path === '/v1/company/people/fields') {
      return answer(200, [
        ...ROOT_FIELDS.map((f) => ({ id: `root.${f}`, jsonPath: f, historical: false })),
        { id: 'root.email', jsonPath: 'email', historical: false },
        ...WORK_FIELDS.map((f) => ({ id: `work.${f}`, jsonPath: `work.${f}`, historical: true })),
      ]);
    }
    if (method === 'POST' && path === '/v1/people') {
      const denied = need('create', 'create employees');
      if (denied) return denied;
      const input = json();
      if (!input) return error(400, 'invalid_request', 'Malformed JSON body');
      const work = (input.work && typeof input.work === 'object' ? input.work : {}) as Record<string, unknown>;
      const required: [string, unknown][] = [
        ['firstName', input.firstName],
        ['surname', input.surname],
        ['email', input.email],
        ['work.site', work.site],
        ['work.startDate', work.startDate],
      ];
      for (const [name, value] of required) {
        if (typeof value !== 'string' || !value.trim()) {
          return error(400, 'validation_error', `Missing required field: ${name}`);
        }
      }
      if (!sites.has(work.site as string)) {
        return error(400, 'validation_error', `Invalid value for field work.site: "${work.site}" is not a site`);
      }
      if (!DATE.test(work.startDate as string)) {
        return error(400, 'validation_error', 'Invalid value for field work.startDate: expected yyyy-MM-dd');
      }
      const email = (input.email as string).toLowerCase();
      if ([...employees.values()].some((e) => e.email === email)) {
        return error(400, 'duplicate', `An employee with the email ${email} already exists`);
      }
      const id = String(++nextId);
      const stored: FakeEmployee = {
        id,
        firstName: input.firstName as string,
        surname: input.surname as string,
        email,
        work: Object.fromEntries(
          WORK_FIELDS.filter((f) => typeof work[f] === 'string').map((f) => [f, work[f] as string]),
        ),
        lifecycle: { status: 'employed' },
      };
      employees.set(id, stored);
      return answer(200, {
        id,
        firstName: stored.firstName,
        surname: stored.surname,
        email,
        displayName: `${stored.firstName} ${stored.surname}`,
        work: stored.work,
      });
    }
    const person = /^\/v1\/people\/([^/]+)$/.exec(path);
    if (person) {
      const employee = employees.get(decodeURIComponent(person[1]));
      if (method === 'GET') return employee ? answer(200, employee) : error(404, 'not_found', 'Employee not found');
      if (method === 'PUT') {
        const denied = need('update', 'edit employees');
        if (denied) return denied;
        if (!employee) return error(404, 'not_found', 'Employee not found');
        const input = json();
        if (!input) return error(400, 'invalid_request', 'Malformed JSON body');
        for (const key of Object.keys(input)) {
          if (!(ROOT_FIELDS as readonly string[]).includes(key)) {
            return error(400, 'validation_error', `Field ${key} cannot be updated with this endpoint`);
          }
        }
        let changed = false;
        for (const key of ROOT_FIELDS) {
          const v = input[key];
          if (typeof v === 'string' && v !== employee[key]) {
            employee[key] = v;
            changed = true;
          }
        }
        return answer(changed ? 200 : 304);
      }
    }
    const terminate = /^\/v1\/employees\/([^/]+)\/terminate$/.exec(path);
    if (terminate && method === 'POST') {
      const denied = need('terminate', 'terminate employees');
      if (denied) return denied;
      const employee = employees.get(decodeURIComponent(terminate[1]));
      if (!employee) return error(404, 'not_found', 'Employee not found');
      const input = json();
      if (!input) return error(400, 'invalid_request', 'Malformed JSON body');
      const date = input.terminationDate;
      if (typeof date !== 'string' || !date)
        return error(400, 'validation_error', 'Missing required field: terminationDate');
      if (!DATE.test(date))
        return error(400, 'validation_error', 'Invalid value for field terminationDate: expected yyyy-MM-dd');
      if (employee.work.startDate && date < employee.work.startDate) {
        return error(400, 'validation_error', 'terminationDate cannot be before the start date');
      }
      employee.lifecycle = {
        status: 'terminated',
        terminationDate: date,
        ...(typeof input.terminationReason === 'string' ? { terminationReason: input.terminationReason } : {}),
      };
      return answer(200);
    }
    return error(404, 'not_found', `No route ${method} ${path}`);
  });
  return { ...fake, serviceUserId, token, baseUrl: `${fake.url}/v1`, employees, rateLimit };
}
