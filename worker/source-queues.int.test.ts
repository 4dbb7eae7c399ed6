import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { getLogger } from '@/lib/logger';
import { createBoss } from '@/lib/queue/boss';
import { deliverQueue, deliverQueues } from '@/lib/queue/queues';
import { listenForSourceEvents } from './source-events';
import { startSourceQueues } from './source-queues';
import { createTestSource, waitFor } from '@/test/sync-harness';

// The periodic reconcile and pg-boss's own polling are pushed out of reach: whatever is picked up
// here came another way.
const NEVER_MS = 3_600_000;
const NEVER_SECONDS = 3_600;
const handled: { sourceId: string; deliveryIds: string[] }[] = [];
const boss = createBoss(getEnv(), 'worker', { max: 3 });
const ctx = { boss, db: getDb(), env: getEnv(), log: getLogger(), workerId: 'test-source-queues' };
let sources: ReturnType<typeof startSourceQueues>;
let events: ReturnType<typeof listenForSourceEvents>;

beforeAll(async () => {
  await boss.start();
  sources = startSourceQueues(
    ctx,
    deliverQueues(boss, ctx.env),
    async (source, jobs) => {
      for (const j of jobs) handled.push({ sourceId: source.id, deliveryIds: j.deliveryIds });
    },
    { intervalMs: NEVER_MS, backstopPollSeconds: NEVER_SECONDS },
  );
  await sources.start();
});

afterAll(async () => {
  await events?.stop();
  await sources?.stop();
  await boss.stop({ graceful: false, close: true });
});

describe('how a worker learns of a new source', () => {
  it('the fan-out makes sure of the sources it enqueues for: registered before the call returns', async () => {
    const source = await createTestSource('http://127.0.0.1:9', { sync_endpoint: '/ensure' });
    expect(sources.queues()).not.toContain(deliverQueue.name(source.id));
    await sources.ensure([source.id]);
    expect(sources.queues()).toContain(deliverQueue.name(source.id));
  });

  it('a source created by the web is worked on its NOTIFY, without waiting for the reconcile', async () => {
    events = listenForSourceEvents(ctx.env.DATABASE_URL, ctx.log, {
      changed: () => sources.refresh(),
      paused: async () => {},
      slotsWanted: () => {},
    });
    await events.start();
    const source = await createTestSource('http://127.0.0.1:9', { sync_endpoint: '/notified' });
    await waitFor('the new source to be worked', async () => sources.queues().includes(deliverQueue.name(source.id)));
  });

  it('a job that becomes due later (a retry, the end of a pause) is started without pg-boss polling its queue', async () => {
    const source = await createTestSource('http://127.0.0.1:9', { sync_endpoint: '/due' });
    await sources.ensure([source.id]);
    const deliveryId = randomUUID();
    // Its NOTIFY wakes the queue's worker before the job is due: that fetch finds nothing.
    await boss.insert(deliverQueue.name(source.id), [
      {
        data: { runId: randomUUID(), sourceId: source.id, deliveryIds: [deliveryId] },
        startAfter: new Date(Date.now() + 1500),
      },
    ]);
    await waitFor('the deferred job to be handled', async () =>
      handled.some((h) => h.deliveryIds.includes(deliveryId)),
    );
  });
});
