import { randomUUID } from 'node:crypto';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as metricsRoute from '@/app/api/metrics/route';
import * as webhookRoute from '@/app/api/v1/webhooks/[id]/route';
import * as webhooksRoute from '@/app/api/v1/webhooks/route';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { stopSender } from '@/lib/queue/sender';
import { callRoute, createTestUser } from '@/test/fixtures';
import { createPostingWithHired, createTestSource, startTestSender } from '@/test/sync-harness';
import { startWorkerMetricsServer } from '@/worker/metrics-server';
import { authorizeMetrics } from './service';

const TOKEN = 'metrics-token-for-tests-0123456789';
process.env.METRICS_TOKEN = TOKEN;

type Sample = { name: string; labels: Record<string, string>; value: number };
type Exposition = { types: Map<string, string>; samples: Sample[] };

/** Just enough of the Prometheus text format (0.0.4) to check what we expose, strictly. */
function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        expect(['counter', 'gauge', 'histogram', 'summary', 'untyped']).toContain(meta[3]);
        types.set(meta[2], meta[3]);
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const m of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g)) labels[m[1]] = m[2];
    const value = sample[3] === '+Inf' ? Number.POSITIVE_INFINITY : Number(sample[3]);
    expect(Number.isNaN(value)).toBe(false);
    samples.push({ name: sample[1], labels, value });
  }
  // Every sample belongs to a declared family.
  for (const s of samples) {
    const family = s.name.replace(/_(bucket|sum|count)$/, '');
    expect(types.has(s.name) || types.has(family), `${s.name} has no # TYPE`).toBe(true);
  }
  return { types, samples };
}

function find(e: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return e.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

async function scrape(authorization?: string) {
  const headers = authorization ? { authorization } : undefined;
  const res = await metricsRoute.GET(new NextRequest('http://localhost:3000/api/metrics', { headers }));
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

let sourceId: string;
const stopAfter: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  const db = getDb();
  const source = await createTestSource('http://127.0.0.1:9', { name: 'Payroll "EU"', sync_endpoint: '/x' });
  sourceId = source.id;
  const posting = await createPostingWithHired(3);
  const run = await db
    .insertInto('sync_runs')
    .values({
      job_posting_id: posting.id,
      trigger: 'manual',
      requested_by: null,
      source_ids: null,
      status: 'partially_failed',
      total: 3,
      succeeded: 2,
      failed: 1,
      finished_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const deliveries = [
    { status: 'succeeded' as const, attempts: 1, duration_ms: 40 },
    { status: 'succeeded' as const, attempts: 3, duration_ms: 700 },
    { status: 'failed' as const, attempts: 2, duration_ms: 12_000 },
  ];
  await db
    .insertInto('sync_deliveries')
    .values(
      deliveries.map((d, i) => ({
        ...d,
        run_id: run.id,
        source_id: source.id,
        candidate_id: posting.candidateIds[i],
        payload_hash: 'h',
        idempotency_key: `k${i}`,
      })),
    )
    .execute();
  await db
    .insertInto('worker_heartbeats')
    .values({ id: 'metrics-test', host: 'h', pid: 1, concurrency: 4, started_at: new Date(), last_seen: new Date() })
    .execute();
});

afterAll(async () => {
  for (const stop of stopAfter) await stop();
  await stopSender();
});

describe('GET /api/metrics', () => {
  it('is off without METRICS_TOKEN (404) and needs the token when set (401)', async () => {
    expect(() => authorizeMetrics({ METRICS_TOKEN: undefined }, `Bearer ${TOKEN}`)).toThrow(
      /metrics are disabled: set METRICS_TOKEN/,
    );
    const missing = await scrape();
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.text).error.code).toBe('unauthorized');
    expect((await scrape(`Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await scrape(`Basic ${TOKEN}`)).status).toBe(401);
  });

  it('serves runs, deliveries, durations, retries, queues, workers and request durations as Prometheus text', async () => {
    const admin = await createTestUser('admin');
    await callRoute(webhooksRoute.GET, { path: '/api/v1/webhooks', auth: { session: admin } });
    const unknownId = randomUUID();
    await callRoute(webhookRoute.GET, {
      path: `/api/v1/webhooks/${unknownId}`,
      params: { id: unknownId },
      auth: { session: admin },
    });

    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const e = parseExposition(res.text);

    expect(e.types.get('ats_sync_runs')).toBe('gauge');
    expect(find(e, 'ats_sync_runs', { status: 'partially_failed' })[0].value).toBe(1);
    expect(find(e, 'ats_sync_runs', { status: 'running' })[0].value).toBe(0);

    const source = { source_id: sourceId, source: 'Payroll \\"EU\\"' };
    expect(find(e, 'ats_sync_deliveries', { ...source, status: 'succeeded' })[0].value).toBe(2);
    expect(find(e, 'ats_sync_deliveries', { ...source, status: 'failed' })[0].value).toBe(1);
    expect(find(e, 'ats_sync_delivery_retries', source)[0].value).toBe(3);

    expect(e.types.get('ats_sync_delivery_duration_seconds')).toBe('histogram');
    const bucket = (le: string) => find(e, 'ats_sync_delivery_duration_seconds_bucket', { ...source, le })[0].value;
    expect([bucket('0.05'), bucket('0.5'), bucket('1'), bucket('10'), bucket('30'), bucket('+Inf')]).toEqual([
      1, 1, 2, 2, 3, 3,
    ]);
    expect(find(e, 'ats_sync_delivery_duration_seconds_count', source)[0].value).toBe(3);
    expect(find(e, 'ats_sync_delivery_duration_seconds_sum', source)[0].value).toBeCloseTo(12.74);

    expect(find(e, 'ats_workers_alive')[0].value).toBe(1);
    expect(find(e, 'ats_worker_slots')[0].value).toBe(4);
    expect(find(e, 'ats_queue_depth', { queue: 'sync-run' })).toHaveLength(1);
    expect(find(e, 'ats_webhook_endpoints', { state: 'failing' })[0].value).toBe(0);

    expect(e.types.get('ats_http_request_duration_seconds')).toBe('histogram');
    const requests = (route: string, status: string) =>
      find(e, 'ats_http_request_duration_seconds_count', { method: 'GET', route, status })[0]?.value;
    expect(requests('/api/v1/webhooks', '200')).toBe(1);
    expect(requests('/api/v1/webhooks/[id]', '404')).toBe(1);
    expect(res.text).not.toContain(unknownId);
    expect(find(e, 'process_cpu_user_seconds_total')).toHaveLength(1);
  });
});

describe('worker metrics on WORKER_METRICS_PORT', () => {
  it('serves the worker process metrics with the same token', async () => {
    const boss = await startTestSender();
    const server = await startWorkerMetricsServer(getEnv(), { boss, workerId: 'w-1', concurrency: 3 }, '127.0.0.1');
    stopAfter.push(server.close, () => boss.stop({ graceful: false, close: true }));
    const url = `http://127.0.0.1:${server.port}/metrics`;

    expect((await fetch(url)).status).toBe(401);
    const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const e = parseExposition(await res.text());
    expect(find(e, 'ats_worker_info', { worker_id: 'w-1', concurrency: '3' })[0].value).toBe(1);
    expect(e.types.get('ats_worker_jobs_active')).toBe('gauge');
    expect(find(e, 'nodejs_eventloop_lag_seconds')).toHaveLength(1);
    expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
  });
});
