import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { getLogger } from '@/lib/logger';
import { createBoss } from '@/lib/queue/boss';
import { deliverQueue, deliverQueues } from '@/lib/queue/queues';
import { listenForSourceEvents } from './source-events';
import { startSourceQueues } from './source-queues';
import { createTestSource, waitFor } from '@/test/sync-harness';

// The periodic reconcile is pushed out of reach: whatever is picked up here came another way.
const NEVER_MS = 3_600_000;
const boss = createBoss(getEnv(), 'worker', { max: 3 });
const ctx = { boss, db: getDb(), env: getEnv(), log: getLogger(), workerId: 'test-source-queues' };
let sources: ReturnType<typeof startSourceQueues>;
let events: ReturnType<typeof listenForSourceEvents>;

beforeAll(async () => {
  await boss.start();
  sources = startSourceQueues(ctx, deliverQueues(boss, ctx.env), async () => {}, NEVER_MS);
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
    });
    await events.start();
    const source = await createTestSource('http://127.0.0.1:9', { sync_endpoint: '/notified' });
    await waitFor('the new source to be worked', async () => sources.queues().includes(deliverQueue.name(source.id)));
  });
});
