import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderMockPage } from './render-page';
import {
  DEFAULT_BEHAVIOUR,
  type MockBehaviour,
  type MockConfig,
  type MockConfigInput,
  type MockCounters,
  type MockRequest,
  type MockStats,
  mockConfigInputSchema,
  requestsQuerySchema,
} from './schemas';
import { verifySignature, verifyStandardSignature } from './verify-signature';

/**
 * A fake external system ("source") for the demo, tests and benchmarks: records every delivery
 * and answers as configured (latency, failures, hangs, resets, bad bodies). It never forwards
 * anything. Every path outside /_mock is a delivery; /_mock is its control API and page.
 *
 * It is not for production (it refuses to start with NODE_ENV=production) and is hardened for a
 * developer's machine, where any web page the browser opens can send it requests:
 * - a `Host` other than its own address (localhost, 127.0.0.1, [::1] or the bound host, with its
 *   port) is answered 421, so a DNS-rebinding page cannot read /_mock;
 * - POST/PUT/PATCH (deliveries and control calls alike) must be `application/json` (415
 *   otherwise): a cross-site form or no-cors fetch cannot send that, so pages can neither change
 *   the configuration nor plant deliveries;
 * - memory stays bounded: at most `maxRequests` records (1,000 by default) and `maxStoredBytes`
 *   of recorded bodies (64 MiB), oldest dropped first; each recorded body is cut at 256 KiB; at
 *   most 100,000 idempotency keys and 1,000 per-path counters.
 */

export { verifySignature, verifyStandardSignature } from './verify-signature';
export type {
  MockBehaviour,
  MockConfig,
  MockConfigInput,
  MockCounters,
  MockMode,
  MockOutcome,
  MockRequest,
  MockStats,
} from './schemas';

export const DEFAULT_MAX_REQUESTS = 1_000;
export const DEFAULT_MAX_STORED_BYTES = 64 * 1024 * 1024;
/** Of each body only this much is kept for inspection; the answer is computed on the whole body. */
export const MAX_RECORDED_BODY_BYTES = 256 * 1024;
const MAX_IDEMPOTENCY_KEYS = 100_000;
const MAX_PATH_COUNTERS = 1_000;
/** Where requests under new first segments are counted once MAX_PATH_COUNTERS segments are known. */
const OTHER_PATHS = '/…';

export type MockSourceOptions = {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Signing secret per path prefix, e.g. `{ '/hris': 'whsec_…' }`: requests there get `signature_valid`. */
  signingSecrets?: Record<string, string>;
  /** Requests kept for inspection (default 1,000); the oldest are dropped beyond this. */
  maxRequests?: number;
  /** Bytes of recorded bodies kept (default 64 MiB); the oldest requests are dropped beyond this. */
  maxStoredBytes?: number;
  /** Host names besides localhost, 127.0.0.1, [::1] and `host` by which it may be addressed. */
  allowedHosts?: string[];
};

export type MockSource = {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Oldest first; `path` keeps requests under that prefix, `limit` the most recent ones. */
  requests(filter?: { path?: string; limit?: number }): MockRequest[];
  /** Merges the given fields into the behaviour of `path` (or the global one); throws on invalid input. */
  configure(input: MockConfigInput): MockConfig;
  config(): MockConfig;
  /** Forgets requests, statistics, idempotency keys and configuration; lets held requests go. */
  reset(): void;
  /** Lets every request held by the `hold` mode answer; says how many there were. */
  release(): number;
  stats(): MockStats;
};

const MAX_DELIVERY_BYTES = 16 * 1024 * 1024;
const MAX_CONTROL_BYTES = 64 * 1024;
const HUGE_PADDING_BYTES = 5 * 1024 * 1024;
const PAGE_REQUESTS = 50;

type StoredAnswer = { body: string };

type State = {
  seq: number;
  records: RingBuffer<MockRequest>;
  totals: MockCounters;
  byPath: Map<string, MockCounters>;
  idempotency: Map<string, StoredAnswer>;
  global: Partial<MockBehaviour>;
  paths: Map<string, Partial<MockBehaviour>>;
};

/** Oldest first; drops the oldest items while there are more than `capacity` or they weigh more than `maxWeight`. */
class RingBuffer<T> {
  private items: (T | undefined)[];
  private head = 0;
  private length = 0;
  private weight = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxWeight: number,
    private readonly weigh: (item: T) => number,
  ) {
    this.items = new Array(capacity);
  }

  push(item: T): void {
    if (this.length === this.capacity) this.dropOldest();
    this.items[(this.head + this.length) % this.capacity] = item;
    this.length += 1;
    this.weight += this.weigh(item);
    while (this.weight > this.maxWeight && this.length > 1) this.dropOldest();
  }

  private dropOldest(): void {
    const oldest = this.items[this.head] as T;
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.length -= 1;
    this.weight -= this.weigh(oldest);
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.items[(this.head + i) % this.capacity] as T);
    return out;
  }
}

function newCounters(): MockCounters {
  return { total_requests: 0, unique_deliveries: 0, duplicates: 0, failures: 0, in_flight: 0, max_in_flight: 0 };
}

function newState(maxRequests: number, maxStoredBytes: number): State {
  return {
    seq: 0,
    records: new RingBuffer<MockRequest>(maxRequests, maxStoredBytes, (r) => Buffer.byteLength(r.body)),
    totals: newCounters(),
    byPath: new Map(),
    idempotency: new Map(),
    global: {},
    paths: new Map(),
  };
}

/** Segment-aware: `/hris` covers `/hris` and `/hris/x` but not `/hrisx`. */
function underPrefix(prefix: string, pathname: string): boolean {
  return prefix === '/' || pathname === prefix || pathname.startsWith(`${prefix}/`);
}

function longestPrefix<T>(entries: Iterable<[string, T]>, pathname: string): [string, T] | undefined {
  let best: [string, T] | undefined;
  for (const entry of entries) {
    if (underPrefix(entry[0], pathname) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best;
}

function firstSegment(pathname: string): string {
  return `/${pathname.split('/')[1] ?? ''}`;
}

function normalisePrefix(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

function newExternalId(): string {
  return `ext_${randomBytes(8).toString('hex')}`;
}

function successBody(json: unknown): string {
  const candidates = (json as { candidates?: unknown } | null)?.candidates;
  if (Array.isArray(candidates)) {
    return JSON.stringify({
      results: candidates.map((item) => ({
        id: (item as { id?: unknown } | null)?.id ?? null,
        status: 'ok',
        external_id: newExternalId(),
      })),
    });
  }
  const id = newExternalId();
  return JSON.stringify({ id, external_id: id, received: true });
}

let hugePadding: Buffer | undefined;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** `application/json`, with parameters such as charset, and nothing else. */
function isJson(contentType: string | undefined): boolean {
  return /^application\/json\s*(;|$)/i.test(contentType ?? '');
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too_large');
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, code: string, message: string, details?: unknown): void {
  send(res, status, JSON.stringify({ error: { code, message, ...(details === undefined ? {} : { details }) } }));
}

export class MockRefusedInProduction extends Error {
  constructor() {
    super('the mock receiver is for development, tests and demos: it does not start with NODE_ENV=production');
  }
}

export async function startMockSource(options: MockSourceOptions = {}): Promise<MockSource> {
  if (process.env.NODE_ENV === 'production') throw new MockRefusedInProduction();
  const host = options.host ?? '127.0.0.1';
  const maxRequests = options.maxRequests ?? DEFAULT_MAX_REQUESTS;
  const maxStoredBytes = options.maxStoredBytes ?? DEFAULT_MAX_STORED_BYTES;
  const signingSecrets = new Map(
    Object.entries(options.signingSecrets ?? {}).map(([prefix, secret]) => [normalisePrefix(prefix), secret]),
  );
  let state = newState(maxRequests, maxStoredBytes);
  const timers = new Set<NodeJS.Timeout>();
  const held = new Set<() => void>();

  function hold(): Promise<void> {
    return new Promise((resolve) => held.add(resolve));
  }

  function release(): number {
    const waiting = [...held];
    held.clear();
    for (const go of waiting) go();
    return waiting.length;
  }

  function sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  function countersFor(st: State, pathname: string): MockCounters[] {
    const segment = firstSegment(pathname);
    const key = st.byPath.has(segment) || st.byPath.size < MAX_PATH_COUNTERS ? segment : OTHER_PATHS;
    let perPath = st.byPath.get(key);
    if (!perPath) {
      perPath = newCounters();
      st.byPath.set(key, perPath);
    }
    return [st.totals, perPath];
  }

  function configSnapshot(st: State): MockConfig {
    return {
      global: { ...DEFAULT_BEHAVIOUR, ...st.global },
      paths: Object.fromEntries([...st.paths].map(([p, b]) => [p, { ...b }])),
    };
  }

  function configure(input: MockConfigInput): MockConfig {
    const { path, ...fields } = mockConfigInputSchema.parse(input);
    if (path === undefined || path === '/') {
      Object.assign(state.global, fields);
    } else {
      state.paths.set(path, { ...state.paths.get(path), ...fields });
    }
    return configSnapshot(state);
  }

  function stats(): MockStats {
    return {
      ...state.totals,
      by_path: Object.fromEntries([...state.byPath].map(([p, c]) => [p, { ...c }])),
    };
  }

  function requests(filter: { path?: string; limit?: number } = {}): MockRequest[] {
    let list = state.records.toArray();
    if (filter.path) {
      const prefix = normalisePrefix(filter.path);
      list = list.filter((r) => underPrefix(prefix, r.path));
    }
    if (filter.limit !== undefined) list = filter.limit > 0 ? list.slice(-filter.limit) : [];
    return list.map((r) => ({ ...r, headers: { ...r.headers } }));
  }

  /** Takes one of the failures asked for with fail_next: the path's own count first, then the global one. */
  function takeFailNext(st: State, pathLayer: Partial<MockBehaviour> | undefined): boolean {
    for (const layer of [pathLayer, st.global]) {
      if (layer?.fail_next && layer.fail_next > 0) {
        layer.fail_next -= 1;
        return true;
      }
    }
    return false;
  }

  async function handleDelivery(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    // Everything about one request goes to the state it arrived in, so a reset meanwhile cannot skew the new counters.
    const st = state;
    const counters = countersFor(st, url.pathname);
    for (const c of counters) {
      c.total_requests += 1;
      c.in_flight += 1;
      c.max_in_flight = Math.max(c.max_in_flight, c.in_flight);
    }
    let record: MockRequest | undefined;
    res.once('close', () => {
      for (const c of counters) c.in_flight -= 1;
      if (record && !res.writableFinished && record.outcome !== 'reset') record.client_aborted = true;
    });

    const raw = await readBody(req, MAX_DELIVERY_BYTES);
    const whole = raw === 'too_large' ? '' : raw.toString('utf8');
    const truncated = raw !== 'too_large' && raw.length > MAX_RECORDED_BODY_BYTES;
    const parsed = parseJson(whole);
    const headers = headerRecord(req);
    record = {
      seq: ++st.seq,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      headers,
      body: truncated ? raw.subarray(0, MAX_RECORDED_BODY_BYTES).toString('utf8') : whole,
      body_truncated: truncated,
      json: truncated ? null : parsed,
      received_at: new Date().toISOString(),
      status: null,
      outcome: 'pending',
      idempotency_key: headers['idempotency-key'] ?? null,
      client_aborted: false,
    };
    st.records.push(record);
    if (raw === 'too_large') {
      record.outcome = 'too_large';
      record.status = 413;
      sendError(res, 413, 'payload_too_large', `the mock source accepts at most ${MAX_DELIVERY_BYTES} bytes`);
      return;
    }
    const secret = longestPrefix(signingSecrets, url.pathname)?.[1];
    if (secret !== undefined) {
      // A source in legacy mode sends X-ATS-Signature (and standard headers keyed by the secret's text); otherwise Standard Webhooks.
      record.signature_valid =
        headers['x-ats-signature'] !== undefined
          ? verifySignature(secret, headers['x-ats-timestamp'], raw, headers['x-ats-signature'])
          : verifyStandardSignature(secret, headers, raw);
    }

    // Decided on arrival, so "fail the next N" means the next N to arrive, whatever their latency.
    const pathLayer = longestPrefix(st.paths, url.pathname)?.[1];
    const behaviour: MockBehaviour = { ...DEFAULT_BEHAVIOUR, ...st.global, ...pathLayer };
    const answersNormally = ['ok', 'hold', 'invalid_json', 'huge'].includes(behaviour.mode);
    const fails =
      behaviour.mode === 'status' ||
      (answersNormally && (takeFailNext(st, pathLayer) || Math.random() < behaviour.failure_rate));

    await sleep(behaviour.latency_ms);
    if (behaviour.mode === 'hold') await hold();

    if (behaviour.mode === 'hang') {
      record.outcome = 'hang';
      return;
    }
    if (behaviour.mode === 'reset') {
      record.outcome = 'reset';
      req.socket.resetAndDestroy();
      return;
    }
    if (fails) {
      record.outcome = 'failed';
      record.status = behaviour.fail_status;
      for (const c of counters) c.failures += 1;
      const failureHeaders: Record<string, string> = { 'content-type': 'application/json' };
      if (behaviour.retry_after !== null) failureHeaders['retry-after'] = String(behaviour.retry_after);
      send(
        res,
        behaviour.fail_status,
        JSON.stringify({ error: { code: 'mock_failure', message: 'simulated failure' } }),
        failureHeaders,
      );
      return;
    }
    record.status = 200;
    if (behaviour.mode === 'invalid_json') {
      record.outcome = 'invalid_json';
      send(res, 200, '<html>this is not JSON {"id":', { 'content-type': 'application/json' });
      return;
    }
    if (behaviour.mode === 'huge') {
      record.outcome = 'huge';
      sendHuge(res);
      return;
    }
    // Processed even when the client has gone: that is how a retry after a client timeout becomes a duplicate.
    const key = record.idempotency_key;
    const previous = key === null ? undefined : st.idempotency.get(key);
    if (previous) {
      record.outcome = 'duplicate';
      for (const c of counters) c.duplicates += 1;
      send(res, 200, previous.body);
      return;
    }
    const answer = successBody(parsed);
    if (key !== null) {
      // A Map iterates in insertion order: the first key is the oldest.
      if (st.idempotency.size >= MAX_IDEMPOTENCY_KEYS)
        st.idempotency.delete(st.idempotency.keys().next().value as string);
      st.idempotency.set(key, { body: answer });
    }
    record.outcome = 'created';
    for (const c of counters) c.unique_deliveries += 1;
    send(res, 200, answer);
  }

  function sendHuge(res: ServerResponse): void {
    if (res.destroyed) return;
    hugePadding ??= Buffer.alloc(HUGE_PADDING_BYTES, 'x');
    const id = newExternalId();
    const head = Buffer.from(`{"id":"${id}","external_id":"${id}","received":true,"padding":"`);
    const tail = Buffer.from('"}');
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': head.length + hugePadding.length + tail.length,
    });
    res.write(head);
    res.write(hugePadding);
    res.end(tail);
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
    switch (route) {
      case 'GET /_mock': {
        const html = renderMockPage({
          url: baseUrl,
          config: configSnapshot(state),
          stats: stats(),
          requests: requests({ limit: PAGE_REQUESTS }).reverse(),
        });
        send(res, 200, html, {
          'content-type': 'text/html; charset=utf-8',
          // Recorded bodies come from anywhere: even if escaping failed, nothing may run.
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        });
        return;
      }
      case 'GET /_mock/requests': {
        const query = requestsQuerySchema.safeParse(Object.fromEntries(url.searchParams));
        if (!query.success) {
          sendError(res, 422, 'validation_failed', 'invalid query', query.error.issues);
          return;
        }
        send(res, 200, JSON.stringify({ requests: requests(query.data) }));
        return;
      }
      case 'GET /_mock/stats':
        send(res, 200, JSON.stringify(stats()));
        return;
      case 'GET /_mock/config':
        send(res, 200, JSON.stringify(configSnapshot(state)));
        return;
      case 'POST /_mock/config': {
        const raw = await readBody(req, MAX_CONTROL_BYTES);
        if (raw === 'too_large') {
          sendError(res, 413, 'payload_too_large', 'configuration body too large');
          return;
        }
        let input: unknown;
        try {
          input = JSON.parse(raw.toString('utf8'));
        } catch {
          sendError(res, 400, 'invalid_json', 'body must be JSON');
          return;
        }
        const parsed = mockConfigInputSchema.safeParse(input);
        if (!parsed.success) {
          sendError(res, 422, 'validation_failed', 'invalid mock configuration', parsed.error.issues);
          return;
        }
        send(res, 200, JSON.stringify(configure(parsed.data)));
        return;
      }
      case 'POST /_mock/reset':
        reset();
        send(res, 200, JSON.stringify({ reset: true }));
        return;
      case 'POST /_mock/release':
        send(res, 200, JSON.stringify({ released: release() }));
        return;
      default: {
        const known = ['/_mock', '/_mock/requests', '/_mock/stats', '/_mock/config', '/_mock/reset', '/_mock/release'];
        if (known.includes(url.pathname.replace(/\/+$/, ''))) sendError(res, 405, 'method_not_allowed', route);
        else sendError(res, 404, 'not_found', `no control endpoint ${url.pathname}`);
      }
    }
  }

  function reset(): void {
    release();
    state = newState(maxRequests, maxStoredBytes);
  }

  // Filled once the port is known; no request arrives before that.
  const ownHosts = new Set<string>();
  const server = http.createServer((req, res) => {
    res.on('error', () => {
      // The client went away mid-answer; nothing to do.
    });
    if (!ownHosts.has((req.headers.host ?? '').toLowerCase())) {
      sendError(res, 421, 'misdirected_request', 'the mock receiver answers only to its own address (Host header)');
      return;
    }
    if (BODY_METHODS.has(req.method ?? '') && !isJson(req.headers['content-type'])) {
      sendError(res, 415, 'unsupported_media_type', 'send the body as application/json');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://mock.invalid');
    const isControl = url.pathname === '/_mock' || url.pathname.startsWith('/_mock/');
    (isControl ? handleControl(req, res, url) : handleDelivery(req, res, url)).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) res.destroy();
      else sendError(res, 500, 'internal_error', err instanceof Error ? err.message : 'mock source error');
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostName = host.includes(':') ? `[${host}]` : host;
  const baseUrl = `http://${hostName}:${port}`;
  for (const name of ['localhost', '127.0.0.1', '[::1]', hostName, ...(options.allowedHosts ?? [])]) {
    ownHosts.add(`${name}:${port}`.toLowerCase());
  }

  let closed: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        release();
        server.close(() => resolve());
        // Hanging and keep-alive connections would otherwise hold close() open forever.
        server.closeAllConnections();
      });
      return closed;
    },
    requests,
    configure,
    config: () => configSnapshot(state),
    reset,
    release,
    stats,
  };
}
