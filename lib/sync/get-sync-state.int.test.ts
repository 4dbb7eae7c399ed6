import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as syncStateRoute from '@/app/api/v1/jobs/[slug]/sync-state/route';
import * as syncRoute from '@/app/(app)/recruitment/jobs/[slug]/sync-hired-candidates/route';
import * as cancelRoute from '@/app/api/v1/sync-tasks/[taskId]/cancel/route';
import * as retryRoute from '@/app/api/v1/sync-tasks/[taskId]/retry-failed/route';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { type MockSource, startMockSource } from '@/scripts/mock-source/server';
import { stopSender } from '@/lib/queue/sender';
import type { PublicSource } from '@/lib/sources/schemas';
import { deleteSource } from '@/lib/sources/service';
import { type Auth, type TestUser, callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import {
  type TestWorker,
  createPostingWithHired,
  createTestSource,
  startTestWorker,
  waitFor,
  waitForRunFinished,
} from '@/test/sync-harness';
import type { PostingSyncState } from './sync-state-schemas';

const HRIS_TOKEN = 'hris-bearer-token-must-stay-secret-42';

let mock: MockSource;
let worker: TestWorker;
let recruiter: TestUser;
let hris: PublicSource;
let payroll: PublicSource;

async function syncState(slug: string, auth: Auth, candidateIds?: string[]) {
  return callRoute(syncStateRoute.GET, {
    path: `/api/v1/jobs/${slug}/sync-state${candidateIds ? `?candidate_ids=${candidateIds.join(',')}` : ''}`,
    params: { slug },
    auth,
  });
}

async function stateOf(slug: string, candidateIds?: string[]): Promise<PostingSyncState> {
  const res = await syncState(slug, { session: recruiter }, candidateIds);
  expect(res.status).toBe(200);
  return res.body;
}

async function startSync(slug: string, body: Record<string, unknown> = {}): Promise<string> {
  const res = await callRoute(syncRoute.POST, { method: 'POST', params: { slug }, auth: { session: recruiter }, body });
  expect(res.status).toBe(202);
  return res.body.task_id;
}

beforeAll(async () => {
  mock = await startMockSource();
  worker = await startTestWorker();
  recruiter = await createTestUser('recruiter');
  // Names sort the way the answer lists them.
  hris = await createTestSource(mock.url, {
    name: 'A HRIS',
    sync_endpoint: '/hris/hired',
    auth: { type: 'bearer', token: HRIS_TOKEN },
  });
  payroll = await createTestSource(mock.url, { name: 'B Payroll', connector: 'rest_batch', sync_endpoint: '/payroll' });
  await createTestSource(mock.url, { name: 'C Inactive', is_active: false });
  const deleted = await createTestSource(mock.url, { name: 'D Deleted' });
  await deleteSource(getDb(), systemActor('test'), deleted.id);
});

beforeEach(() => mock.reset());

afterAll(async () => {
  await worker?.stop();
  await stopSender();
  await mock?.close();
});

describe('GET /api/v1/jobs/{slug}/sync-state', () => {
  it('answers 401 without credentials, 404 for an unknown or malformed slug and 400 for bad candidate ids', async () => {
    const posting = await createPostingWithHired(1);
    expect((await syncState(posting.slug, null)).status).toBe(401);
    for (const slug of ['no-such-posting', 'Not A Slug!']) {
      const res = await syncState(slug, { session: recruiter });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('job_not_found');
    }
    const bad = await syncState(posting.slug, { session: recruiter }, ['not-a-uuid']);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_query', details: [{ path: 'candidate_ids.0' }] });
    const tooMany = Array.from({ length: 101 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    expect((await syncState(posting.slug, { session: recruiter }, tooMany)).status).toBe(400);
  });

  it('shows a recruiter the active sources without secrets, no run yet and candidates never synced', async () => {
    const posting = await createPostingWithHired(3, 2);
    const res = await syncState(posting.slug, { session: recruiter });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      job: { slug: posting.slug, hired: 3 },
      sources: [
        { id: hris.id, name: 'A HRIS', connector: 'generic_webhook', health_status: 'unknown', timeout_ms: 5000 },
        { id: payroll.id, name: 'B Payroll', connector: 'rest_batch', health_status: 'unknown', timeout_ms: 5000 },
      ],
      latest_run: null,
      // Most recently hired first; the harness hires candidate 0 last.
      candidates: posting.candidateIds.map((candidate_id) => ({ candidate_id, sources: [] })),
      candidates_truncated: false,
    });
    expect(JSON.stringify(res.body)).not.toContain(HRIS_TOKEN);
    expect(JSON.stringify(res.body)).not.toContain(mock.url);

    // Admins and tokens read the same.
    const admin = await createTestUser('admin');
    const byToken = await syncState(posting.slug, { token: await createTestToken(admin) });
    expect(byToken.body).toEqual(res.body);
  });

  it('reports per candidate and source what was delivered and what failed, and follows a retry', async () => {
    const posting = await createPostingWithHired(3, 1);
    const other = await createPostingWithHired(1);
    mock.configure({ path: '/payroll', mode: 'status', fail_status: 400 });
    const taskId = await startSync(posting.slug);
    await waitForRunFinished(taskId);

    const failed = await stateOf(posting.slug);
    expect(failed.latest_run).toEqual({
      task_id: taskId,
      status: 'partially_failed',
      trigger: 'manual',
      force: false,
      created_at: expect.any(String),
      finished_at: expect.any(String),
      total: 6,
      succeeded: 3,
      failed: 3,
      skipped: 0,
      cancelled: 0,
    });
    expect(failed.candidates.map((c) => c.candidate_id)).toEqual(posting.candidateIds);
    for (const candidate of failed.candidates) {
      expect(candidate.sources).toEqual([
        {
          source_id: hris.id,
          last_status: 'succeeded',
          last_attempt_at: expect.any(String),
          delivered_at: expect.any(String),
          last_error: null,
          error_code: null,
          http_status: 200,
          last_action: 'create',
          external_id: expect.any(String),
        },
        {
          source_id: payroll.id,
          last_status: 'failed',
          last_attempt_at: expect.any(String),
          delivered_at: null,
          last_error: expect.stringMatching(/^HTTP 400/),
          error_code: 'rejected',
          http_status: 400,
          last_action: 'create',
          external_id: null,
        },
      ]);
    }
    expect(failed.sources.map((s) => s.health_status)).toEqual(['healthy', 'unknown']);

    // Only the asked-for hired candidates of this posting, in the order asked.
    const [first, second] = posting.candidateIds;
    const interviewing = await getDb()
      .selectFrom('candidates')
      .select('id')
      .where('job_posting_id', '=', posting.id)
      .where('stage', '!=', 'hired')
      .executeTakeFirstOrThrow();
    const some = await stateOf(posting.slug, [second, other.candidateIds[0], interviewing.id, first]);
    expect(some.candidates.map((c) => c.candidate_id)).toEqual([second, first]);
    expect(some.candidates_truncated).toBe(false);

    mock.reset();
    const retry = await callRoute(retryRoute.POST, {
      method: 'POST',
      params: { taskId },
      auth: { session: recruiter },
    });
    expect(retry.status).toBe(202);
    await waitForRunFinished(taskId);
    const fixed = await stateOf(posting.slug, [first]);
    expect(fixed.latest_run).toMatchObject({ task_id: taskId, status: 'completed', succeeded: 6, failed: 0 });
    expect(fixed.candidates[0].sources[1]).toMatchObject({
      source_id: payroll.id,
      last_status: 'succeeded',
      delivered_at: expect.any(String),
      last_error: null,
      error_code: null,
    });
  });

  it('names the running run as the latest even when a newer run has finished', async () => {
    const posting = await createPostingWithHired(2);
    mock.configure({ path: '/payroll', mode: 'status', fail_status: 400 });
    const older = await startSync(posting.slug);
    await waitForRunFinished(older);
    mock.reset();
    const newer = await startSync(posting.slug, { source_ids: [hris.id] });
    await waitForRunFinished(newer);
    expect((await stateOf(posting.slug)).latest_run).toMatchObject({ task_id: newer, status: 'completed', skipped: 2 });

    // The retried deliveries hang at the source, so the older run stays running until it is cancelled.
    mock.configure({ path: '/payroll', mode: 'hang' });
    const retry = await callRoute(retryRoute.POST, {
      method: 'POST',
      params: { taskId: older },
      auth: { session: recruiter },
    });
    expect(retry.status).toBe(202);
    await waitFor('the payroll request', async () => mock.requests({ path: '/payroll' }).length > 0);
    expect((await stateOf(posting.slug)).latest_run).toMatchObject({ task_id: older, status: 'running' });

    const cancel = await callRoute(cancelRoute.POST, {
      method: 'POST',
      params: { taskId: older },
      auth: { session: recruiter },
    });
    expect(cancel.status).toBe(200);
    expect((await stateOf(posting.slug)).latest_run).toMatchObject({ task_id: newer, status: 'completed' });
  });

  it('lists at most 100 candidates when none are named, and says so', async () => {
    const posting = await createPostingWithHired(101);
    const state = await stateOf(posting.slug);
    expect(state.job.hired).toBe(101);
    expect(state.candidates).toHaveLength(100);
    expect(state.candidates_truncated).toBe(true);
    expect(state.candidates.map((c) => c.candidate_id)).toEqual(posting.candidateIds.slice(0, 100));
  });
});
