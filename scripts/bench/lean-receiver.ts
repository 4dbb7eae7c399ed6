/**
 * The bench's receiver, as its own process so its CPU is counted apart from the bench's and its
 * event loop is not the poller's: a real HTTP server on 127.0.0.1 that checks every delivery (POST,
 * JSON content type, an Idempotency-Key and delivery id header, a candidate.hired body whose id is
 * the delivery id), counts duplicates and requests in flight per source (the first path segment),
 * and keeps each request's arrival time per source, without the demo receiver's recording, page and
 * fault modes: measured on the cold scenario, the demo receiver took 0.21-0.25 ms of CPU a request,
 * 60 % of the worker's, on the same two cores as the product (a real HR system's CPU is not ours).
 * Started by scripts/bench/receivers.ts; prints `listening <port>` on stdout.
 * GET /_stats answers the counters; GET /_arrivals?path=/p the arrival times (ms since the epoch)
 * of the requests under /p; POST /_reset?latency_ms=N clears them and answers after N ms from then
 * on (default LEAN_RECEIVER_LATENCY_MS).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const DEFAULT_LATENCY_MS = Number(process.env.LEAN_RECEIVER_LATENCY_MS ?? 0);
let latencyMs = DEFAULT_LATENCY_MS;

type Stats = {
  received: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  in_flight: number;
  max_in_flight: number;
  first_at: number | null;
  last_at: number | null;
  by_path: Record<string, number>;
  /** Per source (first path segment): the most requests in flight at once. */
  max_in_flight_by_path: Record<string, number>;
  last_rejection: string | null;
};

const fresh = (): Stats => ({
  received: 0,
  accepted: 0,
  rejected: 0,
  duplicates: 0,
  in_flight: 0,
  max_in_flight: 0,
  first_at: null,
  last_at: null,
  by_path: {},
  max_in_flight_by_path: {},
  last_rejection: null,
});
let stats = fresh();
let keys = new Set<string>();
// Per source: requests in flight now, and each request's arrival time.
let inFlightByPath = new Map<string, number>();
let arrivals = new Map<string, number[]>();
let externalIds = 0;

function check(req: http.IncomingMessage, body: string): string | null {
  if (req.method !== 'POST') return `method ${req.method}`;
  if (!req.headers['content-type']?.startsWith('application/json')) return 'content type';
  const key = req.headers['idempotency-key'];
  const deliveryId = req.headers['x-ats-delivery-id'];
  if (typeof key !== 'string' || !key || typeof deliveryId !== 'string') return 'missing delivery headers';
  let event: { id?: unknown; type?: unknown; data?: { candidate?: { email?: unknown } } };
  try {
    event = JSON.parse(body);
  } catch {
    return 'body is not JSON';
  }
  if (event.type !== 'candidate.hired' || event.id !== deliveryId || typeof event.data?.candidate?.email !== 'string')
    return 'not a candidate.hired event for this delivery';
  return null;
}

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  if (url === '/_stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    return;
  }
  if (url.startsWith('/_arrivals?')) {
    const path = new URL(url, 'http://receiver').searchParams.get('path') ?? '';
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(arrivals.get(path) ?? []));
    return;
  }
  if (url === '/_reset' || url.startsWith('/_reset?')) {
    const asked = new URL(url, 'http://receiver').searchParams.get('latency_ms');
    latencyMs = asked === null ? DEFAULT_LATENCY_MS : Number(asked);
    stats = fresh();
    keys = new Set();
    inFlightByPath = new Map();
    arrivals = new Map();
    res.writeHead(204).end();
    return;
  }
  const now = Date.now();
  const path = url.slice(0, url.indexOf('/', 1) >>> 0);
  stats.received += 1;
  stats.first_at ??= now;
  stats.in_flight += 1;
  stats.max_in_flight = Math.max(stats.max_in_flight, stats.in_flight);
  const inFlight = (inFlightByPath.get(path) ?? 0) + 1;
  inFlightByPath.set(path, inFlight);
  stats.max_in_flight_by_path[path] = Math.max(stats.max_in_flight_by_path[path] ?? 0, inFlight);
  const times = arrivals.get(path);
  if (times) times.push(now);
  else arrivals.set(path, [now]);
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const problem = check(req, Buffer.concat(chunks).toString('utf8'));
    const answer = () => {
      stats.in_flight -= 1;
      inFlightByPath.set(path, (inFlightByPath.get(path) ?? 1) - 1);
      stats.last_at = Date.now();
      stats.by_path[path] = (stats.by_path[path] ?? 0) + 1;
      if (problem) {
        stats.rejected += 1;
        stats.last_rejection = problem;
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad delivery"}');
        return;
      }
      const key = req.headers['idempotency-key'] as string;
      if (keys.has(key)) stats.duplicates += 1;
      else keys.add(key);
      stats.accepted += 1;
      const id = `lean-${(externalIds++).toString(36)}`;
      res.writeHead(201, { 'content-type': 'application/json' }).end(`{"id":"${id}"}`);
    };
    if (latencyMs > 0) setTimeout(answer, latencyMs);
    else answer();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
// Stops when the bench closes its stdin, or dies (the pipe closes with it): never left behind;
// SIGTERM for one started by hand.
const stop = () => server.close(() => process.exit(0));
process.stdin.on('end', stop).resume();
process.on('SIGTERM', stop);
