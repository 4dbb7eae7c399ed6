import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { stopSender } from '@/lib/queue/sender';
import {
  createPostingWithHired,
  createTestSource,
  startSyncOf,
  waitForRunFinished,
  setupMockReceiver,
} from '@/test/sync-harness';
import { type SpawnedWorker, workerProcesses } from '@/test/worker-process';

/**
 * Sources that misbehave, against one real worker process: each ends in its documented state in
 * bounded time, none holds up the others, and odd answers are stored safely without a crash.
 */
const mock = setupMockReceiver();
const workers = workerProcesses();
let worker: SpawnedWorker;

beforeAll(async () => {
  // A backoff base of 1 s (instead of the tests' 0) gives the bad sources' retries a measurable span.
  worker = await workers.start({ RETRY_DELAY_SECONDS: '1' });
});

afterAll(async () => {
  await workers.killAll();
  await stopSender();
});

function explain(err: Error): never {
  throw new Error(`${err.message}; worker output:\n${workers.output()}`);
}

async function syncTo(sourceIds: string[], hired: number, timeoutMs = 240_000) {
  const posting = await createPostingWithHired(hired);
  return waitForRunFinished(await startSyncOf(posting.slug, sourceIds), timeoutMs).catch(explain);
}

const deliveriesTo = (runId: string, sourceId: string) =>
  getDb()
    .selectFrom('sync_deliveries')
    .selectAll()
    .where('run_id', '=', runId)
    .where('source_id', '=', sourceId)
    .execute();

describe('misbehaving sources', () => {
  it('hang, reset, 500 forever and slow 429 each fail in their own way after max_attempts while a healthy source finishes first', async () => {
    mock.configure({ path: '/healthy', latency_ms: 20 });
    mock.configure({ path: '/hang', mode: 'hang' });
    mock.configure({ path: '/reset', mode: 'reset' });
    mock.configure({ path: '/err500', mode: 'status', fail_status: 500 });
    mock.configure({ path: '/slow429', mode: 'status', fail_status: 429, retry_after: 2, latency_ms: 500 });
    const healthy = await createTestSource(mock.url, { sync_endpoint: '/healthy' });
    const bad = [
      {
        path: '/hang',
        source: await createTestSource(mock.url, { sync_endpoint: '/hang', timeout_ms: 2000, max_attempts: 3 }),
        code: 'timeout',
        http: null,
        health: 'unreachable',
        attempts: 3,
      },
      {
        path: '/reset',
        source: await createTestSource(mock.url, { sync_endpoint: '/reset', max_attempts: 4 }),
        code: 'connection_failed',
        http: null,
        health: 'unreachable',
        attempts: 4,
      },
      {
        path: '/err500',
        source: await createTestSource(mock.url, { sync_endpoint: '/err500', max_attempts: 4 }),
        code: 'server_error',
        http: 500,
        health: 'degraded',
        attempts: 4,
      },
      {
        path: '/slow429',
        source: await createTestSource(mock.url, { sync_endpoint: '/slow429', max_attempts: 3 }),
        code: 'rate_limited',
        http: 429,
        health: 'degraded',
        attempts: 3,
      },
    ];
    const hired = 20;
    const run = await syncTo([healthy.id, ...bad.map((b) => b.source.id)], hired);
    expect(run).toMatchObject({ status: 'partially_failed', total: hired * 5, succeeded: hired, failed: hired * 4 });

    const good = await deliveriesTo(run.id, healthy.id);
    expect(good.map((d) => d.status)).toEqual(Array(hired).fill('succeeded'));
    const healthyDone = Math.max(...good.map((d) => d.delivered_at!.getTime()));
    for (const b of bad) {
      const rows = await deliveriesTo(run.id, b.source.id);
      expect(rows).toHaveLength(hired);
      for (const d of rows) {
        expect(d).toMatchObject({ status: 'failed', attempts: b.attempts, error_code: b.code, http_status: b.http });
      }
      // The healthy source did not wait for this one: it was through while this one was still
      // trying. For the hanging source (three 2 s timeouts per candidate, with backoff between)
      // before it had given up on a single candidate; for the quick failures before their last,
      // since their retries' backoff can end before the healthy source's last answer on a busy machine.
      const givenUp = rows.map((d) => d.updated_at.getTime());
      expect(b.path === '/hang' ? Math.min(...givenUp) : Math.max(...givenUp)).toBeGreaterThan(healthyDone);
      // Exactly max_attempts requests per candidate: nothing more, nothing less.
      expect(mock.stats().by_path[b.path].total_requests).toBe(hired * b.attempts);
      const source = await getDb()
        .selectFrom('sources')
        .select(['health_status'])
        .where('id', '=', b.source.id)
        .executeTakeFirstOrThrow();
      expect(source.health_status).toBe(b.health);
    }
    expect(
      await getDb()
        .selectFrom('sources')
        .select('health_status')
        .where('id', '=', healthy.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ health_status: 'healthy' });
    // Retry-After was honoured: attempts of one candidate at the slow 429 source are at least 2 s apart.
    const byDelivery = new Map<string, number[]>();
    for (const r of mock.requests({ path: '/slow429' })) {
      const id = r.headers['x-ats-delivery-id'];
      byDelivery.set(id, [...(byDelivery.get(id) ?? []), Date.parse(r.received_at)]);
    }
    for (const times of byDelivery.values()) {
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(2000);
    }
    expect(worker.child.exitCode).toBeNull();
  }, 300_000);

  it('huge and non-JSON answers, to webhook and batch sources, are stored truncated without a crash', async () => {
    mock.configure({ path: '/hugehook', mode: 'huge' });
    mock.configure({ path: '/texthook', mode: 'invalid_json' });
    mock.configure({ path: '/hugebatch', mode: 'huge' });
    mock.configure({ path: '/textbatch', mode: 'invalid_json' });
    const sources = [
      await createTestSource(mock.url, { sync_endpoint: '/hugehook' }),
      await createTestSource(mock.url, { sync_endpoint: '/texthook' }),
      await createTestSource(mock.url, { sync_endpoint: '/hugebatch', connector: 'rest_batch', batch_size: 5 }),
      await createTestSource(mock.url, { sync_endpoint: '/textbatch', connector: 'rest_batch', batch_size: 5 }),
    ];
    const run = await syncTo(
      sources.map((s) => s.id),
      30,
    );
    expect(run).toMatchObject({ status: 'completed', total: 120, succeeded: 120 });
    for (const source of sources) {
      for (const d of await deliveriesTo(run.id, source.id)) {
        expect(d.response_excerpt).not.toBeNull();
        expect(d.response_excerpt!.length).toBeLessThanOrEqual(2048 + '… [truncated]'.length);
        expect(d.external_id).toBeNull();
      }
    }
    expect(mock.stats().by_path['/hugehook'].total_requests).toBe(30);
    expect(mock.stats().by_path['/hugebatch'].total_requests).toBe(6);
    expect(worker.child.exitCode).toBeNull();
  }, 300_000);

  it('answers with NUL bytes (which PostgreSQL text cannot hold) are stored and the deliveries settle', async () => {
    // A real receiver of our own: the mock source has no binary mode.
    const binary = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url?.startsWith('/json')) {
          // Valid JSON whose id decodes to a string with a NUL in it.
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"id":"ext\\u0000nul"}');
          return;
        }
        const status = req.url?.startsWith('/reject') ? 400 : 200;
        res.writeHead(status, { 'content-type': 'application/octet-stream' });
        res.end(Buffer.from('\u0000\u0001PK\u0003\u0004 binary \u0000 answer', 'latin1'));
      });
    });
    await new Promise<void>((r) => binary.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(binary.address() as AddressInfo).port}`;
      const ok = await createTestSource(url, { sync_endpoint: '/accept' });
      const rejecting = await createTestSource(url, { sync_endpoint: '/reject' });
      const json = await createTestSource(url, { sync_endpoint: '/json' });
      const run = await syncTo([ok.id, rejecting.id, json.id], 3, 60_000);
      expect(run).toMatchObject({ status: 'partially_failed', succeeded: 6, failed: 3 });
      for (const d of await deliveriesTo(run.id, ok.id)) {
        expect(d).toMatchObject({ status: 'succeeded', http_status: 200 });
        expect(d.response_excerpt).toContain('binary');
        expect(d.response_excerpt).not.toContain('\u0000');
      }
      for (const d of await deliveriesTo(run.id, rejecting.id)) {
        expect(d).toMatchObject({ status: 'failed', http_status: 400, error_code: 'rejected', attempts: 1 });
        expect(d.error_message).toMatch(/^HTTP 400/);
      }
      for (const d of await deliveriesTo(run.id, json.id)) {
        expect(d).toMatchObject({ status: 'succeeded', external_id: 'ext\uFFFDnul' });
      }
      expect(worker.child.exitCode).toBeNull();
    } finally {
      binary.closeAllConnections();
      await new Promise((r) => binary.close(r));
    }
  }, 90_000);

  it('a source limited to one request at a time works through a backlog without pausing between jobs', async () => {
    // pg-boss waits its polling interval (1 s) after every job at batch size 1; the worker now fetches
    // again at once after a job, so 120 quick deliveries take seconds, not two minutes.
    const serial = await createTestSource(mock.url, { sync_endpoint: '/serial', max_concurrency: 1 });
    const run = await syncTo([serial.id], 120, 60_000);
    expect(run).toMatchObject({ status: 'completed', succeeded: 120 });
    expect(mock.stats().by_path['/serial']).toMatchObject({ unique_deliveries: 120, max_in_flight: 1 });
  }, 90_000);
});
