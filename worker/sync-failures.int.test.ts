import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import * as syncRoute from '@/app/(app)/recruitment/jobs/[slug]/sync-hired-candidates/route';
import * as statusRoute from '@/app/recruitment/sync/task/[taskId]/status/route';
import { callRoute } from '@/test/fixtures';
import {
  createPostingWithHired,
  createTestSource,
  setupSyncTestEnvironment,
  waitForRunFinished,
} from '@/test/sync-harness';

const env = setupSyncTestEnvironment();

async function syncTo(sourceIds: string[], hired = 1) {
  const posting = await createPostingWithHired(hired);
  const res = await callRoute(syncRoute.POST, {
    method: 'POST',
    params: { slug: posting.slug },
    auth: { token: env.token },
    body: { source_ids: sourceIds },
  });
  expect(res.status).toBe(202);
  return { posting, run: await waitForRunFinished(res.body.task_id, 45_000) };
}

const deliveriesOf = (runId: string) =>
  getDb().selectFrom('sync_deliveries').selectAll().where('run_id', '=', runId).execute();

describe('delivery failures and retries', () => {
  it('retries 503 and succeeds on the third attempt', async () => {
    env.mock.configure({ path: '/flaky', fail_next: 2, fail_status: 503 });
    const source = await createTestSource(env.mock.url, { sync_endpoint: '/flaky/in' });
    const { run } = await syncTo([source.id]);
    expect(run).toMatchObject({ status: 'completed', succeeded: 1, failed: 0 });
    const [delivery] = await deliveriesOf(run.id);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 3, http_status: 200 });
    const received = env.mock.requests({ path: '/flaky' });
    expect(received.map((r) => r.status)).toEqual([503, 503, 200]);
    // Every retry of a delivery carries the same delivery id and idempotency key.
    expect(new Set(received.map((r) => r.headers['x-ats-delivery-id'])).size).toBe(1);
    expect(new Set(received.map((r) => r.idempotency_key))).toEqual(new Set([delivery.idempotency_key]));
    expect(received.map((r) => (r.json as { attempt: number }).attempt)).toEqual([1, 2, 3]);
  });

  it('waits at least Retry-After on 429', async () => {
    env.mock.configure({ path: '/throttled', fail_next: 1, fail_status: 429, retry_after: 2 });
    const source = await createTestSource(env.mock.url, { sync_endpoint: '/throttled' });
    const { run } = await syncTo([source.id]);
    expect(run.status).toBe('completed');
    const received = env.mock.requests({ path: '/throttled' });
    expect(received.map((r) => r.status)).toEqual([429, 200]);
    const waited = Date.parse(received[1].received_at) - Date.parse(received[0].received_at);
    expect(waited).toBeGreaterThanOrEqual(2000);
  });

  it('fails a 400 at once, with one attempt and the reason', async () => {
    env.mock.configure({ path: '/strict', mode: 'status', fail_status: 400 });
    const source = await createTestSource(env.mock.url, { sync_endpoint: '/strict' });
    const { run } = await syncTo([source.id], 2);
    expect(run).toMatchObject({ status: 'failed', failed: 2, succeeded: 0 });
    for (const d of await deliveriesOf(run.id)) {
      expect(d).toMatchObject({ status: 'failed', attempts: 1, http_status: 400, error_code: 'rejected' });
      expect(d.error_message).toMatch(/^HTTP 400/);
    }
    expect(env.mock.requests({ path: '/strict' })).toHaveLength(2);
  });

  it('times out a hanging source, retries, then fails with the timeout', async () => {
    env.mock.configure({ path: '/hang', mode: 'hang' });
    const source = await createTestSource(env.mock.url, { sync_endpoint: '/hang', timeout_ms: 1000, max_attempts: 2 });
    const { run } = await syncTo([source.id]);
    expect(run.status).toBe('failed');
    const [d] = await deliveriesOf(run.id);
    expect(d).toMatchObject({ status: 'failed', attempts: 2, error_code: 'timeout', http_status: null });
    expect(d.error_message).toMatch(/no answer within 1 s/);
    expect(env.mock.requests({ path: '/hang' })).toHaveLength(2);
  });

  it('a connection reset is retried and recorded as a connection failure', async () => {
    env.mock.configure({ path: '/reset', mode: 'reset' });
    const source = await createTestSource(env.mock.url, { sync_endpoint: '/reset', max_attempts: 2 });
    const { run } = await syncTo([source.id]);
    const [d] = await deliveriesOf(run.id);
    expect(d).toMatchObject({ status: 'failed', attempts: 2, error_code: 'connection_failed' });
  });

  it('mixes outcomes across sources into partially_failed with exact counters and errors', async () => {
    env.mock.configure({ path: '/good', mode: 'ok' });
    env.mock.configure({ path: '/bad', mode: 'status', fail_status: 422 });
    const good = await createTestSource(env.mock.url, { name: 'Good HR', sync_endpoint: '/good' });
    const bad = await createTestSource(env.mock.url, { name: 'Bad Payroll', sync_endpoint: '/bad' });
    const { run } = await syncTo([good.id, bad.id], 3);
    expect(run).toMatchObject({ status: 'partially_failed', total: 6, succeeded: 3, failed: 3, skipped: 0 });
    const status = await callRoute(statusRoute.GET, { params: { taskId: run.id }, auth: { token: env.token } });
    expect(status.body.progress).toEqual({
      total: 6,
      processed: 6,
      succeeded: 3,
      failed: 3,
      skipped: 0,
      cancelled: 0,
      percent: 100,
      waiting_retry: 0,
      paused: 0,
    });
    // A finished run waits for nothing: no retries, no pause.
    const idle = {
      max_attempts: 3,
      waiting_retry: 0,
      next_attempt_at: null,
      waiting_attempts: null,
      paused: 0,
      pause_kind: null,
      paused_until: null,
      pause_reason: null,
      pause_http_status: null,
    };
    expect(status.body.retrying).toEqual([]);
    expect(status.body.sources).toEqual([
      {
        source_id: bad.id,
        name: 'Bad Payroll',
        status: 'failed',
        total: 3,
        succeeded: 0,
        failed: 3,
        skipped: 0,
        cancelled: 0,
        ...idle,
      },
      {
        source_id: good.id,
        name: 'Good HR',
        status: 'completed',
        total: 3,
        succeeded: 3,
        failed: 0,
        skipped: 0,
        cancelled: 0,
        ...idle,
      },
    ]);
    expect(status.body.errors).toHaveLength(3);
    for (const e of status.body.errors) {
      expect(e).toMatchObject({
        source_id: bad.id,
        source_name: 'Bad Payroll',
        code: 'rejected',
        http_status: 422,
        attempts: 1,
      });
      expect(e.candidate_name).toMatch(/^First\d Last\d$/);
    }
  });

  it('a huge or non-JSON answer is stored truncated and does not break anything', async () => {
    env.mock.configure({ path: '/huge', mode: 'huge' });
    env.mock.configure({ path: '/text', mode: 'invalid_json' });
    const huge = await createTestSource(env.mock.url, { sync_endpoint: '/huge' });
    const text = await createTestSource(env.mock.url, { sync_endpoint: '/text' });
    const { run } = await syncTo([huge.id, text.id]);
    expect(run).toMatchObject({ status: 'completed', succeeded: 2 });
    for (const d of await deliveriesOf(run.id)) {
      expect(d.response_excerpt!.length).toBeLessThanOrEqual(2048 + 20);
      expect(d.external_id).toBeNull();
    }
  });
});
