import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { getLogger } from '@/lib/logger';
import { deliverQueue, deliverQueues } from '@/lib/queue/queues';
import { getSender, stopSender } from '@/lib/queue/sender';
import type { EngineContext } from '@/lib/sync/engine-context';
import { expandRunChunk } from '@/lib/sync/fan-out';
import { createPostingWithHired, createTestSource, startSyncOf } from '@/test/sync-harness';
import { getKeyring } from '@/lib/crypto/secret-box';
import { createSourceAuthorizer } from '@/lib/sync/connectors/authorize';

afterAll(async () => {
  await stopSender();
});

const SOURCES = 150;

describe('the fan-out of a run to many sources', () => {
  it('enqueues, per source, whole jobs of batch_size candidates (even above max_concurrency), as many as one fetch takes', async () => {
    const sources = [];
    for (let i = 0; i < SOURCES; i++) {
      // Nothing is sent: no worker runs here, the jobs stay in their queues to be looked at.
      sources.push(await createTestSource('http://127.0.0.1:9', { max_concurrency: 4, batch_size: 10 }));
    }
    const posting = await createPostingWithHired(40);
    const runId = await startSyncOf(
      posting.slug,
      sources.map((s) => s.id),
    );
    const boss = await getSender();
    const ctx: EngineContext = {
      db: getDb(),
      boss,
      log: getLogger(),
      workerId: 'test-fan-out-many',
      retryDelaySeconds: 0,
      queues: deliverQueues(boss, getEnv()),
      authorizer: createSourceAuthorizer({ db: getDb(), keyring: getKeyring(), log: getLogger() }),
    };

    // The first chunk stays small (one candidate each here): sending starts at once.
    expect(await expandRunChunk(ctx, runId, SOURCES)).toMatchObject({ inserted: SOURCES, done: false });
    // 1,000 rows would be under 7 candidates a source: the chunk takes two whole jobs of 10 instead,
    // what one fetch of a source at max_concurrency 4 takes.
    expect(await expandRunChunk(ctx, runId, 1000)).toMatchObject({ inserted: 20 * SOURCES, done: false });

    const { rows } = await sql<{ name: string; size: number }>`
      select name, jsonb_array_length(data->'deliveryIds') as size from pgboss.job
      where name like ${`${deliverQueue.prefix}%`} order by created_on
    `.execute(getDb());
    const sizesBySource = new Map<string, number[]>();
    for (const r of rows) sizesBySource.set(r.name, [...(sizesBySource.get(r.name) ?? []), r.size]);
    expect(sizesBySource.size).toBe(SOURCES);
    for (const s of sources) expect(sizesBySource.get(deliverQueue.name(s.id))).toEqual([1, 10, 10]);
  });

  it("keeps the first chunk to what the sources' slots send in two rounds, so the first requests leave at once", async () => {
    const sources = [
      await createTestSource('http://127.0.0.1:9', { max_concurrency: 2 }),
      await createTestSource('http://127.0.0.1:9', { max_concurrency: 3 }),
    ];
    const posting = await createPostingWithHired(30);
    const runId = await startSyncOf(
      posting.slug,
      sources.map((s) => s.id),
    );
    const ctx: EngineContext = {
      db: getDb(),
      boss: await getSender(),
      log: getLogger(),
      workerId: 'test-fan-out-first',
      retryDelaySeconds: 0,
      queues: deliverQueues(await getSender(), getEnv()),
      authorizer: createSourceAuthorizer({ db: getDb(), keyring: getKeyring(), log: getLogger() }),
    };
    // 200 rows asked: 6 candidates (twice the larger max_concurrency) to each source, not 30.
    expect(await expandRunChunk(ctx, runId, 200)).toEqual({ inserted: 12, pending: 12, done: false });
    // The next chunks are not cut so: the remaining 24 candidates go in one.
    expect(await expandRunChunk(ctx, runId, 200)).toEqual({ inserted: 48, pending: 48, done: true });
  });
});
