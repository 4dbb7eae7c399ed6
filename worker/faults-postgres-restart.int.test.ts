import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as syncRoute from '@/app/(app)/recruitment/jobs/[slug]/sync-hired-candidates/route';
import * as statusRoute from '@/app/recruitment/sync/task/[taskId]/status/route';
import { closeDb, getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { type MockSource, startMockSource } from '@/scripts/mock-source/server';
import { stopSender } from '@/lib/queue/sender';
import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import { type OwnPostgres, startOwnPostgres } from '@/test/own-postgres';
import { createPostingWithHired, createTestSource, waitFor, waitForRunFinished } from '@/test/sync-harness';
import { type SpawnedWorker, workerProcesses } from '@/test/worker-process';

/**
 * PostgreSQL restarted in the middle of a run of 2,000 deliveries. The cluster is this file's own
 * (the shared test cluster must never restart); web (route handlers in this process) and worker
 * (a child process, never restarted) both point at it.
 */
let pg: OwnPostgres;
let mock: MockSource;
const workers = workerProcesses();
let worker: SpawnedWorker | undefined;

beforeAll(async () => {
  pg = await startOwnPostgres();
  // Nothing has read the configuration yet: from here on, every pool of this process uses our cluster.
  process.env.DATABASE_URL = pg.url;
  expect(getEnv().DATABASE_URL).toBe(pg.url);
  // More deliveries than the receiver keeps by default are inspected here.
  mock = await startMockSource({ maxRequests: 10_000 });
}, 120_000);

afterAll(async () => {
  await workers.killAll();
  await stopSender();
  await closeDb();
  await mock?.close();
  await pg?.destroy();
}, 60_000);

const withOutput = (err: Error) => {
  throw new Error(`${err.message}; worker output:\n${workers.output()}`);
};

describe('PostgreSQL restarted during a run', () => {
  it('the worker reconnects by itself, the run completes, nothing is lost or sent twice', async () => {
    const user = await createTestUser('recruiter');
    const token = await createTestToken(user);
    mock.configure({ path: '/pgr', latency_ms: 40 });
    const source = await createTestSource(mock.url, { sync_endpoint: '/pgr', max_concurrency: 8, timeout_ms: 3000 });
    const posting = await createPostingWithHired(2000);
    worker = await workers.start({ DATABASE_URL: pg.url });

    const post = async (slug: string) => {
      const res = await callRoute(syncRoute.POST, {
        method: 'POST',
        params: { slug },
        auth: { token },
        body: { source_ids: [source.id] },
      });
      expect(res.status).toBe(202);
      return res.body.task_id as string;
    };
    const runId = await post(posting.slug);

    await waitFor('300 deliveries at the receiver', async () => mock.stats().total_requests >= 300, 90_000).catch(
      withOutput,
    );
    const outputBeforeStop = worker.output().length;
    await pg.stop();
    const receivedAtStop = mock.stats().total_requests;
    expect(receivedAtStop).toBeLessThan(2000);
    // While the database is down the web answers an error at once rather than hanging.
    const during = await callRoute(statusRoute.GET, { params: { taskId: runId }, auth: { token } });
    expect(during.status).toBeGreaterThanOrEqual(500);
    // The worker (logging warnings and errors only) has run into the outage and lived through it.
    const running = worker;
    await waitFor(
      'the worker to log the lost database',
      async () => /"level":"(warn|error)"/.test(running.output().slice(outputBeforeStop)),
      60_000,
    ).catch(withOutput);
    expect(worker.child.exitCode).toBeNull();
    await pg.start();

    const run = await waitForRunFinished(runId, 150_000).catch(withOutput);
    // The same worker process did all of it.
    expect(worker.child.exitCode).toBeNull();
    expect(run).toMatchObject({ status: 'completed', total: 2000, succeeded: 2000, failed: 0 });

    const stats = mock.stats().by_path['/pgr'];
    expect(stats.unique_deliveries).toBe(2000);
    expect(stats.failures).toBe(0);
    // Anything beyond 2,000 requests was a re-send with a key the receiver had already seen.
    expect(stats.total_requests - stats.unique_deliveries).toBe(stats.duplicates);
    const deliveries = await getDb()
      .selectFrom('sync_deliveries')
      .select(['status', 'idempotency_key'])
      .where('run_id', '=', runId)
      .execute();
    expect(deliveries.filter((d) => d.status === 'succeeded')).toHaveLength(2000);
    const sentKeys = new Set(mock.requests({ path: '/pgr' }).map((r) => r.idempotency_key));
    expect(sentKeys).toEqual(new Set(deliveries.map((d) => d.idempotency_key)));

    // The web side reconnects too: the same pool reads the status, the same sender starts a sync.
    const status = await callRoute(statusRoute.GET, { params: { taskId: runId }, auth: { token } });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ status: 'completed', progress: { total: 2000, succeeded: 2000 } });
    const small = await createPostingWithHired(3);
    expect(await waitForRunFinished(await post(small.slug), 60_000).catch(withOutput)).toMatchObject({
      status: 'completed',
      succeeded: 3,
    });

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 240_000);
});
