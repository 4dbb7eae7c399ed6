import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Personio (Public API v2) for tests: the paths, authentication, required attributes, error
 * answers and rate-limit answers its documentation describes, on 127.0.0.1.
 *
 * Built from:
 * - https://developer.personio.de/reference/post_v2-auth-token: `POST /v2/auth/token`, only
 *   `application/x-www-form-urlencoded`, `grant_type=client_credentials`, client_id/client_secret;
 *   the documented failures are 400 answers with an OAuth2 `error` (invalid_request for missing
 *   parameters, invalid_client, unauthorized_client for wrong credentials, unsupported_grant_type,
 *   invalid_scope).
 * - https://developer.personio.de/v2.0/reference/authentication: tokens are stable for 24 hours,
 *   usable in parallel; 150 token requests a minute, then 429.
 * - https://developer.personio.de/reference/post_v2-persons: `POST /v2/persons` creates a person
 *   and its employment (201), first_name and last_name required, email unique, scope
 *   personio:persons:write. The answer carries the person id and the employment ids; its exact
 *   example was not readable in the stored page, so the fake answers `{id, employments: [{id}]}`.
 * - Personio's Employment schema (employment-contract-v2, as published with the v2 API): the start
 *   is `employment_start_date` (yyyy-MM-dd); org units carry a lower-case type ("team",
 *   "department").
 * - https://developer.personio.de/reference/patch_v2-persons-person-id and
 *   .../patch_v2-persons-person-id-employments-employment-id: PATCH answers 204, 404 when unknown;
 *   employment status ONBOARDING | ACTIVE | LEAVE | INACTIVE, employment_start_date, position and
 *   type writable; nothing documented refuses an INACTIVE employment back to ONBOARDING or ACTIVE
 *   (how a withdrawn hire is brought back), so the fake takes it.
 * - https://developer.personio.de/v2.0/reference/get_v2-persons: `GET /v2/persons` (scope
 *   personio:persons:read), list answers in `_data` with `_meta.links`.
 * - v2 error answers (github.com/personio/api-docs sample-error-response-v2.yaml, and a 403 quoted
 *   in https://developer.personio.de/discuss/66eaa0208463360025fe0990): `personio_trace_id`,
 *   `timestamp`, `errors: [{title, detail, type, _meta}]`; 403 "Insufficient access scope".
 * - https://developer.personio.de/changelog/rate-limits-on-get-employees-endpoint-may-6-2024: a
 *   rate limit answers 429 (no rate-limit headers are documented).
 */

export type FakePersonioClient = { clientId: string; clientSecret: string; scopes: string[] };

export type FakePerson = {
  id: string;
  first_name: string;
  last_name: string;
  email: string | null;
  preferred_name: string | null;
  employments: {
    id: string;
    status: string;
    employment_start_date: string | null;
    position: unknown;
    type: string | null;
  }[];
};

export type FakePersonio = {
  url: string;
  persons: Map<string, FakePerson>;
  /** Every request, in order (path without the query). */
  requests: { method: string; path: string; body: string }[];
  tokensIssued: () => number;
  /** The next `n` API requests (not token requests) answer 429. */
  rateLimitNext: (n: number) => void;
  /** Every issued token stops working (as after a credential was rotated in Personio). */
  revokeTokens: () => void;
  /** The admin edits the credential's scopes in Personio: tokens issued before keep their old scopes. */
  setScopes: (clientId: string, scopes: string[]) => void;
  close: () => Promise<void>;
};

const TOKEN_LIFETIME_S = 24 * 3600;
const TOKEN_REQUESTS_PER_MINUTE = 150;
const STATUSES = new Set(['ONBOARDING', 'ACTIVE', 'LEAVE', 'INACTIVE']);
const TYPES = new Set(['INTERNAL', 'EXTERNAL']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ERRORS_PAGE = 'https://developer.personio.de/v2.0/page/public-api-error-codes';

type Token = { clientId: string; scopes: string[]; expiresAt: number };

export async function startFakePersonio(
  clients: FakePersonioClient[],
  options: { tokenLifetimeSeconds?: number } = {},
): Promise<FakePersonio> {
  const tokens = new Map<string, Token>();
  const persons = new Map<string, FakePerson>();
  const requests: FakePersonio['requests'] = [];
  let issued = 0;
  let limited = 0;
  let nextPerson = 1000;
  const tokenTimes: number[] = [];

  const json = (res: http.ServerResponse, status: number, body: unknown, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type });
    res.end(JSON.stringify(body));
  };
  const oauthError = (res: http.ServerResponse, status: number, error: string, description: string) =>
    json(res, status, { error, error_description: description });
  const problem = (
    res: http.ServerResponse,
    status: number,
    errors: { title: string; detail: string; code: string }[],
  ) =>
    json(
      res,
      status,
      {
        personio_trace_id: randomUUID(),
        timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        errors: errors.map((e) => ({ title: e.title, detail: e.detail, type: `${ERRORS_PAGE}#${e.code}`, _meta: {} })),
      },
      'application/problem+json',
    );
  const invalid = (res: http.ServerResponse, details: string[]) =>
    problem(
      res,
      400,
      details.map((detail) => ({ title: 'Invalid request', detail, code: 'commoninvalid_request' })),
    );

  function token(req: http.IncomingMessage, res: http.ServerResponse, body: string) {
    const now = Date.now();
    while (tokenTimes.length && tokenTimes[0] < now - 60_000) tokenTimes.shift();
    if (tokenTimes.length >= TOKEN_REQUESTS_PER_MINUTE) {
      return problem(res, 429, [
        { title: 'Too many requests', detail: 'Rate limit exceeded', code: 'commontoo_many_requests' },
      ]);
    }
    tokenTimes.push(now);
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return oauthError(res, 400, 'invalid_request', 'The request must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(body);
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (basic) {
      const [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      clientSecret = decodeURIComponent(secret ?? '');
    }
    const grantType = form.get('grant_type');
    if (!grantType || !clientId || !clientSecret) {
      return oauthError(res, 400, 'invalid_request', 'Required parameters are missing');
    }
    if (grantType !== 'client_credentials') {
      return oauthError(res, 400, 'unsupported_grant_type', 'Only client_credentials is supported');
    }
    const client = clients.find((c) => c.clientId === clientId);
    if (!client) return oauthError(res, 400, 'invalid_client', 'The client is not known');
    if (client.clientSecret !== clientSecret) {
      return oauthError(res, 400, 'unauthorized_client', 'The client credentials are not valid');
    }
    const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (asked.some((s) => !client.scopes.includes(s))) {
      return oauthError(res, 400, 'invalid_scope', 'The requested scope is not granted to this client');
    }
    const scopes = asked.length ? asked : client.scopes;
    const lifetime = options.tokenLifetimeSeconds ?? TOKEN_LIFETIME_S;
    const value = `papi-${randomBytes(24).toString('base64url')}`;
    tokens.set(value, { clientId: client.clientId, scopes, expiresAt: now + lifetime * 1000 });
    issued += 1;
    json(res, 200, { access_token: value, token_type: 'Bearer', expires_in: lifetime, scope: scopes.join(' ') });
  }

  function authorized(req: http.IncomingMessage, res: http.ServerResponse, scope: string): boolean {
    const value = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const t = value ? tokens.get(value) : undefined;
    if (!t || t.expiresAt <= Date.now()) {
      problem(res, 401, [
        {
          title: 'Unauthorized',
          detail: 'The access token is missing, invalid or expired',
          code: 'commonunauthorized',
        },
      ]);
      return false;
    }
    if (!t.scopes.includes(scope)) {
      problem(res, 403, [
        {
          title: 'Insufficient access scope',
          detail: 'Client scope insufficient to access resource',
          code: 'commonforbidden',
        },
      ]);
      return false;
    }
    return true;
  }

  function validatePerson(body: Record<string, unknown>, creating: boolean, selfId: string | null): string[] {
    const problems: string[] = [];
    for (const key of ['first_name', 'last_name'] as const) {
      const v = body[key];
      if (v === undefined && !creating) continue;
      if (typeof v !== 'string' || !v.trim()) problems.push(`${key}: must not be blank`);
    }
    for (const key of ['email', 'preferred_name'] as const) {
      if (body[key] !== undefined && typeof body[key] !== 'string') problems.push(`${key}: must be a string`);
    }
    if (typeof body.email === 'string') {
      if (!EMAIL.test(body.email)) problems.push('email: must be a well-formed email address');
      else if ([...persons.values()].some((p) => p.email === body.email && p.id !== selfId)) {
        problems.push('email: a person with this email already exists');
      }
    }
    return problems;
  }

  function validateEmployment(e: Record<string, unknown>, path: string): string[] {
    const problems: string[] = [];
    if (e.status !== undefined && !STATUSES.has(e.status as string)) {
      problems.push(`${path}status: must be one of ${[...STATUSES].join(', ')}`);
    }
    if (e.type !== undefined && !TYPES.has(e.type as string))
      problems.push(`${path}type: must be one of ${[...TYPES].join(', ')}`);
    if (
      e.employment_start_date !== undefined &&
      !(typeof e.employment_start_date === 'string' && DATE.test(e.employment_start_date))
    ) {
      problems.push(`${path}employment_start_date: must be a date (yyyy-MM-dd)`);
    }
    return problems;
  }

  function parseBody(res: http.ServerResponse, body: string): Record<string, unknown> | null {
    try {
      const parsed = JSON.parse(body);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
    } catch {
      // answered below
    }
    invalid(res, ['body: must be a JSON object']);
    return null;
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0];
      requests.push({ method: req.method ?? '', path, body });
      if (req.method === 'POST' && path === '/v2/auth/token') return token(req, res, body);
      if (!path.startsWith('/v2/persons')) {
        return problem(res, 404, [{ title: 'Not found', detail: 'No such endpoint', code: 'commonnot_found' }]);
      }
      if (limited > 0) {
        limited -= 1;
        return problem(res, 429, [
          { title: 'Too many requests', detail: 'Rate limit exceeded', code: 'commontoo_many_requests' },
        ]);
      }
      const parts = path.split('/').filter(Boolean).map(decodeURIComponent); // v2, persons, id?, employments?, eid?
      if (req.method === 'GET' && parts.length === 2) {
        if (!authorized(req, res, 'personio:persons:read')) return;
        const limit = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('limit') ?? 100);
        return json(res, 200, {
          _data: [...persons.values()].slice(0, limit),
          _meta: { links: { self: { href: `${fake.url}/v2/persons?limit=${limit}` } } },
        });
      }
      if (req.method === 'POST' && parts.length === 2) {
        if (!authorized(req, res, 'personio:persons:write')) return;
        const input = parseBody(res, body);
        if (!input) return;
        const employments = Array.isArray(input.employments) ? (input.employments as Record<string, unknown>[]) : [];
        const problems = [
          ...validatePerson(input, true, null),
          ...employments.flatMap((e, i) => validateEmployment(e ?? {}, `employments[${i}].`)),
        ];
        if (problems.length) return invalid(res, problems);
        nextPerson += 1;
        const person: FakePerson = {
          id: String(nextPerson),
          first_name: input.first_name as string,
          last_name: input.last_name as string,
          email: (input.email as string | undefined) ?? null,
          preferred_name: (input.preferred_name as string | undefined) ?? null,
          employments: (employments.length ? employments : [{}]).map((e) => ({
            id: randomUUID(),
            status: (e.status as string | undefined) ?? 'ONBOARDING',
            employment_start_date: (e.employment_start_date as string | undefined) ?? null,
            position: e.position ?? null,
            type: (e.type as string | undefined) ?? null,
          })),
        };
        persons.set(person.id, person);
        return json(res, 201, { id: person.id, employments: person.employments.map((e) => ({ id: e.id })) });
      }
      if (req.method === 'PATCH' && (parts.length === 3 || parts.length === 5)) {
        if (!authorized(req, res, 'personio:persons:write')) return;
        const person = persons.get(parts[2]);
        const employment =
          parts.length === 5 && parts[3] === 'employments' ? person?.employments.find((e) => e.id === parts[4]) : null;
        if (!person || (parts.length === 5 && !employment)) {
          return problem(res, 404, [
            { title: 'Resource not found', detail: 'The resource does not exist', code: 'commonnot_found' },
          ]);
        }
        const input = parseBody(res, body);
        if (!input) return;
        if (employment) {
          const problems = validateEmployment(input, '');
          if (problems.length) return invalid(res, problems);
          if (input.status !== undefined) employment.status = input.status as string;
          if (input.employment_start_date !== undefined) {
            employment.employment_start_date = input.employment_start_date as string;
          }
          if (input.position !== undefined) employment.position = input.position;
          if (input.type !== undefined) employment.type = input.type as string;
        } else {
          const problems = validatePerson(input, false, person.id);
          if (problems.length) return invalid(res, problems);
          for (const key of ['first_name', 'last_name', 'email', 'preferred_name'] as const) {
            if (typeof input[key] === 'string') person[key] = input[key] as string;
          }
        }
        res.writeHead(204).end();
        return;
      }
      problem(res, 405, [
        { title: 'Method not allowed', detail: `${req.method} ${path}`, code: 'commonmethod_not_allowed' },
      ]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake: FakePersonio = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    persons,
    requests,
    tokensIssued: () => issued,
    rateLimitNext: (n) => {
      limited = n;
    },
    revokeTokens: () => tokens.clear(),
    setScopes: (clientId, scopes) => {
      const client = clients.find((c) => c.clientId === clientId);
      if (client) client.scopes = scopes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
