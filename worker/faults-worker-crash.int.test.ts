import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { getDb } from '@/lib/db';
import { stopSender } from '@/lib/queue/sender';
import {
  createPostingWithHired,
  createTestSource,
  startSyncOf,
  waitFor,
  waitForRunFinished,
  setupMockReceiver,
} from '@/test/sync-harness';
import { workerProcesses } from '@/test/worker-process';

// More deliveries than the receiver keeps by default are inspected here.
const mock = setupMockReceiver({ maxRequests: 10_000 });
const workers = workerProcesses();
const startWorker = workers.start;

afterAll(async () => {
  await workers.killAll();
  await stopSender();
});

const explain = (err: Error) => {
  throw new Error(`${err.message}; worker output:\n${workers.output()}`);
};

async function startRun(path: string, hired: number, overrides: Parameters<typeof createTestSource>[1] = {}) {
  const source = await createTestSource(mock.url, { sync_endpoint: path, ...overrides });
  const posting = await createPostingWithHired(hired);
  return startSyncOf(posting.slug, [source.id]);
}

const deliveriesOf = (runId: string) =>
  getDb().selectFrom('sync_deliveries').selectAll().where('run_id', '=', runId).execute();

/** Every candidate reached the receiver exactly once; extra requests were re-sends with a known key. */
async function expectEachDeliveredOnce(runId: string, path: string, total: number) {
  const stats = mock.stats().by_path[path];
  expect(stats.unique_deliveries).toBe(total);
  expect(stats.total_requests - stats.unique_deliveries).toBe(stats.duplicates);
  const deliveries = await deliveriesOf(runId);
  expect(deliveries.filter((d) => d.status === 'succeeded')).toHaveLength(total);
  expect(new Set(mock.requests({ path }).map((r) => r.idempotency_key))).toEqual(
    new Set(deliveries.map((d) => d.idempotency_key)),
  );
}

describe('worker crashes and shutdowns', () => {
  it('a run survives its worker being killed with SIGKILL three times', async () => {
    mock.configure({ path: '/kill3', latency_ms: 30 });
    let worker = await startWorker();
    const runId = await startRun('/kill3', 600, { max_concurrency: 4, timeout_ms: 2000 });
    for (const threshold of [100, 250, 400]) {
      await waitFor(
        `${threshold} requests at the receiver`,
        async () => (mock.stats().by_path['/kill3']?.total_requests ?? 0) >= threshold,
        90_000,
      ).catch(explain);
      worker.child.kill('SIGKILL');
      await worker.exited;
      worker = await startWorker();
    }
    expect(mock.stats().by_path['/kill3'].unique_deliveries).toBeLessThan(600);
    const run = await waitForRunFinished(runId, 240_000).catch(explain);
    expect(run).toMatchObject({ status: 'completed', total: 600, succeeded: 600, failed: 0 });
    await expectEachDeliveredOnce(runId, '/kill3', 600);
    // The last attempts were made by more than one of the four processes: the killed ones got work done too.
    const lockers = new Set((await deliveriesOf(runId)).map((d) => d.locked_by));
    expect(lockers.size).toBeGreaterThanOrEqual(2);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 400_000);

  it('SIGTERM during start-up: the worker stops what it had started and exits 0 without ever being ready', async () => {
    // The start-up is held at its first heartbeat (written after pg-boss and the handlers started)
    // by a lock on the table, so the signal arrives at a known step.
    const locker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await locker.connect();
    onTestFinished(() => locker.end());
    await locker.query('begin');
    await locker.query('lock table worker_heartbeats in access exclusive mode');
    const worker = workers.spawn({ LOG_LEVEL: 'info' });
    // Not left to take work from the next test when this one fails.
    onTestFinished(() => {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    });
    // Asked on another connection: inside the locker's transaction pg_stat_activity stays a snapshot.
    await waitFor('the worker to wait for its heartbeat', async () => {
      const { rows } = await sql`
        select 1 from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query like 'insert into "worker_heartbeats"%'
      `.execute(getDb());
      return rows.length > 0;
    }).catch(explain);
    worker.child.kill('SIGTERM');
    // A worker without its signal handlers yet ends here instead, killed by the signal.
    await waitFor(
      'the worker to take the stop request',
      async () =>
        worker.output().includes('stop requested during start-up') ||
        worker.child.exitCode !== null ||
        worker.child.signalCode !== null,
    ).catch(explain);
    await locker.query('commit');

    expect(await worker.exited).toBe(0);
    await expect(worker.ready).rejects.toThrow(/before it was ready/);
    expect(worker.output()).toContain('"msg":"worker stopped"');
    // Its heartbeat, written once the lock was gone, was removed again by the shutdown.
    const { rows } = await locker.query('select id from worker_heartbeats where pid = $1', [worker.child.pid]);
    expect(rows).toEqual([]);
  }, 120_000);

  it('SIGTERM mid-run: in-flight requests finish and are recorded, the worker exits 0, another worker completes the run', async () => {
    mock.configure({ path: '/term', latency_ms: 1500 });
    const first = await startWorker({ JOB_TIMEOUT_SECONDS: '20' });
    const runId = await startRun('/term', 40, { max_concurrency: 8, timeout_ms: 5000 });
    await waitFor('requests in flight', async () => (mock.stats().by_path['/term']?.in_flight ?? 0) >= 4, 60_000).catch(
      explain,
    );
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const sent = mock.requests({ path: '/term' });
    expect(sent.length).toBeLessThan(40);
    const afterStop = await deliveriesOf(runId);
    // Nothing is left claimed by the stopped worker: what it had sent was answered and recorded.
    expect(afterStop.filter((d) => d.held_until !== null)).toEqual([]);
    const byKey = new Map(afterStop.map((d) => [d.idempotency_key, d]));
    for (const r of sent) expect(byKey.get(r.idempotency_key!)?.status).toBe('succeeded');

    const second = await startWorker();
    const run = await waitForRunFinished(runId, 90_000).catch(explain);
    expect(run).toMatchObject({ status: 'completed', total: 40, succeeded: 40 });
    await expectEachDeliveredOnce(runId, '/term', 40);
    expect(mock.stats().by_path['/term'].duplicates).toBe(0);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 150_000);

  it('SIGTERM while requests hang longer than JOB_TIMEOUT: the worker still exits 0 in time and the run completes later', async () => {
    mock.configure({ path: '/termhang', mode: 'hang' });
    const first = await startWorker({ JOB_TIMEOUT_SECONDS: '5' });
    const runId = await startRun('/termhang', 6, { max_concurrency: 8, timeout_ms: 20_000 });
    await waitFor(
      'requests hanging',
      async () => (mock.stats().by_path['/termhang']?.in_flight ?? 0) >= 6,
      60_000,
    ).catch(explain);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // What was still in flight after the grace period was given back, not left claimed; and given
    // back by the shutdown, before the requests' own 20 s timeout: none of them ended as a timeout.
    const afterStop = await deliveriesOf(runId);
    expect(afterStop.map((d) => d.status)).toEqual(Array(6).fill('pending'));
    expect(afterStop.map((d) => d.error_code)).toEqual(Array(6).fill(null));

    mock.configure({ path: '/termhang', mode: 'ok' });
    const second = await startWorker();
    const run = await waitForRunFinished(runId, 120_000).catch(explain);
    expect(run).toMatchObject({ status: 'completed', total: 6, succeeded: 6 });
    expect(mock.stats().by_path['/termhang'].unique_deliveries).toBe(6);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 180_000);
});
