import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { freePort } from '@/test/setup/global-setup';
import {
  DEFAULT_MAX_REQUESTS,
  MAX_RECORDED_BODY_BYTES,
  type MockSource,
  MockRefusedInProduction,
  startMockSource,
  verifySignature,
  verifyStandardSignature,
} from './server';

let mock: MockSource;
/** How long a wait on the mock's state may take before the test fails: only reached when something is broken. */
const EVENTUALLY = { timeout: 30_000 };

beforeEach(async () => {
  mock = await startMockSource();
});

afterEach(async () => {
  await mock.close();
});

function deliver(path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(`${mock.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

function control(path: string, body?: unknown) {
  return fetch(`${mock.url}/_mock${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function sign(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

describe('deliveries', () => {
  it('listens on 127.0.0.1 and records what it answers', async () => {
    expect(mock.url).toBe(`http://127.0.0.1:${mock.port}`);
    const res = await deliver('/hris/employees?x=1', { name: 'Ada' }, { Authorization: 'Bearer t0k' });
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer).toEqual({ id: expect.stringMatching(/^ext_/), external_id: answer.id, received: true });

    const [record] = mock.requests();
    expect(record).toMatchObject({
      method: 'POST',
      path: '/hris/employees',
      query: '?x=1',
      body: '{"name":"Ada"}',
      json: { name: 'Ada' },
      status: 200,
      outcome: 'created',
      idempotency_key: null,
      client_aborted: false,
    });
    expect(record.headers.authorization).toBe('Bearer t0k');
    expect(record.headers['content-type']).toBe('application/json');
    expect(Number.isNaN(Date.parse(record.received_at))).toBe(false);
    expect(record.signature_valid).toBeUndefined();
  });

  it('records non-JSON bodies as raw text', async () => {
    await deliver('/csv', 'a,b\n1,2');
    expect(mock.requests()[0]).toMatchObject({ body: 'a,b\n1,2', json: null });
  });

  it('answers a batch with one result per item, in order', async () => {
    const res = await deliver('/payroll/batch', { candidates: [{ id: 'c-1' }, { id: 'c-2' }, { id: 'c-3' }] });
    const { results } = await res.json();
    expect(results.map((r: { id: string }) => r.id)).toEqual(['c-1', 'c-2', 'c-3']);
    expect(results.every((r: { status: string }) => r.status === 'ok')).toBe(true);
    expect(new Set(results.map((r: { external_id: string }) => r.external_id)).size).toBe(3);
  });

  it('answers a repeated Idempotency-Key with the first answer and counts a duplicate', async () => {
    const first = await (await deliver('/hris', { n: 1 }, { 'Idempotency-Key': 'cand-1' })).json();
    const again = await deliver('/hris', { n: 1 }, { 'Idempotency-Key': 'cand-1' });
    expect(again.status).toBe(200);
    expect((await again.json()).external_id).toBe(first.external_id);
    const other = await (await deliver('/hris', { n: 2 }, { 'Idempotency-Key': 'cand-2' })).json();
    expect(other.external_id).not.toBe(first.external_id);

    expect(mock.stats()).toMatchObject({ total_requests: 3, unique_deliveries: 2, duplicates: 1 });
    expect(mock.requests().map((r) => r.outcome)).toEqual(['created', 'duplicate', 'created']);
  });

  it('treats a key whose first attempt failed as new when retried', async () => {
    mock.configure({ fail_next: 1 });
    expect((await deliver('/hris', {}, { 'Idempotency-Key': 'k' })).status).toBe(503);
    expect((await deliver('/hris', {}, { 'Idempotency-Key': 'k' })).status).toBe(200);
    expect(mock.stats()).toMatchObject({ unique_deliveries: 1, duplicates: 0, failures: 1 });
  });

  it('processes a delivery whose client gave up, so the retry with the same key is a duplicate', async () => {
    // The client gives up once the mock has the request, well within this latency even on a busy machine.
    mock.configure({ latency_ms: 3000 });
    const controller = new AbortController();
    const first = deliver('/hris', { n: 1 }, { 'Idempotency-Key': 'timeout-1' }, controller.signal).catch(() => null);
    await vi.waitFor(() => expect(mock.requests()).toHaveLength(1), EVENTUALLY);
    controller.abort();
    await first;
    await vi.waitFor(() => expect(mock.requests()[0].outcome).toBe('created'), EVENTUALLY);

    const retry = await deliver('/hris', { n: 1 }, { 'Idempotency-Key': 'timeout-1' });
    expect(retry.status).toBe(200);
    expect(mock.stats()).toMatchObject({ unique_deliveries: 1, duplicates: 1 });
  });

  it('keeps only the newest requests beyond its cap', async () => {
    const small = await startMockSource({ maxRequests: 3 });
    try {
      for (let i = 1; i <= 5; i++) {
        await fetch(`${small.url}/n/${i}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
      }
      expect(small.requests().map((r) => r.path)).toEqual(['/n/3', '/n/4', '/n/5']);
      expect(small.stats().total_requests).toBe(5);
    } finally {
      await small.close();
    }
  });
});

describe('configured behaviour', () => {
  it('fails the next N requests, then succeeds', async () => {
    mock.configure({ fail_next: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await deliver('/hris', { i })).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(mock.config().global.fail_next).toBe(0);
    expect(mock.stats().failures).toBe(2);
  });

  it('sends Retry-After and the configured status with failures', async () => {
    mock.configure({ fail_next: 1, fail_status: 429, retry_after: 7 });
    const res = await deliver('/hris', {});
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect((await res.json()).error.code).toBe('mock_failure');
    const ok = await deliver('/hris', {});
    expect(ok.status).toBe(200);
    expect(ok.headers.get('retry-after')).toBeNull();
  });

  it('fails every request at failure_rate 1 and none at 0', async () => {
    mock.configure({ failure_rate: 1, fail_status: 502 });
    expect((await deliver('/x', {})).status).toBe(502);
    mock.configure({ failure_rate: 0 });
    expect((await deliver('/x', {})).status).toBe(200);
  });

  it('always answers fail_status in status mode', async () => {
    mock.configure({ mode: 'status', fail_status: 500 });
    for (let i = 0; i < 2; i++) expect((await deliver('/x', {})).status).toBe(500);
  });

  it('waits latency_ms before answering', async () => {
    mock.configure({ latency_ms: 150 });
    const started = performance.now();
    expect((await deliver('/slow', {})).status).toBe(200);
    // 1 ms of slack: timers are scheduled on whole milliseconds of the event loop's clock.
    expect(performance.now() - started).toBeGreaterThanOrEqual(149);
  });

  it('applies a path configuration only under that path, over the global one', async () => {
    mock.configure({ fail_status: 502 });
    const config = mock.configure({ path: '/payroll/', mode: 'status' });
    expect(config.paths).toEqual({ '/payroll': { mode: 'status' } });
    expect(config.global).toMatchObject({ fail_status: 502, mode: 'ok', latency_ms: 0, retry_after: null });

    expect((await deliver('/payroll', {})).status).toBe(502);
    expect((await deliver('/payroll/employees', {})).status).toBe(502);
    expect((await deliver('/payrollx', {})).status).toBe(200);
    expect((await deliver('/hris', {})).status).toBe(200);
    expect(mock.stats().by_path['/payroll']).toMatchObject({ total_requests: 2, failures: 2 });
    expect(mock.stats().by_path['/hris']).toMatchObject({ total_requests: 1, unique_deliveries: 1 });
  });

  it('uses a path fail_next count before the global one', async () => {
    mock.configure({ fail_next: 1 });
    mock.configure({ path: '/hris', fail_next: 1 });
    expect((await deliver('/hris', {})).status).toBe(503);
    expect((await deliver('/payroll', {})).status).toBe(503);
    expect((await deliver('/hris', {})).status).toBe(200);
  });

  it('hangs until the client gives up, and keeps serving others', async () => {
    mock.configure({ path: '/hang', mode: 'hang' });
    // The client gives up once the mock has the request: a timer could fire before it even arrived.
    const controller = new AbortController();
    const given = deliver('/hang', {}, {}, controller.signal).then(
      () => 'answered',
      () => 'gave up',
    );
    await vi.waitFor(() => expect(mock.requests()).toHaveLength(1), EVENTUALLY);
    controller.abort();
    expect(await given).toBe('gave up');
    await vi.waitFor(() => expect(mock.stats().in_flight).toBe(0), EVENTUALLY);
    expect(mock.requests()[0]).toMatchObject({ outcome: 'hang', status: null, client_aborted: true });
    expect((await deliver('/fine', {})).status).toBe(200);
  });

  it('holds requests in hold mode until released over HTTP, then answers them as ok would', async () => {
    mock.configure({ path: '/held', mode: 'hold' });
    let answered = false;
    const pending = Promise.all([deliver('/held', { n: 1 }), deliver('/held', { n: 2 })]).then((r) => {
      answered = true;
      return r;
    });
    await vi.waitFor(() => expect(mock.stats().in_flight).toBe(2), { timeout: 30_000 });
    // Others are served while those wait.
    expect((await deliver('/other', {})).status).toBe(200);
    expect(answered).toBe(false);
    const release = await control('/release', {});
    expect(await release.json()).toEqual({ released: 2 });
    expect((await pending).map((r) => r.status)).toEqual([200, 200]);
    expect(await control('/release', {}).then((r) => r.json())).toEqual({ released: 0 });
  });

  it('lets held requests go on reset', async () => {
    mock.configure({ mode: 'hold' });
    const pending = deliver('/x', {});
    await vi.waitFor(() => expect(mock.stats().in_flight).toBe(1), { timeout: 30_000 });
    mock.reset();
    expect((await pending).status).toBe(200);
  });

  it('resets the connection without answering in reset mode', async () => {
    mock.configure({ mode: 'reset' });
    const error = await deliver('/x', {}).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(mock.requests()[0]).toMatchObject({ outcome: 'reset', status: null });
    mock.reset();
    expect((await deliver('/x', {})).status).toBe(200);
  });

  it('answers 200 with a body that is not JSON in invalid_json mode', async () => {
    mock.configure({ mode: 'invalid_json' });
    const res = await deliver('/x', {});
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow();
  });

  it('answers 200 with about 5 MB in huge mode', async () => {
    mock.configure({ mode: 'huge' });
    const res = await deliver('/x', {});
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(5_000_000);
    expect((await res.arrayBuffer()).byteLength).toBe(Number(res.headers.get('content-length')));
  });

  it('counts requests in flight at once, overall and per path', async () => {
    mock.configure({ mode: 'hang' });
    const controller = new AbortController();
    const pending = [
      ...['/hris/1', '/hris/2', '/hris/3', '/payroll/1', '/payroll/2'].map((p) =>
        deliver(p, {}, {}, controller.signal).catch(() => 'aborted'),
      ),
    ];
    // Hanging requests stay in flight until released, so the peak is known exactly.
    await vi.waitFor(() => expect(mock.stats().in_flight).toBe(5), EVENTUALLY);
    controller.abort();
    expect(await Promise.all(pending)).toEqual(Array(5).fill('aborted'));
    await vi.waitFor(() => expect(mock.stats().in_flight).toBe(0), EVENTUALLY);

    const stats = mock.stats();
    expect(stats.max_in_flight).toBe(5);
    expect(stats.by_path['/hris'].max_in_flight).toBe(3);
    expect(stats.by_path['/payroll'].max_in_flight).toBe(2);
  });
});

describe('signatures', () => {
  const secret = 'whsec_test_secret';

  it('records whether the signature of a delivery is valid where a secret is set', async () => {
    await mock.close();
    mock = await startMockSource({ signingSecrets: { '/hris': secret } });
    const body = JSON.stringify({ name: 'Ada' });
    const timestamp = '1767225600';
    const signed = { 'X-ATS-Timestamp': timestamp, 'X-ATS-Signature': sign(secret, timestamp, body) };

    await deliver('/hris', body, signed);
    await deliver('/hris', body, { ...signed, 'X-ATS-Timestamp': '1767225601' });
    await deliver('/hris', body, { 'X-ATS-Timestamp': timestamp, 'X-ATS-Signature': sign('other', timestamp, body) });
    await deliver('/hris', body);
    await deliver('/payroll', body, signed);

    expect(mock.requests().map((r) => r.signature_valid)).toEqual([true, false, false, false, undefined]);
  });

  it('verifySignature checks the HMAC of timestamp and raw body', () => {
    const body = '{"a":1}';
    const header = sign(secret, '100', body);
    expect(verifySignature(secret, '100', body, header)).toBe(true);
    expect(verifySignature(secret, '100', Buffer.from(body), header.toUpperCase().replace('V1=', 'v1='))).toBe(true);
    expect(verifySignature(secret, '100', '{"a":2}', header)).toBe(false);
    expect(verifySignature(secret, '101', body, header)).toBe(false);
    expect(verifySignature('other', '100', body, header)).toBe(false);
    expect(verifySignature(secret, '100', body, `v1=${'0'.repeat(64)}, ${header}`)).toBe(true);
    for (const bad of [null, '', header.slice(3), `v0=${header.slice(3)}`, header.slice(0, -2), 'v1=zz']) {
      expect(verifySignature(secret, '100', body, bad)).toBe(false);
    }
    expect(verifySignature(secret, undefined, body, header)).toBe(false);
  });

  it('verifies Standard Webhooks headers the standardwebhooks package signs, within 5 minutes', async () => {
    const standard = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    await mock.close();
    mock = await startMockSource({ signingSecrets: { '/hris': standard } });
    const body = JSON.stringify({ name: 'Ada' });
    const now = new Date();
    const signedAt = (at: Date, key = standard) => ({
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(key).sign('msg_1', at, body),
    });
    await deliver('/hris', body, signedAt(now));
    await deliver('/hris', body, signedAt(new Date(now.getTime() - 6 * 60_000)));
    await deliver('/hris', body, signedAt(now, `whsec_${Buffer.alloc(32, 8).toString('base64')}`));
    await deliver('/hris', body, { ...signedAt(now), 'webhook-id': 'msg_2' });
    expect(mock.requests().map((r) => r.signature_valid)).toEqual([true, false, false, false]);
    const two = signedAt(now);
    expect(
      verifyStandardSignature(
        standard,
        { ...two, 'webhook-signature': `v1,${'A'.repeat(43)}= ${two['webhook-signature']}` },
        body,
      ),
    ).toBe(true);
  });
});

describe('control API', () => {
  it('changes the configuration over HTTP and rejects bad input with 422', async () => {
    const res = await control('/config', { path: '/hris', latency_ms: 5, retry_after: 3 });
    expect(res.status).toBe(200);
    expect((await res.json()).paths['/hris']).toEqual({ latency_ms: 5, retry_after: 3 });

    for (const bad of [
      { latency_ms: -1 },
      { mode: 'explode' },
      { failure_rate: 1.5 },
      { fail_status: 99 },
      { path: 'hris' },
      { path: '/_mock/x' },
      { latency: 5 },
      [],
    ]) {
      const rejected = await control('/config', bad);
      expect(rejected.status, JSON.stringify(bad)).toBe(422);
      expect((await rejected.json()).error.code).toBe('validation_failed');
    }
    expect((await control('/config', '{not json')).status).toBe(400);
    expect(mock.config().paths).toEqual({ '/hris': { latency_ms: 5, retry_after: 3 } });
  });

  it('lists requests by path and limit, and shows stats', async () => {
    for (const p of ['/hris/1', '/payroll/1', '/hris/2', '/hris/3']) await deliver(p, {});
    const body = await (await control('/requests?path=/hris&limit=2')).json();
    expect(body.requests.map((r: { path: string }) => r.path)).toEqual(['/hris/2', '/hris/3']);
    expect((await control('/requests?limit=0')).status).toBe(422);
    const stats = await (await control('/stats')).json();
    expect(stats).toMatchObject({ total_requests: 4, by_path: { '/hris': { total_requests: 3 } } });
    expect(mock.requests().length).toBe(4);
  });

  it('does not count control calls as deliveries, and answers 404/405 for unknown ones', async () => {
    expect((await control('/nope')).status).toBe(404);
    expect((await fetch(`${mock.url}/_mock/stats`, { method: 'DELETE' })).status).toBe(405);
    expect(mock.stats().total_requests).toBe(0);
  });

  it('resets requests, stats, idempotency keys and configuration', async () => {
    mock.configure({ path: '/hris', fail_status: 500 });
    await deliver('/x', {}, { 'Idempotency-Key': 'same' });
    expect((await control('/reset', {})).status).toBe(200);
    expect(mock.requests()).toEqual([]);
    expect(mock.stats()).toEqual({
      total_requests: 0,
      unique_deliveries: 0,
      duplicates: 0,
      failures: 0,
      in_flight: 0,
      max_in_flight: 0,
      by_path: {},
    });
    expect(mock.config().paths).toEqual({});
    await deliver('/x', {}, { 'Idempotency-Key': 'same' });
    expect(mock.stats()).toMatchObject({ unique_deliveries: 1, duplicates: 0 });
  });

  it('shows a self-contained page with everything escaped', async () => {
    await deliver(
      '/hris',
      { name: '<script>alert(1)</script>' },
      { 'Idempotency-Key': '<img src=x onerror=alert(1)>' },
    );
    const res = await control('');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).toContain('unique deliveries');
  });
});

/** node:http, because fetch will not send a Host header of our choosing. */
function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url + options.path,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('hardening', () => {
  it('refuses to start with NODE_ENV=production', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    try {
      await expect(startMockSource()).rejects.toThrow(MockRefusedInProduction);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('npm run mock-source exits non-zero with a clear message under NODE_ENV=production', async () => {
    const port = await freePort();
    const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/mock-source.ts'], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production', MOCK_SOURCE_PORT: String(port) },
    });
    // A receiver that did start must not outlive the test.
    onTestFinished(() => {
      if (child.exitCode === null) child.kill();
    });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('mock source failed to start: the mock receiver is for development, tests and demos');
    expect(output).not.toContain('listening');
  });

  it('answers only to its own address: another Host gets 421 and nothing is recorded', async () => {
    const json = { 'content-type': 'application/json' };
    const foreign = [`evil.example:${mock.port}`, `127.0.0.1:${mock.port + 1}`, 'localhost', 'rebind.attacker.test'];
    for (const host of foreign) {
      const page = await rawRequest(mock.url, { path: '/_mock/requests', headers: { host } });
      expect(page.status, host).toBe(421);
      expect(JSON.parse(page.body).error.code).toBe('misdirected_request');
      const config = await rawRequest(mock.url, {
        method: 'POST',
        path: '/_mock/config',
        headers: { ...json, host },
        body: JSON.stringify({ mode: 'status' }),
      });
      expect(config.status, host).toBe(421);
      const delivery = await rawRequest(mock.url, {
        method: 'POST',
        path: '/hris',
        headers: { ...json, host },
        body: '{}',
      });
      expect(delivery.status, host).toBe(421);
    }
    expect(mock.requests()).toEqual([]);
    expect(mock.config().global.mode).toBe('ok');

    for (const host of [`localhost:${mock.port}`, `127.0.0.1:${mock.port}`, `LOCALHOST:${mock.port}`]) {
      const delivery = await rawRequest(mock.url, {
        method: 'POST',
        path: '/hris',
        headers: { ...json, host },
        body: '{}',
      });
      expect(delivery.status, host).toBe(200);
      expect((await rawRequest(mock.url, { path: '/_mock', headers: { host } })).status, host).toBe(200);
    }
    expect(mock.requests()).toHaveLength(3);
  });

  it('takes extra host names only when told to', async () => {
    const named = await startMockSource({ allowedHosts: ['mock.internal'] });
    try {
      const res = await rawRequest(named.url, {
        path: '/_mock/stats',
        headers: { host: `mock.internal:${named.port}` },
      });
      expect(res.status).toBe(200);
    } finally {
      await named.close();
    }
  });

  it('takes only application/json bodies on deliveries (415 otherwise, not recorded)', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
    ]) {
      const res = await fetch(`${mock.url}/hris`, { method: 'POST', headers: { 'content-type': type }, body: '{}' });
      expect(res.status, type).toBe(415);
      expect((await res.json()).error.code).toBe('unsupported_media_type');
    }
    const untyped = await rawRequest(mock.url, { method: 'POST', path: '/hris', body: '{}' });
    expect(untyped.status).toBe(415);
    expect(mock.requests()).toEqual([]);
    expect(mock.stats().total_requests).toBe(0);

    const withCharset = await deliver('/hris', { ok: true }, { 'content-type': 'application/json; charset=utf-8' });
    expect(withCharset.status).toBe(200);
    expect(mock.requests()).toHaveLength(1);
  });

  it('is no CSRF target: control calls a cross-site form could send are refused and change nothing', async () => {
    await deliver('/hris', { n: 1 });
    mock.configure({ latency_ms: 5 });
    const form = { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' };
    const reset = await fetch(`${mock.url}/_mock/reset`, { method: 'POST', headers: form, body: '' });
    expect(reset.status).toBe(415);
    const config = await fetch(`${mock.url}/_mock/config`, {
      method: 'POST',
      headers: { ...form, 'content-type': 'text/plain' },
      body: JSON.stringify({ mode: 'reset' }),
    });
    expect(config.status).toBe(415);
    expect(mock.requests()).toHaveLength(1);
    expect(mock.config().global).toMatchObject({ latency_ms: 5, mode: 'ok' });

    expect((await control('/reset', {})).status).toBe(200);
    expect(mock.requests()).toEqual([]);
  });

  it(`keeps at most ${DEFAULT_MAX_REQUESTS} requests by default`, async () => {
    const total = DEFAULT_MAX_REQUESTS + 5;
    for (let i = 0; i < total; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, total - i) }, (_, j) => deliver(`/n/${i + j}`, { n: i + j })),
      );
    }
    expect(mock.stats().total_requests).toBe(total);
    const kept = mock.requests();
    expect(kept).toHaveLength(DEFAULT_MAX_REQUESTS);
    expect(kept.at(-1)?.seq).toBe(total);
    expect(kept[0].seq).toBe(6);
  });

  it('keeps recorded bodies within a byte budget and cuts each at 256 KiB, answering on the whole body', async () => {
    const small = await startMockSource({ maxStoredBytes: 1000 });
    try {
      for (let i = 1; i <= 4; i++) {
        await fetch(`${small.url}/n/${i}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ pad: 'x'.repeat(400) }),
        });
      }
      expect(small.requests().map((r) => r.path)).toEqual(['/n/3', '/n/4']);
    } finally {
      await small.close();
    }

    const candidates = Array.from({ length: 3 }, (_, i) => ({
      id: `c-${i}`,
      pad: 'y'.repeat(MAX_RECORDED_BODY_BYTES),
    }));
    const res = await deliver('/payroll/batch', { candidates });
    const { results } = await res.json();
    expect(results.map((r: { id: string }) => r.id)).toEqual(['c-0', 'c-1', 'c-2']);
    const [record] = mock.requests();
    expect(record.body.length).toBe(MAX_RECORDED_BODY_BYTES);
    expect(record).toMatchObject({ body_truncated: true, json: null, outcome: 'created' });
  });
});
