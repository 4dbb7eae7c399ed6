import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as syncRoute from '@/app/(app)/recruitment/jobs/[slug]/sync-hired-candidates/route';
import * as statusRoute from '@/app/recruitment/sync/task/[taskId]/status/route';
import * as sourcesRoute from '@/app/api/v1/sources/route';
import * as sourceById from '@/app/api/v1/sources/[id]/route';
import * as sourceTest from '@/app/api/v1/sources/[id]/test/route';
import { getDb } from '@/lib/db';
import { createLogger, setLogger } from '@/lib/logger';
import { type MockSource, startMockSource } from '@/scripts/mock-source/server';
import { stopSender } from '@/lib/queue/sender';
import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import { type TestWorker, createPostingWithHired, startTestWorker, waitForRunFinished } from '@/test/sync-harness';

const BEARER = 'sk_live_BEARER_SECRET_abc123456789';
const SIGNING = 'whsec_SIGNING_SECRET_xyz987654321';
const PASSWORD = 'basic-PASSWORD-secret-777';
const PARTNER_KEY = 'PARTNER_KEY_secret_zz9988';
// Quotes and backslashes: escaped in any JSON text, so a search of serialized text for the raw value misses them.
const QUOTED_BEARER = 'pa"ss\\word-1234567890';
const QUOTED_KEY = 'k\\"ey"-QUOTED-0987654321';
const EDGE_BEARER = 'ed"ge\\BEARER-1122334455';
// Where the stored texts are cut: connection test answer, error message, response excerpt.
const CUTS = [200, 300, 2048];

/** Every form a stored or shown text may hold a secret in: raw, JSON-escaped up to three times, URL-encoded. */
function formsOf(secret: string): string[] {
  const forms = [secret];
  for (let i = 0; i < 3; i++) forms.push(JSON.stringify(forms[i]).slice(1, -1));
  return [...forms, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)];
}

const logLines: string[] = [];
let mock: MockSource;
let echo: http.Server;
let echoUrl: string;
let worker: TestWorker;

beforeAll(async () => {
  // Everything the product logs, at the most verbose level, goes through the real logger into memory.
  setLogger(
    createLogger(
      { LOG_LEVEL: 'trace', LOG_FILE: undefined, LOG_FILE_SIZE: '10m', LOG_FILE_FREQUENCY: 'daily' },
      { write: (line: string) => void logLines.push(line) },
    ),
  );
  mock = await startMockSource();
  // A careless receiver that echoes our request headers back in an error body.
  echo = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      res.writeHead(400, { 'content-type': 'application/json' });
      if (req.url === '/edge') {
        // The token, raw, straddling each place a stored text is cut, and the answer ends in the
        // middle of it (as when a receiver or its proxy cuts its own answer short).
        let body = '';
        for (const cut of CUTS) body = `${body.padEnd(cut - 6, '.')}${token}`;
        res.end(`${body} ${token.slice(0, 12)}`);
      } else if (req.url === '/escaped') {
        const query = `token=${encodeURIComponent(token)}&form=${new URLSearchParams({ t: token })}`;
        res.end(JSON.stringify({ query, you_sent: req.headers }));
      } else {
        res.end(JSON.stringify({ error: 'bad request', you_sent: req.headers }));
      }
    });
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  worker = await startTestWorker();
});

afterAll(async () => {
  await worker?.stop();
  await stopSender();
  await mock?.close();
  await new Promise((r) => echo?.close(r));
});

describe('secrets never leak', () => {
  it('a full sync with a bearer token, basic password, custom key and signing secret leaves them nowhere', async () => {
    const admin = await createTestUser('admin');
    const adminToken = await createTestToken(admin);
    const auth = { token: adminToken };
    const responses: unknown[] = [];
    const keep = <T extends { body: unknown }>(r: T) => {
      responses.push(r.body);
      return r;
    };

    const createSource = async (body: Record<string, unknown>) => {
      const created = keep(await callRoute(sourcesRoute.POST, { method: 'POST', auth, body }));
      expect(created.status).toBe(201);
      return created;
    };

    const good = await createSource({
      name: 'Secret HR',
      connector: 'generic_webhook',
      base_url: mock.url,
      sync_endpoint: '/secret-hr',
      auth: { type: 'bearer', token: BEARER },
      signing_secret: SIGNING,
      signing_mode: 'legacy',
      headers: { 'X-Partner-Key': PARTNER_KEY, 'X-Tenant': 'acme' },
    });
    expect(good.body).toMatchObject({
      auth: { type: 'bearer', secret_set: true, secret_mask: expect.stringMatching(/^••••/) },
      signing_secret: { secret_set: true },
      headers: { 'X-Tenant': 'acme' },
    });
    const leaky = await createSource({
      name: 'Echoing Payroll',
      connector: 'rest_batch',
      base_url: echoUrl,
      sync_endpoint: '/batch',
      auth: { type: 'basic', username: 'payroll-user', password: PASSWORD },
      signing_secret: SIGNING,
      signing_mode: 'legacy',
    });
    const escaping = await createSource({
      name: 'Escaping CRM',
      connector: 'generic_webhook',
      base_url: echoUrl,
      sync_endpoint: '/escaped',
      auth: { type: 'bearer', token: QUOTED_BEARER },
      headers: { 'X-Partner-Key': QUOTED_KEY },
    });
    const edge = await createSource({
      name: 'Edge HR',
      connector: 'generic_webhook',
      base_url: echoUrl,
      sync_endpoint: '/edge',
      auth: { type: 'bearer', token: EDGE_BEARER },
    });
    keep(
      await callRoute(sourceById.PATCH, {
        method: 'PATCH',
        auth,
        params: { id: good.body.id },
        body: { auth: { type: 'bearer' }, timeout_ms: 4000 },
      }),
    );
    keep(await callRoute(sourcesRoute.GET, { auth }));
    keep(await callRoute(sourceById.GET, { auth, params: { id: leaky.body.id } }));
    keep(await callRoute(sourceTest.POST, { method: 'POST', auth, params: { id: leaky.body.id } }));
    keep(await callRoute(sourceTest.POST, { method: 'POST', auth, params: { id: good.body.id } }));
    for (const source of [escaping, edge]) {
      const tested = keep(await callRoute(sourceTest.POST, { method: 'POST', auth, params: { id: source.body.id } }));
      expect(tested.body).toMatchObject({ ok: false, http_status: 400, error: expect.stringContaining('[redacted]') });
    }

    const posting = await createPostingWithHired(3);
    const started = keep(await callRoute(syncRoute.POST, { method: 'POST', auth, params: { slug: posting.slug } }));
    const run = await waitForRunFinished(started.body.task_id);
    expect(run).toMatchObject({ status: 'partially_failed', succeeded: 3, failed: 9 });
    const status = keep(await callRoute(statusRoute.GET, { auth, params: { taskId: run.id } }));
    expect(status.body.errors).toHaveLength(9);

    // The receivers did get the credentials: the test would prove nothing otherwise.
    expect(mock.requests({ path: '/secret-hr' })[0].headers.authorization).toBe(`Bearer ${BEARER}`);
    expect(mock.requests({ path: '/secret-hr' })[0].headers['x-partner-key']).toBe(PARTNER_KEY);

    const db = getDb();
    const audit = await db.selectFrom('audit_events').selectAll().execute();
    const deliveries = await db.selectFrom('sync_deliveries').selectAll().execute();
    const sources = await db
      .selectFrom('sources')
      .select(['health_error', 'auth_secret_hint', 'signing_secret_hint', 'headers'])
      .execute();
    expect(deliveries.some((d) => d.response_excerpt?.includes('you_sent'))).toBe(true);
    const excerptOf = (sourceId: string) => deliveries.find((d) => d.source_id === sourceId)?.response_excerpt ?? '';
    // The echoes reached the store (redacted), so the search below looks where the secrets would be.
    expect(excerptOf(escaping.body.id)).toMatch(/"query":"token=\[redacted\]&form=t=\[redacted\]"/);
    expect(excerptOf(edge.body.id)).toMatch(/^\.+\[redacted\]\.+\[redacted\]\.+\[redacted\] \[redacted\]$/);

    const haystacks: [string, string][] = [
      ['logs', logLines.join('\n')],
      ['audit events', JSON.stringify(audit)],
      ['API responses', JSON.stringify(responses)],
      ['stored deliveries', JSON.stringify(deliveries)],
      ['stored source health and hints', JSON.stringify(sources.map((s) => ({ ...s, headers: undefined })))],
    ];
    expect(logLines.length).toBeGreaterThan(10);
    const basic = Buffer.from(`payroll-user:${PASSWORD}`).toString('base64');
    for (const [where, text] of haystacks) {
      for (const secret of [BEARER, SIGNING, PASSWORD, PARTNER_KEY, basic, adminToken]) {
        expect(text.includes(secret), `${where} contain a secret (${secret.slice(0, 6)}…)`).toBe(false);
      }
      for (const secret of [QUOTED_BEARER, QUOTED_KEY, EDGE_BEARER]) {
        for (const form of formsOf(secret)) {
          // A piece cut off by truncation is a leak too.
          for (const piece of [form, form.slice(0, 6)]) {
            expect(text.includes(piece), `${where} contain ${JSON.stringify(piece)} of ${secret.slice(0, 2)}…`).toBe(
              false,
            );
          }
        }
      }
    }
  });
});
