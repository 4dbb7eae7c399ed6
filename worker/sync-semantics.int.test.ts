import { deliverQueue } from '@/lib/queue/queues';
import { describe, expect, it } from 'vitest';
import * as syncRoute from '@/app/(app)/recruitment/jobs/[slug]/sync-hired-candidates/route';
import * as cancelRoute from '@/app/api/v1/sync-tasks/[taskId]/cancel/route';
import * as retryRoute from '@/app/api/v1/sync-tasks/[taskId]/retry-failed/route';
import * as statusRoute from '@/app/recruitment/sync/task/[taskId]/status/route';
import * as sourcesRoute from '@/app/api/v1/sources/route';
import { getDb } from '@/lib/db';

import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import {
  createPostingWithHired,
  createTestSource,
  setupSyncTestEnvironment,
  waitFor,
  waitForRunFinished,
} from '@/test/sync-harness';

const env = setupSyncTestEnvironment();

const post = (slug: string, body?: unknown, path = `/recruitment/jobs/${slug}/sync-hired-candidates/`) =>
  callRoute(syncRoute.POST, { method: 'POST', path, params: { slug }, auth: { token: env.token }, body });

const deliveriesOf = (runId: string) =>
  getDb().selectFrom('sync_deliveries').selectAll().where('run_id', '=', runId).orderBy('candidate_id').execute();

describe('one run per posting, skips, force, retry and cancel', () => {
  it('answers two simultaneous POSTs with one run, the second deduplicated', async () => {
    const source = await createTestSource(env.mock.url, { sync_endpoint: '/dedup' });
    const posting = await createPostingWithHired(2);
    const [a, b] = await Promise.all([
      post(posting.slug, { source_ids: [source.id] }),
      post(posting.slug, { source_ids: [source.id] }),
    ]);
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(a.body.task_id).toBe(b.body.task_id);
    expect([a.body.deduplicated, b.body.deduplicated].sort()).toEqual([false, true]);
    await waitForRunFinished(a.body.task_id);
    const runs = await getDb().selectFrom('sync_runs').select('id').where('job_posting_id', '=', posting.id).execute();
    expect(runs).toHaveLength(1);
    expect(env.mock.requests({ path: '/dedup' })).toHaveLength(2);
    const audit = await getDb()
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'sync.started')
      .where('target_id', '=', a.body.task_id)
      .execute();
    expect(audit.map((e) => e.details)).toEqual([expect.objectContaining({ sources: 1, candidates: 2 })]);
  });

  it('skips candidates already delivered with the same content, and re-sends everything with force', async () => {
    const source = await createTestSource(env.mock.url, { sync_endpoint: '/skip' });
    const posting = await createPostingWithHired(3);
    const first = await post(posting.slug, { source_ids: [source.id] });
    await waitForRunFinished(first.body.task_id);
    const firstDeliveries = await deliveriesOf(first.body.task_id);

    const again = await post(posting.slug, { source_ids: [source.id] });
    expect(again.body.deduplicated).toBe(false);
    const rerun = await waitForRunFinished(again.body.task_id);
    expect(rerun).toMatchObject({ status: 'completed', total: 3, skipped: 3, succeeded: 0 });
    expect(env.mock.requests({ path: '/skip' })).toHaveLength(3);

    // A changed candidate is sent again; the others stay skipped.
    await getDb()
      .updateTable('candidates')
      .set({ phone: '+49 30 1234567' })
      .where('id', '=', posting.candidateIds[0])
      .execute();
    const changed = await waitForRunFinished((await post(posting.slug, { source_ids: [source.id] })).body.task_id);
    expect(changed).toMatchObject({ status: 'completed', succeeded: 1, skipped: 2 });

    const forced = await post(posting.slug, { source_ids: [source.id], force: true });
    const forcedRun = await waitForRunFinished(forced.body.task_id);
    expect(forcedRun).toMatchObject({ status: 'completed', succeeded: 3, skipped: 0 });
    const forcedDeliveries = await deliveriesOf(forced.body.task_id);
    for (const d of forcedDeliveries) {
      expect(firstDeliveries.map((f) => f.id)).not.toContain(d.id);
      expect(firstDeliveries.map((f) => f.idempotency_key)).not.toContain(d.idempotency_key);
    }
    // The receiver saw 3 + 1 + 3 new deliveries and no duplicate.
    expect(env.mock.requests({ path: '/skip' })).toHaveLength(7);
    expect(env.mock.stats().by_path['/skip']).toMatchObject({ unique_deliveries: 7, duplicates: 0 });
  });

  it('retry-failed re-sends only the failed deliveries of a finished run', async () => {
    env.mock.configure({ path: '/half', mode: 'status', fail_status: 400 });
    const ok = await createTestSource(env.mock.url, { sync_endpoint: '/whole' });
    const failing = await createTestSource(env.mock.url, { sync_endpoint: '/half' });
    const posting = await createPostingWithHired(2);
    const res = await post(posting.slug, { source_ids: [ok.id, failing.id] });
    const run = await waitForRunFinished(res.body.task_id);
    expect(run).toMatchObject({ status: 'partially_failed', succeeded: 2, failed: 2 });

    // Retrying while the receiver still refuses: the same two fail again, nothing else is re-sent.
    const stillFailing = await callRoute(retryRoute.POST, {
      method: 'POST',
      params: { taskId: run.id },
      auth: { token: env.token },
    });
    expect(stillFailing.status).toBe(202);
    expect(await waitForRunFinished(run.id)).toMatchObject({ status: 'partially_failed', succeeded: 2, failed: 2 });
    env.mock.configure({ path: '/half', mode: 'ok' });
    const retry = await callRoute(retryRoute.POST, {
      method: 'POST',
      params: { taskId: run.id },
      auth: { token: env.token },
    });
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ task_id: run.id, retried: 2 });
    const after = await waitForRunFinished(run.id);
    expect(after).toMatchObject({ status: 'completed', succeeded: 4, failed: 0 });
    expect(env.mock.requests({ path: '/whole' })).toHaveLength(2);
    expect(env.mock.requests({ path: '/half' })).toHaveLength(6);

    const completedRetry = await callRoute(retryRoute.POST, {
      method: 'POST',
      params: { taskId: run.id },
      auth: { token: env.token },
    });
    expect(completedRetry.status).toBe(422);
    expect(completedRetry.body.error.code).toBe('invalid_state');
  });

  it('cancel stops a running run: unsent deliveries become cancelled and are never sent', async () => {
    env.mock.configure({ path: '/slow', latency_ms: 400 });
    const source = await createTestSource(env.mock.url, { sync_endpoint: '/slow', max_concurrency: 1 });
    const posting = await createPostingWithHired(12);
    const res = await post(posting.slug, { source_ids: [source.id] });
    await waitFor('the first delivery', async () => env.mock.requests({ path: '/slow' }).length > 0);
    const cancel = await callRoute(cancelRoute.POST, {
      method: 'POST',
      params: { taskId: res.body.task_id },
      auth: { token: env.token },
    });
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe('cancelled');
    expect(cancel.body.cancelled).toBeGreaterThan(0);
    await waitFor('in-flight deliveries to settle', async () => {
      const open = (await deliveriesOf(res.body.task_id)).filter((d) => d.status === 'pending');
      return open.length === 0;
    });
    const sentAtCancel = env.mock.requests({ path: '/slow' }).length;
    // Nothing more is sent once the worker has taken every delivery job of the source queued before
    // the cancel: had it sent anything, it would have done so by then.
    await waitFor(
      'the delivery jobs queued before the cancel to be done',
      async () => {
        const jobs = await env.worker.boss.findJobs(deliverQueue.name(source.id));
        return jobs.length > 0 && jobs.every((j) => !['created', 'retry', 'active'].includes(j.state));
      },
      60_000,
    );
    expect(env.mock.requests({ path: '/slow' })).toHaveLength(sentAtCancel);
    const run = await getDb()
      .selectFrom('sync_runs')
      .selectAll()
      .where('id', '=', res.body.task_id)
      .executeTakeFirstOrThrow();
    expect(run.status).toBe('cancelled');
    expect(run.succeeded + run.failed + run.cancelled).toBe(12);
    expect(run.cancelled).toBe(12 - sentAtCancel);
    const again = await callRoute(cancelRoute.POST, {
      method: 'POST',
      params: { taskId: run.id },
      auth: { token: env.token },
    });
    expect(again.status).toBe(422);
  });
});

describe('bad input', () => {
  it('answers unknown postings, malformed and unknown task ids, and non-JSON bodies', async () => {
    const unknown = await post('no-such-posting');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('job_not_found');

    const malformed = await callRoute(statusRoute.GET, {
      params: { taskId: 'not-a-uuid' },
      auth: { token: env.token },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_task_id');
    const missing = await callRoute(statusRoute.GET, {
      params: { taskId: '00000000-0000-4000-8000-000000000000' },
      auth: { token: env.token },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('task_not_found');
    expect(
      (await callRoute(statusRoute.GET, { params: { taskId: '00000000-0000-4000-8000-000000000000' } })).status,
    ).toBe(401);

    const posting = await createPostingWithHired(1);
    const notJson = await callRoute(syncRoute.POST, {
      method: 'POST',
      params: { slug: posting.slug },
      auth: { token: env.token },
      rawBody: '{"force": tru',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');
    const wrongField = await post(posting.slug, { force: 'yes' });
    expect(wrongField.status).toBe(422);
    const unknownField = await post(posting.slug, { everything: true });
    expect(unknownField.status).toBe(422);
    const badIds = await post(posting.slug, { source_ids: ['x'] });
    expect(badIds.status).toBe(422);
    const runs = await getDb().selectFrom('sync_runs').select('id').where('job_posting_id', '=', posting.id).execute();
    expect(runs).toHaveLength(0);
  });

  it('refuses postings without hired candidates and syncs without active sources', async () => {
    const none = await createPostingWithHired(0, 3);
    const noHired = await post(none.slug);
    expect(noHired.status).toBe(422);
    expect(noHired.body.error.code).toBe('no_hired_candidates');

    const posting = await createPostingWithHired(1);
    const inactive = await createTestSource(env.mock.url, { is_active: false });
    const noSources = await post(posting.slug, { source_ids: [inactive.id] });
    expect(noSources.status).toBe(422);
    expect(noSources.body.error.code).toBe('no_active_sources');
  });

  it('rejects bad source definitions with 422 and stores nothing', async () => {
    const admin = await createTestUser('admin');
    const adminToken = await createTestToken(admin);
    const base = {
      name: 'Bad',
      connector: 'generic_webhook',
      base_url: 'https://hr.example.test',
      sync_endpoint: '/x',
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, base_url: 'ftp://hr.example.test' }, 'base_url'],
      [{ ...base, base_url: 'not a url' }, 'base_url'],
      [{ ...base, base_url: 'https://user:pw@hr.example.test' }, 'base_url'],
      [{ ...base, connector: 'soap' }, 'connector'],
      [{ ...base, auth: { type: 'bearer' } }, 'auth.token'],
      [{ ...base, auth: { type: 'api_key_header', value: 'k' } }, 'auth.header'],
      [{ ...base, headers: { Authorization: 'x' } }, 'headers'],
      [{ ...base, timeout_ms: 5 }, 'timeout_ms'],
    ];
    for (const [body, path] of cases) {
      const res = await callRoute(sourcesRoute.POST, { method: 'POST', auth: { token: adminToken }, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      // A connector the registry does not know has its own code (issue 20); the rest are schema failures.
      expect(res.body.error.code).toBe(path === 'connector' ? 'unknown_connector' : 'validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const recruiter = await callRoute(sourcesRoute.POST, { method: 'POST', auth: { token: env.token }, body: base });
    expect(recruiter.status).toBe(403);
    const stored = await getDb().selectFrom('sources').select('id').where('name', '=', 'Bad').execute();
    expect(stored).toHaveLength(0);
  });
});
