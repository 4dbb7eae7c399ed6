import { sql } from 'kysely';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as statusRoute from '@/app/recruitment/sync/task/[taskId]/status/route';
import { getDb } from '@/lib/db';
import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import { insertPosting, insertRun, insertSource } from '@/test/sync-history-fixtures';
import { waitFor } from '@/test/sync-harness';
import { holdTableLock } from '@/test/table-lock';
import { MAX_AGE_MS, refreshFinishedAnswer } from './finished-answers';
import { getRunStatus } from './service';

// A finished run's status answer is kept per process and read again only when the run's row changes.
describe('status of a finished run', () => {
  let runId: string;
  let sourceId: string;

  beforeAll(async () => {
    sourceId = await insertSource('Kept answers');
    const posting = await insertPosting(3);
    runId = await insertRun({
      postingId: posting.id,
      status: 'partially_failed',
      createdAt: new Date(),
      deliveries: posting.candidates.map((c, i) => ({
        sourceId,
        candidateId: c.id,
        status: i === 0 ? 'failed' : 'succeeded',
        errorMessage: i === 0 ? 'HTTP 500' : undefined,
      })),
    });
  });

  const body = async () => {
    const r = await getRunStatus(getDb(), runId, null);
    if (r.notModified) throw new Error('expected a body');
    return r;
  };

  it('answers from what it kept while the row is unchanged, and 304 for its ETag', async () => {
    const first = await body();
    expect(first.body.progress).toMatchObject({ succeeded: 2, failed: 1 });
    // Progress rows changed behind the row's back are not read again: the row says nothing changed.
    await sql`update sync_run_progress set succeeded = succeeded + 5 where run_id = ${runId}`.execute(getDb());
    const again = await body();
    expect(again.etag).toBe(first.etag);
    expect(again.body.progress.succeeded).toBe(2);
    expect(await getRunStatus(getDb(), runId, first.etag)).toEqual({ notModified: true, etag: first.etag });
  });

  it('builds the answer again once the row changes (a retry, a corrected counter)', async () => {
    const before = await body();
    await getDb()
      .updateTable('sync_runs')
      .set({ status: 'running', finished_at: null, version: sql`version + 1` })
      .where('id', '=', runId)
      .execute();
    const running = await body();
    expect(running.body.status).toBe('running');
    expect(running.etag).not.toBe(before.etag);
    expect(running.body.progress.succeeded).toBe(7);

    await getDb()
      .updateTable('sync_runs')
      .set({ status: 'completed', finished_at: new Date(), succeeded: 7, version: sql`version + 1` })
      .where('id', '=', runId)
      .execute();
    const finished = await body();
    expect(finished.body.status).toBe('completed');
    // A counter the sweeper corrects writes the row too.
    await getDb().updateTable('sync_runs').set({ failed: 0 }).where('id', '=', runId).execute();
    await sql`update sync_run_progress set failed = 0 where run_id = ${runId}`.execute(getDb());
    const corrected = await body();
    expect(corrected.body.progress.failed).toBe(0);
    expect(corrected.etag).not.toBe(finished.etag);
  });

  it('answers the kept text over HTTP as the same JSON, with its ETag and content type, and 304 for the ETag', async () => {
    const token = await createTestToken(await createTestUser('recruiter'));
    const call = (headers: Record<string, string> = {}) =>
      callRoute(statusRoute.GET, {
        path: `/recruitment/sync/task/${runId}/status/`,
        params: { taskId: runId },
        auth: { token },
        headers,
      });
    const expected = await body();
    for (const res of [await call(), await call()]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('etag')).toBe(expected.etag);
      expect(res.headers.get('cache-control')).toBe('private, no-cache');
      expect(res.body).toEqual(JSON.parse(JSON.stringify(expected.body)));
    }
    const notModified = await call({ 'if-none-match': expected.etag });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(expected.etag);
  });

  it('says a task that does not exist is not found', async () => {
    await expect(getRunStatus(getDb(), '00000000-0000-4000-8000-000000000000', null)).rejects.toMatchObject({
      code: 'task_not_found',
    });
  });
});

// Every poll in flight used to find the kept answer gone at the same moment (its age) and read the
// progress rows together: 200 pollers, 200 progress queries at once every 30 s.
describe('a kept answer that is due to be built again', () => {
  let runId: string;

  beforeAll(async () => {
    const sourceId = await insertSource('Due answers');
    const posting = await insertPosting(2);
    runId = await insertRun({
      postingId: posting.id,
      status: 'completed',
      createdAt: new Date(),
      deliveries: posting.candidates.map((c) => ({ sourceId, candidateId: c.id, status: 'succeeded' })),
    });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const succeeded = async () => {
    const r = await getRunStatus(getDb(), runId, null);
    if (r.notModified) throw new Error('expected a body');
    return r.body.progress.succeeded;
  };

  it('still answers every poll while one of them builds it again in the background', async () => {
    expect(await succeeded()).toBe(2);
    // Progress rows changed behind the row's back: only a rebuild reads them.
    await sql`update sync_run_progress set succeeded = succeeded + 5 where run_id = ${runId}`.execute(getDb());
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + MAX_AGE_MS + 1000);
    // The progress rows locked: a poll that read them would wait here until the lock goes.
    const lock = await holdTableLock(getDb(), 'sync_run_progress');
    const polls = await Promise.all(Array.from({ length: 20 }, () => succeeded()));
    expect(polls).toEqual(Array(20).fill(2));
    await lock.release();
    // The rebuild (one, waiting for the lock meanwhile) replaces the kept answer when it is done.
    expect(await waitFor('the rebuilt answer', async () => ((await succeeded()) === 7 ? true : undefined))).toBe(true);
  });

  it('runs one rebuild per run at a time, and another once it is done', async () => {
    let rebuilds = 0;
    let finish!: () => void;
    const rebuild = () => {
      rebuilds += 1;
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    };
    const failures: unknown[] = [];
    for (let i = 0; i < 5; i++) refreshFinishedAnswer('run-a', rebuild, (err) => failures.push(err));
    expect(rebuilds).toBe(1);
    finish();
    await waitFor('a second rebuild', async () => {
      refreshFinishedAnswer('run-a', rebuild, (err) => failures.push(err));
      return rebuilds === 2 ? true : undefined;
    });
    finish();
    refreshFinishedAnswer(
      'run-b',
      () => Promise.reject(new Error('database gone')),
      (err) => failures.push(err),
    );
    await waitFor('the failure reported', async () => (failures.length === 1 ? true : undefined));
    expect(failures).toEqual([new Error('database gone')]);
  });
});
