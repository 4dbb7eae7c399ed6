import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as statsRoute from '@/app/api/v1/sync-admin/sync-stats/route';
import * as reportRoute from '@/app/api/v1/sync-admin/sync-stats/report/route';
import { getDb } from '@/lib/db';
import { getSender, stopSender } from '@/lib/queue/sender';
import { retryFailed } from '@/lib/sync/service';
import { type Auth, callRoute, createTestToken, createTestUser, type TestUser } from '@/test/fixtures';
import { binOf, percentile } from './histogram';
import { planWindow } from './stats';
import { ago, DAY, HOUR, insertPosting, insertRun, insertSource } from '@/test/sync-history-fixtures';

let admin: TestUser;
let adminToken: string;
let sourceA: string;
let sourceB: string;
let sourceGone: string;
let failedRun: string;
let tenDaysAgoRun: string;

/** Within the 5% bins' precision of the exact value. */
function near(value: number | null, exact: number) {
  expect(value).not.toBeNull();
  expect(Math.abs((value as number) - exact) / exact).toBeLessThanOrEqual(0.025);
}

async function stats(window?: string, auth: Auth = { token: adminToken }) {
  return callRoute(statsRoute.GET, {
    path: `/api/v1/sync-admin/sync-stats/${window ? `?window=${window}` : ''}`,
    auth,
  });
}

beforeAll(async () => {
  admin = await createTestUser('admin');
  adminToken = await createTestToken(admin);
  sourceA = await insertSource('Alpha HR');
  sourceB = await insertSource('Beta Payroll');
  sourceGone = await insertSource('Gone Partner', { deleted: true });
  const p = await insertPosting(4);
  const [c1, c2, c3, c4] = p.candidates.map((c) => c.id);
  // 2 hours ago: partially failed (2 + 1 succeeded, 1 failed, 1 skipped).
  await insertRun({
    postingId: p.id,
    status: 'partially_failed',
    createdAt: ago(2 * HOUR),
    requestedBy: admin.id,
    deliveries: [
      { sourceId: sourceA, candidateId: c1, status: 'succeeded', durationMs: 100 },
      { sourceId: sourceA, candidateId: c2, status: 'succeeded', durationMs: 200 },
      { sourceId: sourceA, candidateId: c3, status: 'skipped' },
      { sourceId: sourceB, candidateId: c1, status: 'succeeded', durationMs: 1000 },
      {
        sourceId: sourceB,
        candidateId: c2,
        status: 'failed',
        durationMs: 40,
        httpStatus: 500,
        errorCode: 'server_error',
        errorMessage: `HTTP 500 for ${p.candidates[1].email}`,
      },
    ],
  });
  // An hour ago and still running: one delivery waiting, one to a source deleted since.
  await insertRun({
    postingId: p.id,
    status: 'running',
    createdAt: ago(HOUR),
    deliveries: [
      { sourceId: sourceA, candidateId: c4, status: 'pending' },
      { sourceId: sourceGone, candidateId: c1, status: 'succeeded', durationMs: 50 },
    ],
  });
  // Three days ago, another posting: everything failed.
  const other = await insertPosting(2);
  failedRun = await insertRun({
    postingId: other.id,
    status: 'failed',
    createdAt: ago(3 * DAY),
    deliveries: [
      ...other.candidates.map((c) => ({
        sourceId: sourceA,
        candidateId: c.id,
        status: 'failed' as const,
        errorCode: 'rejected',
        errorMessage: 'HTTP 422: bad',
      })),
    ],
  });
  // Ten days ago: all delivered.
  tenDaysAgoRun = await insertRun({
    postingId: p.id,
    status: 'completed',
    createdAt: ago(10 * DAY),
    trigger: 'schedule',
    deliveries: [
      ...[c1, c2, c3, c4].map((c) => ({
        sourceId: sourceA,
        candidateId: c,
        status: 'succeeded' as const,
        durationMs: 300,
      })),
      { sourceId: sourceB, candidateId: c1, status: 'succeeded', durationMs: 400 },
    ],
  });
  // Forty days ago: outside every window.
  await insertRun({
    postingId: p.id,
    status: 'completed',
    createdAt: ago(40 * DAY),
    deliveries: [{ sourceId: sourceA, candidateId: c1, status: 'succeeded', durationMs: 5 }],
  });
});

afterAll(async () => {
  await stopSender();
});

describe('GET /api/v1/sync-admin/sync-stats', () => {
  it('counts the last 24 hours exactly, per source too, with percentiles of succeeded deliveries', async () => {
    const res = await stats('24h');
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.window).toBe('24h');
    expect(body.runs).toEqual({
      total: 2,
      pending: 0,
      running: 1,
      completed: 0,
      partially_failed: 1,
      failed: 0,
      cancelled: 0,
    });
    expect(body.deliveries).toEqual({ total: 7, succeeded: 4, failed: 1, skipped: 1, cancelled: 0, unfinished: 1 });
    expect(body.success_rate).toBe(0.8);
    const [alpha, beta, gone] = body.by_source;
    expect(alpha).toMatchObject({
      source_id: sourceA,
      name: 'Alpha HR',
      succeeded: 2,
      failed: 0,
      skipped: 1,
      unfinished: 1,
      success_rate: 1,
      health: 'healthy',
      deleted: false,
    });
    near(alpha.p50_ms, 100);
    near(alpha.p95_ms, 200);
    expect(beta).toMatchObject({ source_id: sourceB, succeeded: 1, failed: 1, success_rate: 0.5 });
    near(beta.p50_ms, 1000);
    expect(gone).toMatchObject({ source_id: sourceGone, succeeded: 1, deleted: true, is_active: false });
    expect(body.by_source).toHaveLength(3);

    const sum = (k: 'succeeded' | 'failed') =>
      body.timeseries.reduce((n: number, b: Record<string, number>) => n + b[k], 0);
    expect(sum('succeeded')).toBe(4);
    expect(sum('failed')).toBe(1);
    expect(body.timeseries.length).toBeGreaterThanOrEqual(24);
    const busiest = body.timeseries.find((b: { failed: number }) => b.failed === 1);
    expect(busiest.succeeded).toBe(3);
  });

  it('adds whole days from the day cache for 7 and 30 days, the same on a second read', async () => {
    const week = await stats('7d');
    expect(week.body.runs).toMatchObject({ total: 3, failed: 1, partially_failed: 1, running: 1 });
    expect(week.body.deliveries).toMatchObject({ succeeded: 4, failed: 3, skipped: 1 });
    expect(week.body.success_rate).toBe(Math.round((4 / 7) * 10_000) / 10_000);

    const month = await stats('30d');
    expect(month.body.runs).toMatchObject({ total: 4, completed: 1, failed: 1, partially_failed: 1, running: 1 });
    expect(month.body.deliveries).toEqual({
      total: 14,
      succeeded: 9,
      failed: 3,
      skipped: 1,
      cancelled: 0,
      unfinished: 1,
    });
    expect(month.body.success_rate).toBe(0.75);
    const alpha = month.body.by_source.find((s: { source_id: string }) => s.source_id === sourceA);
    expect(alpha).toMatchObject({ succeeded: 6, failed: 2 });
    near(alpha.p50_ms, 300);
    near(alpha.p95_ms, 300);

    const cachedDays = await getDb()
      .selectFrom('sync_stats_buckets')
      .select('bucket_start')
      .where('bucket_hours', '=', 24)
      .execute();
    expect(cachedDays.length).toBeGreaterThanOrEqual(28);
    const again = await stats('30d');
    expect({ ...again.body, to: null, from: null }).toEqual({ ...month.body, to: null, from: null });
  });

  it('notices a change to a cached day: a retry takes failures back to the queue', async () => {
    await stats('7d');
    const result = await retryFailed(
      getDb(),
      await getSender(),
      { kind: 'user', id: admin.id, email: admin.email, name: admin.name, role: 'admin', via: 'cli' },
      failedRun,
    );
    expect(result.retried).toBe(2);
    const week = await stats('7d');
    expect(week.body.runs).toMatchObject({ failed: 0, running: 2 });
    expect(week.body.deliveries).toMatchObject({ succeeded: 4, failed: 1, unfinished: 3 });
    // The two deliveries are one job (up to batch_size candidates) in the source's own queue, ready to run.
    expect(week.body.queue).toMatchObject({ queued: 1, active: 0, retry: 0, failed: 0 });
    expect(week.body.queue.by_queue).toContainEqual(
      expect.objectContaining({ name: `sync-deliver/${sourceA}`, label: 'Alpha HR', source_id: sourceA, queued: 1 }),
    );
  });

  it('notices deleted history (through the table statistics, which show deletes within seconds)', async () => {
    const before = (await stats('30d')).body.deliveries.total;
    // Flushing the statistics at the end of this transaction only saves waiting for the periodic flush.
    await getDb()
      .transaction()
      .execute(async (trx) => {
        await trx.deleteFrom('sync_runs').where('id', '=', tenDaysAgoRun).execute();
        await sql`select pg_stat_force_next_flush()`.execute(trx);
      });
    await expect.poll(async () => (await stats('30d')).body.deliveries.total, { timeout: 60_000 }).toBe(before - 5);
  });

  it('lists the workers whose heartbeat is fresh', async () => {
    const db = getDb();
    await db
      .insertInto('worker_heartbeats')
      .values([
        { id: 'w-alive', host: 'box-1', pid: 11, concurrency: 4, started_at: ago(HOUR), last_seen: ago(5_000) },
        { id: 'w-dead', host: 'box-2', pid: 12, concurrency: 8, started_at: ago(HOUR), last_seen: ago(120_000) },
      ])
      .execute();
    const res = await stats();
    expect(res.body.window).toBe('24h');
    expect(res.body.workers).toEqual([
      expect.objectContaining({ id: 'w-alive', host: 'box-1', pid: 11, concurrency: 4 }),
    ]);
  });

  it('is for admins only, by session or token; a bad window is 400 invalid_window', async () => {
    const recruiter = await createTestUser('recruiter');
    expect((await stats('24h', { session: recruiter })).status).toBe(403);
    expect((await stats('24h', { token: await createTestToken(recruiter) })).status).toBe(403);
    expect((await stats('24h', null)).status).toBe(401);
    expect((await stats('24h', { session: admin })).status).toBe(200);
    const bad = await stats('1y');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_window');
    const unknown = await callRoute(statsRoute.GET, {
      path: '/api/v1/sync-admin/sync-stats?days=3',
      auth: { token: adminToken },
    });
    expect(unknown.status).toBe(400);
  });
});

describe('GET /api/v1/sync-admin/sync-stats/report', () => {
  it('groups errors, finds the slowest deliveries, sums per posting and per day', async () => {
    const res = await callRoute(reportRoute.GET, {
      path: '/api/v1/sync-admin/sync-stats/report?window=30d',
      auth: { token: adminToken },
    });
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r.slowest[0]).toMatchObject({ duration_ms: 1000, source: { id: sourceB, name: 'Beta Payroll' } });
    expect(r.errors).toContainEqual(
      expect.objectContaining({ error_code: 'server_error', message: 'HTTP 500 for <email>', count: 1 }),
    );
    // The retried run's deliveries are pending again, so its 422s are no longer failures.
    expect(r.errors.find((e: { error_code: string }) => e.error_code === 'rejected')).toBeUndefined();
    expect(r.by_posting).toHaveLength(2);
    // The run of ten days ago was deleted above.
    expect(r.by_posting[0]).toMatchObject({ runs: 2, succeeded: 4, failed: 1, skipped: 1, failed_runs: 1 });
    expect(r.by_posting[1]).toMatchObject({ runs: 1, succeeded: 0, failed: 0, failed_runs: 0, success_rate: null });
    const trend = r.trend as { succeeded: number; failed: number }[];
    expect(trend.reduce((n, d) => n + d.succeeded, 0)).toBe(4);
    expect(trend.reduce((n, d) => n + d.failed, 0)).toBe(1);
  });

  it('keeps postings and errors per cached day, grouping like failures of several sources and days', async () => {
    const db = getDb();
    const p = await insertPosting(3);
    const failure = (sourceId: string, candidateId: string, id: string) => ({
      sourceId,
      candidateId,
      status: 'failed' as const,
      errorCode: 'rejected',
      errorMessage: `HTTP 404: no employee ${id}`,
    });
    const older = await insertRun({
      postingId: p.id,
      status: 'failed',
      createdAt: ago(6 * DAY),
      deliveries: [failure(sourceA, p.candidates[0].id, crypto.randomUUID())],
    });
    const newer = await insertRun({
      postingId: p.id,
      status: 'failed',
      createdAt: ago(5 * DAY),
      deliveries: [
        failure(sourceB, p.candidates[1].id, crypto.randomUUID()),
        failure(sourceA, p.candidates[2].id, crypto.randomUUID()),
      ],
    });
    // Rows written straight into the past are not changes the cache can notice: start it afresh.
    await db.deleteFrom('sync_stats_buckets').execute();
    const report = async () =>
      (
        await callRoute(reportRoute.GET, {
          path: '/api/v1/sync-admin/sync-stats/report?window=30d',
          auth: { token: adminToken },
        })
      ).body;
    const first = await report();
    const group = first.errors.find((e: { message: string }) => e.message === 'HTTP 404: no employee <id>');
    expect(group).toMatchObject({ error_code: 'rejected', count: 3, sources: ['Alpha HR', 'Beta Payroll'] });
    expect(group.example_task_id).toBe(newer);
    expect(first.by_posting).toContainEqual(
      expect.objectContaining({ job: expect.objectContaining({ id: p.id }), runs: 2, failed: 3, failed_runs: 2 }),
    );

    // Both days are now in the cache, and the second report is read from it.
    const cached = await db
      .selectFrom('sync_stats_bucket_errors')
      .select(['bucket_hours', 'source_id', 'count', 'example_run_id'])
      .where('message', '=', 'HTTP 404: no employee <id>')
      .execute();
    expect(cached).toHaveLength(3);
    expect(cached.every((e) => e.bucket_hours === 24)).toBe(true);
    expect(cached.map((e) => e.example_run_id).sort()).toEqual([older, newer, newer].sort());
    const postings = await db
      .selectFrom('sync_stats_bucket_postings')
      .select((eb) => eb.fn.sum<number>('runs').as('runs'))
      .where('job_posting_id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(Number(postings.runs)).toBe(2);
    expect({ ...(await report()), to: null, from: null }).toEqual({ ...first, to: null, from: null });
  });
});

describe('statistics helpers', () => {
  it('reads percentiles from 5% bins within 2.5%', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 20 + i * 7);
    const bins: number[] = [];
    for (const v of values) bins[binOf(v)] = (bins[binOf(v)] ?? 0) + 1;
    near(percentile(bins, 50), values[499]);
    near(percentile(bins, 95), values[949]);
    expect(percentile([], 50)).toBeNull();
  });

  it('splits a window into cached hours and whole days, and live edges', () => {
    const iso = (b: { start: number; hours: number }) => `${new Date(b.start).toISOString().slice(0, 13)}+${b.hours}`;
    const week = planWindow(new Date('2026-11-20T10:30:00Z'), '7d');
    expect(week.cached.map(iso)).toEqual([
      ...Array.from({ length: 13 }, (_, h) => `2026-11-13T${String(h + 11).padStart(2, '0')}+1`),
      ...['14', '15', '16', '17', '18', '19'].map((d) => `2026-11-${d}T00+24`),
      ...Array.from({ length: 10 }, (_, h) => `2026-11-20T${String(h).padStart(2, '0')}+1`),
    ]);
    expect(week.live.map(([a, b]) => [a.toISOString(), b.toISOString()])).toEqual([
      ['2026-11-13T10:30:00.000Z', '2026-11-13T11:00:00.000Z'],
      ['2026-11-20T10:00:00.000Z', '2026-11-20T10:30:00.000Z'],
    ]);
    // Just after the hour, the last hour is still read live: a late commit could still land in it.
    const day = planWindow(new Date('2026-11-20T10:01:00Z'), '24h');
    expect(day.cached).toHaveLength(22);
    expect(day.live.at(-1)?.[0].toISOString()).toBe('2026-11-20T09:00:00.000Z');
  });
});
