import { afterAll, describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { deliverQueue, deliverQueues } from '@/lib/queue/queues';
import { pauseSourceByAdmin, resumeSource } from '@/lib/sources/pause';
import { enqueueDeliveries } from '@/lib/sync/enqueue';
import { startSync } from '@/lib/sync/service';
import {
  createPostingWithHired,
  createTestSource,
  setupMockReceiver,
  startTestSender,
  waitFor,
  waitForRunFinished,
} from '@/test/sync-harness';
import { workerProcesses } from '@/test/worker-process';

/**
 * A pause holds in every worker process: two real workers (`worker/index.ts`) share a run; the
 * pause one web request writes reaches both, and the resume sends the rest once.
 */
const mock = setupMockReceiver();
const workers = workerProcesses();
const admin = systemActor('test');

afterAll(async () => {
  await workers.killAll();
});

const deliveriesOf = (runId: string) =>
  getDb().selectFrom('sync_deliveries').selectAll().where('run_id', '=', runId).execute();

describe('pause across worker processes', () => {
  it('holds in both workers, and resume delivers everything once', async () => {
    const source = await createTestSource(mock.url, { sync_endpoint: '/two', max_concurrency: 4, batch_size: 2 });
    const posting = await createPostingWithHired(40);
    const [a, b] = await Promise.all([workers.start(), workers.start()]);
    const workerIds = new Set([(await a.ready).workerId, (await b.ready).workerId]);
    mock.configure({ path: '/two', mode: 'hold' });
    const sender = await startTestSender();
    try {
      const { task_id } = await startSync(getDb(), sender, admin, {
        slug: posting.slug,
        source_ids: [source.id],
        force: false,
      });
      await waitFor('four requests in flight', async () => mock.requests({ path: '/two' }).length === 4);
      await pauseSourceByAdmin(getDb(), admin, source.id, { reason: 'two workers' });
      mock.configure({ path: '/two', mode: 'ok' });
      mock.release();

      await waitFor(
        'both workers to hold the rest',
        async () => {
          const ds = await deliveriesOf(task_id);
          return ds.every((d) => d.status === 'succeeded' || (d.status === 'pending' && d.held_until === null));
        },
        90_000,
      );
      const sent = mock.requests({ path: '/two' }).length;
      expect(sent).toBeLessThan(40);

      // Every pending delivery queued again, as often as there are workers: whoever takes the
      // jobs, nothing is sent while the pause holds.
      const pending = (await deliveriesOf(task_id)).filter((d) => d.status === 'pending');
      for (let i = 0; i < 2; i += 1) {
        await getDb()
          .transaction()
          .execute((trx) => enqueueDeliveries(trx, deliverQueues(sender, getEnv()), task_id, pending));
      }
      await waitFor(
        'the queued jobs to be taken',
        async () => {
          const jobs = await sender.findJobs(deliverQueue.name(source.id));
          return jobs.length > 0 && jobs.every((j) => !['created', 'retry', 'active'].includes(j.state));
        },
        90_000,
      );
      expect(mock.requests({ path: '/two' })).toHaveLength(sent);
      expect((await deliveriesOf(task_id)).reduce((n, d) => n + d.attempts, 0)).toBe(sent);

      const resumed = await resumeSource(getDb(), sender, admin, source.id);
      expect(resumed).toMatchObject({ changed: true, enqueued: 40 - sent });
      expect(await waitForRunFinished(task_id, 120_000)).toMatchObject({ status: 'completed', succeeded: 40 });
      expect(mock.stats().by_path['/two']).toMatchObject({ total_requests: 40, unique_deliveries: 40, duplicates: 0 });
      // Both processes sent some of the run (locked_by keeps who made the last attempt).
      const by = new Set((await deliveriesOf(task_id)).map((d) => d.locked_by));
      expect(by).toEqual(workerIds);
    } finally {
      await sender.stop({ graceful: false, close: true });
    }
    for (const w of [a, b]) w.child.kill('SIGTERM');
    expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);
  }, 240_000);
});
