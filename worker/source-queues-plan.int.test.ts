import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { getLogger } from '@/lib/logger';
import { createBoss } from '@/lib/queue/boss';
import { deliverQueue, deliverQueues } from '@/lib/queue/queues';
import { deliverFetchPlan } from '@/lib/sync/jobs';
import { createTestSource, waitFor } from '@/test/sync-harness';
import { startSourceQueues } from './source-queues';

// Only what this test inserts wakes the queue: no reconcile, no pg-boss polling in its time.
const NEVER_MS = 3_600_000;
const NEVER_SECONDS = 3_600;
const boss = createBoss(getEnv(), 'worker', { max: 3 });
const ctx = { boss, db: getDb(), env: getEnv(), log: getLogger(), workerId: 'test-source-queues-plan' };
const fast = new Set<string>();
const fetched = new Map<string, number[]>();
const handled = new Set<string>();
let sources: ReturnType<typeof startSourceQueues>;

beforeAll(async () => {
  await boss.start();
  sources = startSourceQueues(
    ctx,
    deliverQueues(boss, ctx.env),
    async (source, jobs) => {
      fetched.set(source.id, [...(fetched.get(source.id) ?? []), jobs.length]);
      for (const j of jobs) for (const id of j.deliveryIds) handled.add(id);
    },
    { intervalMs: NEVER_MS, backstopPollSeconds: NEVER_SECONDS, answersFast: (id) => fast.has(id) },
  );
  await sources.start();
});

afterAll(async () => {
  await sources?.stop();
  await boss.stop({ graceful: false, close: true });
});

/** Enqueues `n` one-delivery jobs for the source at once and waits until all were handled. */
async function enqueueAndDrain(sourceId: string, n: number) {
  const ids = Array.from({ length: n }, () => randomUUID());
  await boss.insert(
    deliverQueue.name(sourceId),
    ids.map((id) => ({ data: { runId: randomUUID(), sourceId, deliveryIds: [id] } })),
  );
  await waitFor(`${n} jobs of ${sourceId} to be handled`, async () => ids.every((id) => handled.has(id)));
}

describe('the fetch plan follows how fast a source answers', () => {
  it('takes bigger batches once the source answers fast, and the usual ones again when it no longer does', async () => {
    const source = await createTestSource('http://127.0.0.1:9', { max_concurrency: 32, batch_size: 10 });
    const config = { connector: 'generic_webhook', batchSize: 10, maxConcurrency: 32 } as const;
    const usual = deliverFetchPlan(config).batchSize;
    const bigger = deliverFetchPlan(config, { fast: true }).batchSize;
    expect(bigger).toBeGreaterThan(usual);
    await sources.ensure([source.id]);

    await enqueueAndDrain(source.id, 60);
    expect(Math.max(...(fetched.get(source.id) ?? [0]))).toBeLessThanOrEqual(usual);

    fast.add(source.id);
    // The batch that sees the change asks for the other plan; the fetches after it take more jobs.
    await waitFor('a fetch of more than the usual plan', async () => {
      fetched.set(source.id, []);
      await enqueueAndDrain(source.id, 60);
      return Math.max(...(fetched.get(source.id) ?? [0])) > usual;
    });
    expect(Math.max(...(fetched.get(source.id) ?? [0]))).toBeLessThanOrEqual(bigger);

    fast.delete(source.id);
    await waitFor('fetches of the usual plan again', async () => {
      fetched.set(source.id, []);
      await enqueueAndDrain(source.id, 60);
      return Math.max(...(fetched.get(source.id) ?? [0])) <= usual;
    });
  });

  it('keeps the registration of a source whose plan is the same either way (a job fills its slots)', async () => {
    const source = await createTestSource('http://127.0.0.1:9', { max_concurrency: 8, batch_size: 10 });
    const config = { connector: 'generic_webhook', batchSize: 10, maxConcurrency: 8 } as const;
    expect(deliverFetchPlan(config, { fast: true })).toEqual(deliverFetchPlan(config));
    await sources.ensure([source.id]);
    const workIds = () =>
      new Set(
        boss
          .getWipData()
          .filter((w) => w.name === deliverQueue.name(source.id))
          .map((w) => w.workId),
      );
    const before = workIds();
    expect(before.size).toBe(1);
    fast.add(source.id);
    await enqueueAndDrain(source.id, 20);
    await enqueueAndDrain(source.id, 20);
    // Whatever the re-plan after those batches found to do is done once the chain of changes is.
    await sources.ensure([source.id]);
    expect(workIds()).toEqual(before);
  });
});
