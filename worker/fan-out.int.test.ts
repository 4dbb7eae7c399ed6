import { afterAll, describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { getLogger } from '@/lib/logger';
import { getSender, stopSender } from '@/lib/queue/sender';
import { toSourceConfig } from '@/lib/sources/service';
import { deliverQueues } from '@/lib/queue/queues';
import { createDeliveryEngine } from '@/lib/sync/delivery-engine';
import type { EngineContext } from '@/lib/sync/engine-context';
import { expandRunChunk } from '@/lib/sync/fan-out';
import { getRunStatus, startSync } from '@/lib/sync/service';
import {
  createPostingWithHired,
  createTestSource,
  startSyncOf,
  startTestWorker,
  type TestWorker,
  waitForRunFinished,
  setupMockReceiver,
} from '@/test/sync-harness';
import { getKeyring } from '@/lib/crypto/secret-box';
import { createSourceAuthorizer } from '@/lib/sync/connectors/authorize';

const mock = setupMockReceiver();
let worker: TestWorker | undefined;

afterAll(async () => {
  await worker?.stop();
  await stopSender();
});

describe('the fan-out, a chunk per transaction', () => {
  it('sends the first chunk before the rest is written, never finishes early, and resumes where a crash stopped it', async () => {
    const source = await createTestSource(mock.url, { sync_endpoint: '/chunks' });
    const posting = await createPostingWithHired(5);
    // No worker yet: the run's fan-out job waits in the queue, as when a worker died mid-fan-out.
    const runId = await startSyncOf(posting.slug, [source.id]);
    const boss = await getSender();
    const ctx: EngineContext = {
      db: getDb(),
      boss,
      log: getLogger(),
      workerId: 'test-fan-out',
      retryDelaySeconds: 0,
      queues: deliverQueues(boss, getEnv()),
      authorizer: createSourceAuthorizer({ db: getDb(), keyring: getKeyring(), log: getLogger() }),
    };

    expect(await expandRunChunk(ctx, runId, 2)).toEqual({ inserted: 2, pending: 2, done: false });
    const partial = await getDb().selectFrom('sync_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
    // Running with the expected total, not finishable until the last chunk is in.
    expect(partial).toMatchObject({ status: 'running', total: 5, expanded_at: null });
    expect(partial.expand_cursor).not.toBeNull();

    // The first chunk is delivered and recorded while the rest is not written yet: the run goes on.
    const deliveries = await getDb().selectFrom('sync_deliveries').select('id').where('run_id', '=', runId).execute();
    const row = await getDb().selectFrom('sources').selectAll().where('id', '=', source.id).executeTakeFirstOrThrow();
    const engine = createDeliveryEngine(ctx);
    await engine.process(toSourceConfig(row), [{ runId, deliveryIds: deliveries.map((d) => d.id) }]);
    await engine.stop();
    const status = await getRunStatus(getDb(), runId, null);
    if (status.notModified) throw new Error('expected a body');
    expect(status.body).toMatchObject({ status: 'running', progress: { total: 5, succeeded: 2, processed: 2 } });

    // A worker takes the fan-out job (its retry after a crash) and carries on from the cursor.
    worker = await startTestWorker();
    const finished = await waitForRunFinished(runId);
    expect(finished).toMatchObject({ status: 'completed', total: 5, succeeded: 5, failed: 0, expand_cursor: null });
    expect(finished.expanded_at).not.toBeNull();
    const all = await getDb()
      .selectFrom('sync_deliveries')
      .select('candidate_id')
      .where('run_id', '=', runId)
      .execute();
    expect(new Set(all.map((d) => d.candidate_id))).toEqual(new Set(posting.candidateIds));
    expect(mock.stats().by_path['/chunks']).toMatchObject({ unique_deliveries: 5, duplicates: 0 });
  });

  it('fans out only the candidates asked for', async () => {
    worker ??= await startTestWorker();
    const source = await createTestSource(mock.url, { sync_endpoint: '/chosen' });
    const posting = await createPostingWithHired(5);
    const chosen = [posting.candidateIds[1], posting.candidateIds[3]];
    const { task_id } = await startSync(getDb(), await getSender(), systemActor('test'), {
      slug: posting.slug,
      source_ids: [source.id],
      candidate_ids: chosen,
      force: false,
    });
    expect(await waitForRunFinished(task_id)).toMatchObject({ status: 'completed', total: 2, succeeded: 2 });
    const sent = await getDb()
      .selectFrom('sync_deliveries')
      .select('candidate_id')
      .where('run_id', '=', task_id)
      .execute();
    expect(sent.map((d) => d.candidate_id).sort()).toEqual([...chosen].sort());
    expect(mock.stats().by_path['/chosen']).toMatchObject({ unique_deliveries: 2 });
  });

  it('fans out a run larger than one chunk with an exact total', async () => {
    worker ??= await startTestWorker();
    const a = await createTestSource(mock.url, { sync_endpoint: '/big-a', max_concurrency: 16 });
    const b = await createTestSource(mock.url, { sync_endpoint: '/big-b', max_concurrency: 16 });
    // 700 candidates x 2 sources: a first chunk of 200 deliveries, then chunks of 1,000.
    const posting = await createPostingWithHired(700);
    const runId = await startSyncOf(posting.slug, [a.id, b.id]);
    const finished = await waitForRunFinished(runId, 60_000);
    expect(finished).toMatchObject({ status: 'completed', total: 1400, succeeded: 1400 });
    expect(mock.stats().by_path['/big-a']).toMatchObject({ unique_deliveries: 700, duplicates: 0 });
    expect(mock.stats().by_path['/big-b']).toMatchObject({ unique_deliveries: 700, duplicates: 0 });
  }, 90_000);
});
