import { afterAll, describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { startSync } from '@/lib/sync/service';
import {
  createPostingWithHired,
  createTestSource,
  startTestSender,
  waitForRunFinished,
  setupMockReceiver,
} from '@/test/sync-harness';
import { spawnWorker } from '@/test/worker-process';

const WORKERS = 3;
const CANDIDATES = 3000;

// More deliveries than the receiver keeps by default are inspected here.
const mock = setupMockReceiver({ maxRequests: 10_000 });
const children: ReturnType<typeof spawnWorker>[] = [];

afterAll(async () => {
  for (const w of children) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  await Promise.all(children.map((w) => w.exited));
});

describe('scaling out', () => {
  it(`${WORKERS} worker processes on one database deliver ${CANDIDATES} candidates exactly once, sharing the work`, async () => {
    const db = getDb();
    // The source exists before the workers start, so each registers its queue at start-up and
    // none gets a head start on the others.
    const source = await createTestSource(mock.url, { sync_endpoint: '/scale', max_concurrency: 16 });
    const posting = await createPostingWithHired(CANDIDATES);
    for (let i = 0; i < WORKERS; i += 1) children.push(spawnWorker({ WORKER_CONCURRENCY: '4' }));
    const workerIds = (await Promise.all(children.map((c) => c.ready))).map((r) => r.workerId);

    const sender = await startTestSender();
    try {
      const { task_id } = await startSync(db, sender, systemActor('test'), {
        slug: posting.slug,
        source_ids: [source.id],
        force: false,
      });
      const run = await waitForRunFinished(task_id, 240_000);
      expect(run).toMatchObject({ status: 'completed', total: CANDIDATES, succeeded: CANDIDATES, failed: 0 });

      expect(mock.stats().by_path['/scale']).toMatchObject({
        total_requests: CANDIDATES,
        unique_deliveries: CANDIDATES,
        duplicates: 0,
        failures: 0,
      });
      const candidates = new Set(
        mock
          .requests({ path: '/scale' })
          .map((r) => (r.json as { data: { candidate: { id: string } } }).data.candidate.id),
      );
      expect(candidates).toEqual(new Set(posting.candidateIds));

      // locked_by keeps the id of the worker that made the (last) attempt: all three did some.
      const byWorker = await db
        .selectFrom('sync_deliveries')
        .select(['locked_by', (eb) => eb.fn.countAll<number>().as('n')])
        .where('run_id', '=', task_id)
        .groupBy('locked_by')
        .execute();
      expect(byWorker.map((w) => w.locked_by).sort()).toEqual([...workerIds].sort());
      expect(byWorker.reduce((sum, w) => sum + w.n, 0)).toBe(CANDIDATES);
      for (const w of byWorker) expect(w.n).toBeGreaterThan(0);
    } finally {
      await sender.stop({ graceful: false, close: true });
    }

    for (const w of children) w.child.kill('SIGTERM');
    expect(await Promise.all(children.map((w) => w.exited))).toEqual(children.map(() => 0));
  }, 360_000);
});
