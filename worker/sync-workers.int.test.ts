import { afterAll, describe, expect, it } from 'vitest';
import * as syncRoute from '@/app/(app)/recruitment/jobs/[slug]/sync-hired-candidates/route';
import { getDb } from '@/lib/db';
import { stopSender } from '@/lib/queue/sender';
import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import {
  createPostingWithHired,
  createTestSource,
  waitFor,
  waitForRunFinished,
  setupMockReceiver,
} from '@/test/sync-harness';
import { spawnWorker } from '@/test/worker-process';

// More deliveries than the receiver keeps by default are inspected here.
const mock = setupMockReceiver({ maxRequests: 10_000 });
const children: ReturnType<typeof spawnWorker>[] = [];

afterAll(async () => {
  for (const w of children) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  await Promise.all(children.map((w) => w.exited));
  await stopSender();
});

async function startRun(source: { id: string }, hired: number) {
  const user = await createTestUser('recruiter');
  const token = await createTestToken(user);
  const posting = await createPostingWithHired(hired);
  const res = await callRoute(syncRoute.POST, {
    method: 'POST',
    params: { slug: posting.slug },
    auth: { token },
    body: { source_ids: [source.id] },
  });
  expect(res.status).toBe(202);
  return res.body.task_id as string;
}

describe('several workers, crashes', () => {
  it('two worker processes deliver 1,000 candidates once each, sharing the work', async () => {
    // The source exists before the workers start, so each registers its queue at start-up; the run
    // starts once both are ready, so neither gets a head start on the other.
    const source = await createTestSource(mock.url, { sync_endpoint: '/shared', max_concurrency: 16 });
    const a = spawnWorker();
    const b = spawnWorker();
    children.push(a, b);
    await Promise.all([a.ready, b.ready]);
    const runId = await startRun(source, 1000);
    const run = await waitForRunFinished(runId, 90_000);
    expect(run).toMatchObject({ status: 'completed', total: 1000, succeeded: 1000, failed: 0 });
    const stats = mock.stats().by_path['/shared'];
    expect(stats).toMatchObject({ total_requests: 1000, unique_deliveries: 1000, duplicates: 0 });
    const byWorker = await getDb()
      .selectFrom('sync_deliveries')
      .select(['locked_by', (eb) => eb.fn.countAll<number>().as('n')])
      .where('run_id', '=', runId)
      .groupBy('locked_by')
      .execute();
    expect(byWorker).toHaveLength(2);
    for (const w of byWorker) expect(w.n).toBeGreaterThan(0);
    for (const w of [a, b]) w.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
  }, 120_000);

  it('a worker killed with SIGKILL mid-run loses nothing: another finishes, each candidate recorded once at the receiver', async () => {
    mock.configure({ path: '/crash', latency_ms: 60 });
    const first = spawnWorker();
    children.push(first);
    const source = await createTestSource(mock.url, { sync_endpoint: '/crash', max_concurrency: 4, timeout_ms: 2000 });
    const runId = await startRun(source, 150);
    await waitFor('deliveries to start', async () => mock.requests({ path: '/crash' }).length >= 20, 60_000).catch(
      (err) => {
        throw new Error(`${err.message}; worker output:\n${first.output()}`);
      },
    );
    first.child.kill('SIGKILL');
    await first.exited;
    const receivedBeforeCrash = mock.requests({ path: '/crash' }).length;
    expect(receivedBeforeCrash).toBeLessThan(150);

    const second = spawnWorker();
    children.push(second);
    await second.ready;
    const run = await waitForRunFinished(runId, 120_000);
    expect(run).toMatchObject({ status: 'completed', total: 150, succeeded: 150, failed: 0 });
    const stats = mock.stats().by_path['/crash'];
    // Requests in flight at the kill may be sent again, with the same Idempotency-Key: the receiver
    // records each candidate exactly once.
    expect(stats.unique_deliveries).toBe(150);
    const keys = new Set(mock.requests({ path: '/crash' }).map((r) => r.idempotency_key));
    expect(keys.size).toBe(150);
    const candidates = new Set(
      mock
        .requests({ path: '/crash' })
        .map((r) => (r.json as { data: { candidate: { id: string } } }).data.candidate.id),
    );
    expect(candidates.size).toBe(150);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 150_000);
});
