import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpTarget, sendRequest } from './outbound-client';

/**
 * The one outbound client against a real HTTP server on 127.0.0.1: what comes back (status, headers,
 * body), a huge answer cut off at the read limit, a 1xx before the answer, a source that does not
 * answer in time, one that refuses the connection, and a destination the guard closes.
 */
type Seen = { method: string; path: string; headers: http.IncomingHttpHeaders; body: string };
const seen: Seen[] = [];
let server: http.Server;
let base: string;
const hanging = new Set<http.ServerResponse>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      switch (new URL(req.url ?? '/', 'http://receiver').pathname) {
        case '/created':
          res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'r-1' });
          res.end('{"id":"emp-42"}');
          return;
        case '/huge': {
          // 1 MiB in 16 KiB pieces: the client stops reading after 64 KiB.
          res.writeHead(200, { 'content-type': 'text/plain' });
          const piece = 'x'.repeat(16 * 1024);
          let sent = 0;
          const more = () => {
            while (sent < 64) {
              sent += 1;
              if (!res.write(piece)) return void res.once('drain', more);
            }
            res.end();
          };
          res.on('error', () => {});
          more();
          return;
        }
        case '/early-hints':
          res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
          res.writeHead(202, { 'retry-after': '3' });
          res.end('accepted');
          return;
        case '/empty':
          res.writeHead(204).end();
          return;
        case '/silent':
          hanging.add(res);
          return;
        default:
          res.writeHead(404).end('no such path');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let n = 0;
function target(timeoutMs = 10_000): HttpTarget {
  n += 1;
  return { id: `target-${n}`, updatedAt: '2026-12-07T00:00:00.000Z', maxConcurrency: 2, timeoutMs };
}

describe('sendRequest', () => {
  it('sends the method, path, headers and body, and answers status, headers and body', async () => {
    const result = await sendRequest(target(), {
      url: `${base}/created?x=1`,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1' },
      body: '{"hello":"world"}',
    });
    expect(result).toMatchObject({ ok: true, status: 201, body: '{"id":"emp-42"}' });
    if (!result.ok) throw new Error('unreachable');
    expect(result.headers['x-request-id']).toBe('r-1');
    expect(result.headers['content-type']).toBe('application/json');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    const request = seen.find((s) => s.path === '/created?x=1');
    expect(request).toMatchObject({ method: 'POST', body: '{"hello":"world"}' });
    expect(request?.headers['idempotency-key']).toBe('k-1');
  });

  it('cuts a huge answer off at the read limit instead of buffering all of it', async () => {
    const result = await sendRequest(target(), { url: `${base}/huge`, method: 'GET', headers: {}, body: '' });
    expect(result.ok).toBe(true);
    if (!result.ok) throw new Error('unreachable');
    expect(result.status).toBe(200);
    expect(result.body.length).toBe(64 * 1024);
    expect(result.body).toMatch(/^x+$/);
  });

  it('answers the final status after a 1xx, with its headers', async () => {
    const result = await sendRequest(target(), { url: `${base}/early-hints`, method: 'POST', headers: {}, body: '' });
    expect(result).toMatchObject({ ok: true, status: 202, body: 'accepted' });
    if (!result.ok) throw new Error('unreachable');
    expect(result.headers['retry-after']).toBe('3');
  });

  it('answers an empty body as an empty string', async () => {
    const result = await sendRequest(target(), { url: `${base}/empty`, method: 'DELETE', headers: {}, body: '' });
    expect(result).toMatchObject({ ok: true, status: 204, body: '' });
  });

  it('gives up on a source that does not answer within its timeout, and says so', async () => {
    const result = await sendRequest(target(300), { url: `${base}/silent`, method: 'POST', headers: {}, body: '{}' });
    expect(result).toMatchObject({ ok: false, errorCode: 'timeout', message: 'no answer within 0.3 s' });
  });

  it('answers a refused connection as connection_failed', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await sendRequest(target(), {
      url: `http://127.0.0.1:${port}/x`,
      method: 'POST',
      headers: {},
      body: '',
    });
    expect(result).toMatchObject({ ok: false, errorCode: 'connection_failed', message: 'connection refused' });
  });

  it('refuses a destination the guard closes, without connecting', async () => {
    const before = seen.length;
    // 169.254.169.254 (cloud metadata) is closed whatever OUTBOUND_ALLOW_CIDRS opens for the tests.
    const result = await sendRequest(target(), {
      url: 'http://169.254.169.254/latest/meta-data/',
      method: 'GET',
      headers: {},
      body: '',
    });
    expect(result).toMatchObject({ ok: false, errorCode: 'destination_blocked' });
    expect(seen.length).toBe(before);
  });

  it('answers a URL it cannot parse as connection_failed', async () => {
    const result = await sendRequest(target(), { url: 'not a url', method: 'POST', headers: {}, body: '' });
    expect(result).toMatchObject({ ok: false, errorCode: 'connection_failed' });
  });
});
