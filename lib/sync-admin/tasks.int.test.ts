import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as bulkRoute from '@/app/api/v1/sync-admin/tasks/bulk/route';
import * as countRoute from '@/app/api/v1/sync-admin/tasks/count/route';
import * as deliveryRoute from '@/app/api/v1/sync-admin/tasks/[id]/deliveries/[deliveryId]/route';
import * as deliveriesRoute from '@/app/api/v1/sync-admin/tasks/[id]/deliveries/route';
import * as cancelRoute from '@/app/api/v1/sync-admin/tasks/[id]/cancel/route';
import * as rerunRoute from '@/app/api/v1/sync-admin/tasks/[id]/rerun/route';
import * as retryRoute from '@/app/api/v1/sync-admin/tasks/[id]/retry/route';
import * as taskRoute from '@/app/api/v1/sync-admin/tasks/[id]/route';
import * as tasksRoute from '@/app/api/v1/sync-admin/tasks/route';
import { getDb } from '@/lib/db';
import { stopSender } from '@/lib/queue/sender';
import { callRoute, createTestToken, createTestUser, type TestUser } from '@/test/fixtures';
import { ago, DAY, HOUR, insertPosting, insertRun, insertSource } from '@/test/sync-history-fixtures';

let admin: TestUser;
let token: string;
let sourceA: string;
let sourceB: string;
type Posting = Awaited<ReturnType<typeof insertPosting>>;
let p1: Posting;
let p2: Posting;
/** Every run of the list's data set, newest first, as the list must order them. */
let expected: { id: string; created_at: Date }[] = [];

async function list(query: string, auth: { token: string } | { session: TestUser } = { token }) {
  return callRoute(tasksRoute.GET, { path: `/api/v1/sync-admin/tasks?${query}`, auth });
}

async function walk(query: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeLessThanOrEqual(limit);
    ids.push(...res.body.data.map((t: { task_id: string }) => t.task_id));
    cursor = res.body.next_cursor;
    pages += 1;
  } while (cursor && pages < 100);
  return ids;
}

beforeAll(async () => {
  admin = await createTestUser('admin');
  token = await createTestToken(admin);
  sourceA = await insertSource('Tasks Alpha');
  sourceB = await insertSource('Tasks Beta');
  p1 = await insertPosting(3);
  p2 = await insertPosting(2);
  // 60 finished runs over two postings; every fifth shares its timestamp with the one before, so
  // the keyset must break ties on the id.
  const statuses = ['completed', 'partially_failed', 'failed', 'cancelled'] as const;
  const shared = ago(50 * HOUR);
  for (let i = 0; i < 60; i++) {
    const posting = i % 2 ? p2 : p1;
    const status = statuses[i % 4];
    const at =
      i % 5 === 3
        ? new Date(shared.getTime() - i * 1000)
        : i % 5 === 4
          ? new Date(shared.getTime() - (i - 1) * 1000)
          : ago(i * HOUR + 60_000);
    const c = posting.candidates[0].id;
    const id = await insertRun({
      postingId: posting.id,
      status,
      createdAt: at,
      trigger: i % 3 === 0 ? 'schedule' : i % 3 === 1 ? 'api' : 'manual',
      requestedBy: i % 3 === 0 ? null : admin.id,
      deliveries:
        i % 10 === 0
          ? []
          : [
              {
                sourceId: i % 2 ? sourceB : sourceA,
                candidateId: c,
                status: status === 'completed' ? 'succeeded' : status === 'cancelled' ? 'cancelled' : 'failed',
                durationMs: 120,
                errorCode: status === 'completed' ? undefined : 'rejected',
                errorMessage: status === 'completed' ? undefined : 'HTTP 422: rejected',
              },
            ],
    });
    expected.push({ id, created_at: at });
  }
  expected = expected.sort((a, b) => b.created_at.getTime() - a.created_at.getTime() || (a.id < b.id ? 1 : -1));
});

afterAll(async () => {
  await stopSender();
});

describe('GET /api/v1/sync-admin/tasks', () => {
  it('walks every run newest first across keyset pages, without duplicates or gaps', async () => {
    const ids = await walk('', 7);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    expect(ids).toEqual(expected.map((e) => e.id));
  });

  it('filters by status (several at once), posting, source, trigger and date range, also across pages', async () => {
    const failedish = await walk('status=failed,partially_failed', 4);
    expect(failedish).toHaveLength(30);
    const rows = await getDb().selectFrom('sync_runs').select(['id', 'status', 'job_posting_id', 'trigger']).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(failedish.every((id) => ['failed', 'partially_failed'].includes(byId.get(id)!.status))).toBe(true);

    const ofP2 = await walk(`posting=${p2.slug}`, 8);
    expect(ofP2).toHaveLength(30);
    expect(ofP2.every((id) => byId.get(id)!.job_posting_id === p2.id)).toBe(true);
    expect((await list('posting=no-such-posting')).body).toEqual({ data: [], next_cursor: null });

    // Runs of p2 (odd i) deliver to source B, except every tenth run, which has no deliveries.
    const toB = await walk(`source=${sourceB}`, 10);
    expect(toB).toHaveLength(30);

    const scheduled = await walk('trigger=schedule', 6);
    expect(scheduled).toHaveLength(20);
    expect(scheduled.every((id) => byId.get(id)!.trigger === 'schedule')).toBe(true);

    const from = ago(10 * HOUR + 30 * 60_000).toISOString();
    const to = ago(4 * HOUR + 30 * 60_000).toISOString();
    const inRange = await walk(`from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, 5);
    const exact = expected
      .filter((e) => e.created_at >= new Date(from) && e.created_at < new Date(to))
      .map((e) => e.id);
    expect(inRange).toEqual(exact);
    expect(exact.length).toBeGreaterThan(2);

    const res = await list('status=bogus');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_query');
  });

  it('finds a run by its id, an id prefix, or the email of a candidate it delivered', async () => {
    const target = expected[5].id;
    expect((await list(`q=${target}`)).body.data.map((t: { task_id: string }) => t.task_id)).toEqual([target]);
    const byPrefix = (await list(`q=${target.slice(0, 8)}`)).body.data.map((t: { task_id: string }) => t.task_id);
    expect(byPrefix).toContain(target);
    // Candidate 0 of p1 is in every run of p1 that has a delivery: 24 of 30.
    const email = p1.candidates[0].email;
    expect(await walk(`q=${encodeURIComponent(email.toUpperCase())}`, 10)).toHaveLength(24);
    const count = await callRoute(countRoute.GET, {
      path: `/api/v1/sync-admin/tasks/count?q=${encodeURIComponent(email)}`,
      auth: { token },
    });
    expect(count.body).toEqual({ count: 24, capped: false });
  });

  it('is for admins only', async () => {
    const recruiter = await createTestUser('recruiter');
    expect((await list('', { session: recruiter })).status).toBe(403);
    const bulk = await callRoute(bulkRoute.POST, {
      method: 'POST',
      auth: { token: await createTestToken(recruiter) },
      body: { action: 'cancel', filter: {} },
    });
    expect(bulk.status).toBe(403);
  });
});

describe('task detail', () => {
  it('shows who started the run, its counters, per-source breakdown and every delivery with the request sent', async () => {
    const posting = await insertPosting(3);
    const [a, b, c] = posting.candidates;
    const runId = await insertRun({
      postingId: posting.id,
      status: 'partially_failed',
      createdAt: ago(3 * HOUR),
      requestedBy: admin.id,
      sourceIds: [sourceA, sourceB],
      deliveries: [
        { sourceId: sourceA, candidateId: a.id, status: 'succeeded', durationMs: 80 },
        { sourceId: sourceA, candidateId: b.id, status: 'succeeded', durationMs: 120 },
        { sourceId: sourceA, candidateId: c.id, status: 'skipped' },
        {
          sourceId: sourceB,
          candidateId: a.id,
          status: 'failed',
          httpStatus: 400,
          errorCode: 'rejected',
          errorMessage: 'HTTP 400: {"error":"missing field"}',
        },
        { sourceId: sourceB, candidateId: b.id, status: 'succeeded', durationMs: 300 },
      ],
    });
    const res = await callRoute(taskRoute.GET, { params: { id: runId }, auth: { token } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      task_id: runId,
      status: 'partially_failed',
      job: { slug: posting.slug },
      trigger: 'manual',
      requested_by: { id: admin.id, name: admin.name, email: admin.email },
      source_ids: [sourceA, sourceB],
      total: 5,
      succeeded: 3,
      failed: 1,
      skipped: 1,
      unfinished: 0,
      can_retry: true,
      can_cancel: false,
    });
    expect(res.body.sources).toEqual([
      expect.objectContaining({ name: 'Tasks Alpha', total: 3, succeeded: 2, skipped: 1, p50_ms: 80, max_ms: 120 }),
      expect.objectContaining({ name: 'Tasks Beta', total: 2, succeeded: 1, failed: 1, p50_ms: 300 }),
    ]);

    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string }[]; next_cursor: string | null } } = await callRoute(
        deliveriesRoute.GET,
        {
          path: `/api/v1/sync-admin/tasks/${runId}/deliveries?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          params: { id: runId },
          auth: { token },
        },
      );
      ids.push(...page.body.data.map((d) => d.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);

    const failed = await callRoute(deliveriesRoute.GET, {
      path: `/api/v1/sync-admin/tasks/${runId}/deliveries?status=failed&source=${sourceB}`,
      params: { id: runId },
      auth: { token },
    });
    expect(failed.body.data).toHaveLength(1);
    const row = failed.body.data[0];
    expect(row).toMatchObject({
      candidate: { id: a.id, email: a.email },
      source: { id: sourceB, name: 'Tasks Beta' },
      status: 'failed',
      attempts: 1,
      http_status: 400,
      error_code: 'rejected',
      error_message: 'HTTP 400: {"error":"missing field"}',
    });
    const one = await callRoute(deliveryRoute.GET, { params: { id: runId, deliveryId: row.id }, auth: { token } });
    expect(one.body).toMatchObject({
      task_id: runId,
      request: { method: 'POST', url: 'http://127.0.0.1:9/hooks', headers: { authorization: '[redacted]' } },
      response_excerpt: 'HTTP 400: {"error":"missing field"}',
    });

    const bad = await callRoute(taskRoute.GET, { params: { id: 'nope' }, auth: { token } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_task_id');
    const missing = await callRoute(taskRoute.GET, {
      params: { id: '00000000-0000-4000-8000-000000000000' },
      auth: { token },
    });
    expect(missing.status).toBe(404);
  });

  it('links the external id of a delivery to the record where the connector has a page for it', async () => {
    const bamboo = await insertSource('Tasks BambooHR');
    const db = getDb();
    await db
      .updateTable('sources')
      .set({ connector: 'bamboohr', settings: JSON.stringify({ company_domain: 'acme' }) })
      .where('id', '=', bamboo)
      .execute();
    const posting = await insertPosting(2);
    const [a, b] = posting.candidates;
    const runId = await insertRun({
      postingId: posting.id,
      status: 'completed',
      createdAt: ago(HOUR),
      requestedBy: admin.id,
      sourceIds: [bamboo, sourceA],
      deliveries: [
        { sourceId: bamboo, candidateId: a.id, status: 'succeeded' },
        { sourceId: sourceA, candidateId: b.id, status: 'succeeded' },
      ],
    });
    await db.updateTable('sync_deliveries').set({ external_id: '40598' }).where('run_id', '=', runId).execute();
    const res = await callRoute(deliveriesRoute.GET, { params: { id: runId }, auth: { token } });
    const bySource = new Map(res.body.data.map((d: { source: { id: string } }) => [d.source.id, d]));
    expect(bySource.get(bamboo)).toMatchObject({
      external_id: '40598',
      record_url: 'https://acme.bamboohr.com/employees/employee.php?id=40598',
    });
    // A webhook has no record page: the id is shown, not linked.
    expect(bySource.get(sourceA)).toMatchObject({ external_id: '40598', record_url: null });
    const [row] = res.body.data.filter((d: { source: { id: string } }) => d.source.id === bamboo);
    const one = await callRoute(deliveryRoute.GET, { params: { id: runId, deliveryId: row.id }, auth: { token } });
    expect(one.body.record_url).toBe('https://acme.bamboohr.com/employees/employee.php?id=40598');
  });

  it('retries, cancels and re-runs a run through the sync service', async () => {
    const posting = await insertPosting(2);
    const runId = await insertRun({
      postingId: posting.id,
      status: 'failed',
      createdAt: ago(DAY),
      sourceIds: [sourceA],
      candidateIds: [posting.candidates[0].id],
      deliveries: [
        { sourceId: sourceA, candidateId: posting.candidates[0].id, status: 'failed', errorCode: 'rejected' },
      ],
    });
    const retried = await callRoute(retryRoute.POST, {
      method: 'POST',
      params: { id: runId },
      auth: { session: admin },
    });
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ task_id: runId, status: 'running', retried: 1 });

    // While the retry runs, a re-run finds the posting busy and answers the active run.
    const busy = await callRoute(rerunRoute.POST, { method: 'POST', params: { id: runId }, auth: { token } });
    expect(busy.status).toBe(200);
    expect(busy.body).toEqual({ task_id: runId, status: 'running', deduplicated: true });

    const cancelled = await callRoute(cancelRoute.POST, { method: 'POST', params: { id: runId }, auth: { token } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual({ task_id: runId, status: 'cancelled', cancelled: 1 });
    const again = await callRoute(cancelRoute.POST, { method: 'POST', params: { id: runId }, auth: { token } });
    expect(again.status).toBe(422);

    const rerun = await callRoute(rerunRoute.POST, { method: 'POST', params: { id: runId }, auth: { token } });
    expect(rerun.status).toBe(202);
    expect(rerun.body.deduplicated).toBe(false);
    const created = await getDb()
      .selectFrom('sync_runs')
      .selectAll()
      .where('id', '=', rerun.body.task_id)
      .executeTakeFirstOrThrow();
    expect(created).toMatchObject({
      job_posting_id: posting.id,
      status: 'pending',
      trigger: 'api',
      requested_by: admin.id,
      source_ids: [sourceA],
      candidate_ids: [posting.candidates[0].id],
    });
  });
});

describe('POST /api/v1/sync-admin/tasks/bulk', () => {
  async function bulk(body: unknown) {
    return callRoute(bulkRoute.POST, { method: 'POST', auth: { session: admin }, body });
  }

  it('retries the selected runs that have failures and says why it skipped the others', async () => {
    const [q1, q2, q3] = [await insertPosting(1), await insertPosting(1), await insertPosting(1)];
    const failedDelivery = (p: Posting) => [
      { sourceId: sourceA, candidateId: p.candidates[0].id, status: 'failed' as const, errorCode: 'rejected' },
    ];
    const retryable = await insertRun({
      postingId: q1.id,
      status: 'partially_failed',
      createdAt: ago(HOUR),
      deliveries: failedDelivery(q1),
    });
    // Same posting as the active run below: its retry must wait.
    const blocked = await insertRun({
      postingId: q2.id,
      status: 'failed',
      createdAt: ago(2 * HOUR),
      deliveries: failedDelivery(q2),
    });
    const running = await insertRun({ postingId: q2.id, status: 'running', createdAt: ago(60_000) });
    const completed = await insertRun({
      postingId: q3.id,
      status: 'completed',
      createdAt: ago(HOUR),
      deliveries: [{ sourceId: sourceA, candidateId: q3.candidates[0].id, status: 'succeeded' }],
    });
    const res = await bulk({ action: 'retry', task_ids: [retryable, blocked, running, completed] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ action: 'retry', matched: 4, processed: 2, done: 1, remaining: 0 });
    expect(res.body.summary).toBe(
      '1 retried, 1 skipped: not finished, 1 skipped: no failures, 1 skipped: another run of the posting is active',
    );
    expect(res.body.results).toEqual(
      expect.arrayContaining([
        { task_id: retryable, outcome: 'retried', message: '1 deliveries queued again' },
        { task_id: blocked, outcome: 'skipped', message: 'another run of the posting is active' },
        { task_id: running, outcome: 'skipped', message: 'not finished' },
        { task_id: completed, outcome: 'skipped', message: 'no failures' },
      ]),
    );
    const after = await getDb()
      .selectFrom('sync_runs')
      .select(['id', 'status'])
      .where('id', 'in', [retryable, blocked])
      .execute();
    expect(Object.fromEntries(after.map((r) => [r.id, r.status]))).toEqual({
      [retryable]: 'running',
      [blocked]: 'failed',
    });
  });

  it('cancels every run matching a filter and counts the finished ones it skipped', async () => {
    const posting = await insertPosting(1);
    const other = await insertPosting(1);
    const active = await insertRun({
      postingId: posting.id,
      status: 'running',
      createdAt: ago(30_000),
      deliveries: [{ sourceId: sourceB, candidateId: posting.candidates[0].id, status: 'pending' }],
    });
    const pending = await insertRun({ postingId: other.id, status: 'pending', createdAt: ago(20_000) });
    await insertRun({ postingId: posting.id, status: 'completed', createdAt: ago(HOUR) });
    const from = ago(2 * HOUR).toISOString();
    const res = await bulk({ action: 'cancel', filter: { from, posting: posting.slug } });
    expect(res.body).toMatchObject({ matched: 2, processed: 1, done: 1, remaining: 0 });
    expect(res.body.summary).toBe('1 cancelled, 1 skipped: already finished');
    expect(res.body.results).toEqual([{ task_id: active, outcome: 'cancelled', message: '1 deliveries cancelled' }]);

    const all = await bulk({ action: 'cancel', filter: { status: ['pending'], posting: other.slug } });
    expect(all.body).toMatchObject({ matched: 1, done: 1 });
    expect(all.body.results[0].task_id).toBe(pending);

    const invalid = await bulk({ action: 'retry' });
    expect(invalid.status).toBe(422);
  });
});
