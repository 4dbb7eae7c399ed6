import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopSender } from '@/lib/queue/sender';
import { type ApiServer, startApiServer } from '@/test/api-server';
import { CSRF_COOKIE, CSRF_HEADER } from '@/lib/auth/csrf';
import { createTestToken, createTestUser, sessionCookie, TEST_ORIGIN, type TestUser } from '@/test/fixtures';
import { getOpenApiDocument, PATH_SPECS } from './document';
import type { HttpMethod, OperationSpec } from './operation';

/**
 * The contract: every documented example goes through the route handlers on a real HTTP server on
 * 127.0.0.1, and every answer must be one the document lists for that operation, its body valid
 * against that answer's schema (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses). The same holds for
 * the refusals of a request without credentials (401) and of a recruiter on an admin route (403).
 */
const document = getOpenApiDocument() as unknown as {
  components: unknown;
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
};
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
const validators = new Map<object, ReturnType<typeof ajv.compile>>();

function validatorFor(schema: object) {
  let v = validators.get(schema);
  if (!v) {
    // The answer's schema with the document's components beside it, so `#/components/…` resolves.
    v = ajv.compile({ ...schema, components: document.components });
    validators.set(schema, v);
  }
  return v;
}

type Sent = { label: string; status: number; code?: string };

let api: ApiServer;
let receiver: Server;
let receiverUrl: string;
const ids: Record<string, string> = {};
const tokens: Record<'admin' | 'recruiter' | 'spare', string> = { admin: '', recruiter: '', spare: '' };
let adminUser: TestUser;

/** A Bearer token, or a signed-in session (cookie, CSRF cookie and header, the app's Origin). */
type Credential = string | { session: TestUser } | null;

async function credentialHeaders(credential: Credential): Promise<Record<string, string>> {
  if (!credential) return {};
  if (typeof credential === 'string') return { authorization: `Bearer ${credential}` };
  return {
    cookie: `${await sessionCookie(credential.session)}; ${CSRF_COOKIE}=contract-csrf`,
    [CSRF_HEADER]: 'contract-csrf',
    origin: TEST_ORIGIN,
  };
}

async function call(method: string, path: string, credential: Credential, body?: unknown) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: {
      ...(await credentialHeaders(credential)),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, type: res.headers.get('content-type') ?? '', json: () => JSON.parse(text) };
}

/** Seeds what the examples act on, through the API itself. */
async function seed() {
  const admin = await createTestUser('admin');
  adminUser = admin;
  const recruiter = await createTestUser('recruiter');
  const subject = await createTestUser('recruiter');
  tokens.admin = await createTestToken(admin);
  tokens.recruiter = await createTestToken(recruiter);
  // A token that revokes itself with DELETE /api/v1/tokens/{id} (the one way a token may revoke).
  tokens.spare = await createTestToken(admin);
  await createTestToken(subject);
  const own = (await call('GET', '/api/v1/tokens', tokens.spare)).json().data;
  ids.ownToken = own.find((t: { prefix: string }) => tokens.spare.startsWith(t.prefix.replace('…', ''))).id;
  ids.user = subject.id;
  ids.userToken = (await call('GET', `/api/v1/users/${subject.id}/tokens`, tokens.admin)).json().data[0].id;

  const job = (
    await call('POST', '/api/v1/jobs', tokens.admin, { title: `Contract ${randomUUID().slice(0, 6)}` })
  ).json();
  ids.slug = job.slug;
  const candidate = (
    await call('POST', `/api/v1/jobs/${job.slug}/candidates`, tokens.admin, {
      first_name: 'Hedy',
      last_name: 'Lamarr',
      email: 'hedy@example.com',
      stage: 'hired',
      start_date: '2027-01-04',
    })
  ).json();
  ids.candidate = candidate.id;
  const source = await call('POST', '/api/v1/sources', tokens.admin, {
    name: 'Contract receiver',
    connector: 'generic_webhook',
    base_url: receiverUrl,
    sync_endpoint: '/hooks',
    sync_mode: 'manual',
  });
  expect(source.status, source.text).toBe(201);
  ids.source = source.json().id;
  const run = (await call('POST', `/api/v1/jobs/${job.slug}/sync-hired-candidates`, tokens.admin, {})).json();
  ids.task = run.task_id;
  const deliveries = (await call('GET', `/api/v1/sync-admin/tasks/${run.task_id}/deliveries`, tokens.admin)).json();
  ids.delivery = deliveries.data[0]?.id ?? randomUUID();
  const webhook = await call('POST', '/api/v1/webhooks', tokens.admin, {
    name: 'Contract hook',
    url: `${receiverUrl}/webhook`,
    events: ['sync.completed'],
  });
  ids.webhook = webhook.json().id;
  const schedule = await call('POST', '/api/v1/schedules', tokens.admin, {
    name: 'Contract schedule',
    cron: '0 6 * * 1-5',
    scope: 'posting',
    job_slug: job.slug,
  });
  expect(schedule.status, schedule.text).toBe(201);
  ids.schedule = schedule.json().id;
  // alerts (issue 23 item 1): a Slack channel whose test message goes to the receiver, and a rule.
  const channel = await call('POST', '/api/v1/alerts/channels', tokens.admin, {
    name: 'Contract channel',
    kind: 'slack',
    slack_webhook_url: `${receiverUrl}/services/T1/B1/contract`,
  });
  expect(channel.status, channel.text).toBe(201);
  ids.alertChannel = channel.json().channel.id;
  const rule = await call('POST', '/api/v1/alerts/rules', tokens.admin, {
    name: 'Contract rule',
    kind: 'webhook_disabled',
    params: {},
    channel_ids: [ids.alertChannel],
  });
  expect(rule.status, rule.text).toBe(201);
  ids.alertRule = rule.json().rule.id;
}

/** The scenario's value for each path parameter of a documented path. */
function fill(path: string): string {
  const id = path.startsWith('/api/v1/alerts/channels/')
    ? ids.alertChannel
    : path.startsWith('/api/v1/alerts/rules/')
      ? ids.alertRule
      : path.startsWith('/api/v1/sources/')
        ? ids.source
        : path.startsWith('/api/v1/webhooks/')
          ? ids.webhook
          : path.startsWith('/api/v1/schedules/')
            ? ids.schedule
            : path.startsWith('/api/v1/users/')
              ? ids.user
              : path.startsWith('/api/v1/tokens/')
                ? ids.ownToken
                : path.startsWith('/api/v1/candidates/')
                  ? ids.candidate
                  : ids.task;
  return path
    .replace('{slug}', ids.slug)
    .replace('{taskId}', ids.task)
    .replace('{deliveryId}', ids.delivery)
    .replace('{tokenId}', ids.userToken)
    .replace('{id}', id);
}

type Request = { label: string; method: HttpMethod; path: string; spec: OperationSpec; url: string; body?: unknown };

function requestsOf(): Request[] {
  const all: Request[] = [];
  for (const specs of PATH_SPECS) {
    for (const [path, operations] of Object.entries(specs)) {
      for (const [method, spec] of Object.entries(operations) as [HttpMethod, OperationSpec][]) {
        const url = fill(path);
        const base = { method, path, spec };
        if (spec.bodyExamples) {
          for (const [name, ex] of Object.entries(spec.bodyExamples))
            all.push({ ...base, label: `${method} ${path} (${name})`, url, body: ex.value });
        } else if (spec.queryExamples) {
          for (const [name, ex] of Object.entries(spec.queryExamples))
            all.push({ ...base, label: `${method} ${path} (${name})`, url: `${url}?${new URLSearchParams(ex.value)}` });
        } else {
          all.push({ ...base, label: `${method} ${path}`, url });
        }
      }
    }
  }
  // Deletions last, so every other example finds what it acts on.
  return [...all.filter((r) => r.method !== 'delete'), ...all.filter((r) => r.method === 'delete')];
}

/** Checks one answer against the document; returns what was answered. */
function check(label: string, method: string, path: string, res: Awaited<ReturnType<typeof call>>): Sent {
  const op = document.paths[path][method];
  const answer = op.responses[String(res.status)];
  expect.soft(answer, `${label}: ${res.status} is not documented (${res.text.slice(0, 300)})`).toBeDefined();
  if (!answer) return { label, status: res.status };
  const content = answer.content;
  if (!content) {
    expect.soft(res.text, `${label}: ${res.status} has no body in the document`).toBe('');
    return { label, status: res.status };
  }
  if (content['application/json']) {
    expect(res.type, label).toMatch(/^application\/json/);
    const body = res.json();
    const validate = validatorFor(content['application/json'].schema);
    expect.soft(validate(body) ? [] : validate.errors, `${label}: ${res.status} ${res.text.slice(0, 500)}`).toEqual([]);
    return { label, status: res.status, code: body?.error?.code };
  }
  return { label, status: res.status };
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  api = await startApiServer();
  await seed();
});

afterAll(async () => {
  await api?.close();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  await stopSender();
});

describe('the OpenAPI contract, on a running server', () => {
  it('answers every documented example as the document says', async () => {
    const sent: Sent[] = [];
    for (const r of requestsOf()) {
      const credential: Credential = r.spec.sessionOnly
        ? { session: adminUser }
        : r.path === '/api/v1/tokens/{id}'
          ? tokens.spare
          : r.spec.access === 'admin'
            ? tokens.admin
            : r.spec.bare
              ? null
              : tokens.recruiter;
      const res = await call(r.method.toUpperCase(), r.url, credential, r.body);
      sent.push(check(r.label, r.method, r.path, res));
    }
    // The examples are meant to work: only these are refused in this scenario, each for its reason.
    const refused = sent.filter((s) => s.status >= 400).map((s) => `${s.label}: ${s.status} ${s.code}`);
    expect(refused).toEqual(EXPECTED_REFUSALS);
    expect(sent.length).toBeGreaterThan(60);
  });

  it('documents the refusal of a request without credentials and of a recruiter on an admin route', async () => {
    let checked = 0;
    for (const r of requestsOf()) {
      if (r.spec.bare || r.spec.access === 'public') continue;
      const anonymous = check(
        `${r.label} anonymous`,
        r.method,
        r.path,
        await call(r.method.toUpperCase(), r.url, null, r.body),
      );
      expect(anonymous.status, r.label).toBe(401);
      if (r.spec.access === 'admin') {
        const res = await call(r.method.toUpperCase(), r.url, tokens.recruiter, r.body);
        expect(check(`${r.label} recruiter`, r.method, r.path, res).code, r.label).toBe('forbidden');
      }
      checked += 1;
    }
    expect(checked).toBeGreaterThan(50);
  });
});

// No worker runs here: the scenario's run stays pending (so nothing to retry, and no deliveries yet).
const EXPECTED_REFUSALS: string[] = [
  // A pending run has no failed deliveries to retry.
  'post /api/v1/sync-tasks/{taskId}/retry-failed: 422 invalid_state',
  'post /api/v1/sync-admin/tasks/{id}/retry: 422 invalid_state',
  // Cancelled a moment before by POST /api/v1/sync-tasks/{taskId}/cancel.
  'post /api/v1/sync-admin/tasks/{id}/cancel: 422 invalid_state',
  // The worker's fan-out creates deliveries; the id asked for is a random one.
  'get /api/v1/sync-admin/tasks/{id}/deliveries/{deliveryId}: 404 not_found',
  // {deliveryId} is a sync delivery's id here, never a webhook delivery's.
  'post /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver: 404 webhook_delivery_not_found',
  // SMTP_URL is not set, so the email example is refused (the Slack one is created).
  'post /api/v1/alerts/channels (email): 422 email_not_configured',
  // METRICS_TOKEN is not set. (Readiness answers 200 "degraded" without a worker heartbeat.)
  'get /api/metrics: 404 not_found',
];
