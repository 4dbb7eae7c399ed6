import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { stopSender } from '@/lib/queue/sender';
import {
  createPostingWithHired,
  createTestSource,
  startSyncOf,
  waitFor,
  waitForRunFinished,
} from '@/test/sync-harness';
import { type SpawnedWorker, workerProcesses } from '@/test/worker-process';

/**
 * A receiver that counts the requests in flight at once and notes when each arrived. It holds
 * each request `holdMs` before answering, so that a limit is actually reached.
 */
type Arrival = { at: number; path: string; key: string };
function startReceiver() {
  let inFlight = 0;
  const maxInFlight = new Map<string, number>();
  const arrivals: Arrival[] = [];
  const behaviour = new Map<
    string,
    (n: number) => { status: number; headers?: Record<string, string>; holdMs: number }
  >();
  const server = http.createServer((req, res) => {
    const at = Date.now();
    const path = req.url ?? '/';
    const n = arrivals.filter((a) => a.path === path).length;
    arrivals.push({ at, path, key: String(req.headers['idempotency-key'] ?? '') });
    inFlight++;
    maxInFlight.set(path, Math.max(maxInFlight.get(path) ?? 0, inFlight));
    const answer = behaviour.get(path)?.(n) ?? { status: 200, holdMs: 0 };
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        inFlight--;
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end('{}');
      }, answer.holdMs);
    });
  });
  return {
    listen: () => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)),
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    on: (path: string, fn: (n: number) => { status: number; headers?: Record<string, string>; holdMs: number }) =>
      behaviour.set(path, fn),
    arrivals: (path: string) => arrivals.filter((a) => a.path === path),
    maxInFlight: (path: string) => maxInFlight.get(path) ?? 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const receiver = startReceiver();
const workers = workerProcesses();
let started: SpawnedWorker[] = [];

beforeAll(async () => {
  await receiver.listen();
  // Three worker processes, all ready (handlers in place) before any test starts a sync; at
  // level info they log each source they start delivering to.
  const start = () => workers.start({ LOG_LEVEL: 'info' });
  started = await Promise.all([start(), start(), start()]);
}, 120_000);

/** A new source is worked by all three workers (each logged it), so every one of them competes for it. */
async function createWorkedSource(overrides: Parameters<typeof createTestSource>[1]) {
  const source = await createTestSource(receiver.url(), overrides);
  await waitFor('all three workers to deliver to the new source', async () =>
    started.every((w) =>
      w
        .output()
        .split('\n')
        .some((line) => line.includes(source.id) && line.includes('delivering to source')),
    ),
  );
  return source;
}

afterAll(async () => {
  await workers.killAll();
  await stopSender();
  await receiver.close();
});

async function runTo(source: { id: string }, hired: number) {
  const posting = await createPostingWithHired(hired);
  const runId = await startSyncOf(posting.slug, [source.id]);
  const run = await waitForRunFinished(runId, 60_000).catch((err) => {
    throw new Error(`${err.message}; workers:\n${workers.output()}`);
  });
  return run;
}

describe('per-source limits across three worker processes', () => {
  it('never has more than max_concurrency requests in flight at the source, and reaches it', async () => {
    receiver.on('/concurrency', () => ({ status: 200, holdMs: 80 }));
    const source = await createWorkedSource({ sync_endpoint: '/concurrency', max_concurrency: 4 });
    const run = await runTo(source, 60);
    expect(run).toMatchObject({ status: 'completed', succeeded: 60 });
    expect(new Set(receiver.arrivals('/concurrency').map((a) => a.key)).size).toBe(60);
    // Each worker alone could send 4 at once: three of them could send 12 without a global limit.
    expect(receiver.maxInFlight('/concurrency')).toBe(4);
  }, 180_000);

  it('keeps max_requests_per_minute across workers: no window holds more than the bucket allows', async () => {
    receiver.on('/rate', () => ({ status: 200, holdMs: 5 }));
    // 600 a minute: 10 a second, at most one second's worth (10) at once.
    const source = await createWorkedSource({
      sync_endpoint: '/rate',
      max_concurrency: 8,
      max_requests_per_minute: 600,
    });
    const run = await runTo(source, 40);
    expect(run).toMatchObject({ status: 'completed', succeeded: 40 });
    const times = receiver
      .arrivals('/rate')
      .map((a) => a.at)
      .sort((a, b) => a - b);
    expect(times).toHaveLength(40);
    // In any window of w ms at most burst + rate × w start; three more for the spread of network and
    // scheduling delays between the token and the receiver on a busy machine (without the limit the
    // excess is 20).
    const burst = 10;
    const perMs = 10 / 1000;
    let worst = 0;
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= times[i] && t < times[i] + 1000).length;
      worst = Math.max(worst, inWindow - (burst + perMs * 1000));
    }
    expect(worst).toBeLessThanOrEqual(3);
  }, 180_000);

  it.each([429, 503])(
    'an HTTP %i with Retry-After pauses the source for every worker until then; the deliveries then complete',
    async (status) => {
      const path = `/pause-${status}`;
      receiver.on(path, (n) =>
        n === 0 ? { status, headers: { 'retry-after': '2' }, holdMs: 0 } : { status: 200, holdMs: 10 },
      );
      // One slot in all: nothing else is in flight when the answer comes back, so nothing may
      // reach the receiver until the pause ends, from whichever worker.
      const source = await createWorkedSource({ sync_endpoint: path, max_concurrency: 1 });
      const run = await runTo(source, 6);
      expect(run).toMatchObject({ status: 'completed', succeeded: 6 });
      const pause = await waitFor('the pause row', () =>
        getDb().selectFrom('source_pauses').selectAll().where('source_id', '=', source.id).executeTakeFirst(),
      );
      expect(pause).toMatchObject({ http_status: status });
      const [first, ...rest] = receiver.arrivals(path);
      expect(pause.paused_until.getTime()).toBeGreaterThanOrEqual(first.at + 2000);
      expect(rest.length).toBeGreaterThanOrEqual(6);
      for (const a of rest) expect(a.at).toBeGreaterThanOrEqual(pause.paused_until.getTime());
    },
    180_000,
  );
});
