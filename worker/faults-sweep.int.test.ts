import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryStatus } from '@/db/types';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { getLogger } from '@/lib/logger';
import { type MockSource, startMockSource } from '@/scripts/mock-source/server';
import { deliverQueues, deliverQueue } from '@/lib/queue/queues';
import type { EngineContext } from '@/lib/sync/engine-context';

import { addBaseCounts, rebuildProgress } from '@/lib/sync/progress';
import { getRunStatus } from '@/lib/sync/service';
import { sweep } from '@/lib/sync/sweep';
import {
  createPostingWithHired,
  createTestSource,
  startTestSender,
  startTestWorker,
  type TestWorker,
  waitForRunFinished,
} from '@/test/sync-harness';
import { getKeyring } from '@/lib/crypto/secret-box';
import { createSourceAuthorizer } from '@/lib/sync/connectors/authorize';

/**
 * What a crash leaves behind, put in place by hand (a worker killed between claiming and recording,
 * a job lost, a run whose last counter update never happened), then repaired by the sweeper.
 */
let mock: MockSource;
let boss: PgBoss;
let ctx: EngineContext;
let worker: TestWorker | undefined;

beforeAll(async () => {
  mock = await startMockSource();
  boss = await startTestSender();
  ctx = {
    db: getDb(),
    boss,
    log: getLogger(),
    workerId: 'sweep-test',
    retryDelaySeconds: 0,
    queues: deliverQueues(boss, getEnv()),
    authorizer: createSourceAuthorizer({ db: getDb(), keyring: getKeyring(), log: getLogger() }),
  };
});

afterAll(async () => {
  await worker?.stop();
  await boss?.stop({ graceful: false, close: true });
  await mock?.close();
});

const tenMinutesAgo = sql<Date>`now() - interval '10 minutes'`;

/** A run to `sourceId` with one delivery per status (one hired candidate each), as a crash left it. */
async function insertRun(
  sourceId: string,
  statuses: DeliveryStatus[],
  options: { runStatus?: 'pending' | 'running'; hired?: number; delivery?: Record<string, unknown> } = {},
) {
  const { runStatus = 'running', hired = statuses.length } = options;
  const posting = await createPostingWithHired(hired);
  const run = await getDb()
    .insertInto('sync_runs')
    .values({
      job_posting_id: posting.id,
      trigger: 'manual',
      requested_by: null,
      source_ids: [sourceId],
      candidate_ids: null,
      status: runStatus,
      total: statuses.length,
      started_at: runStatus === 'running' ? tenMinutesAgo : null,
      expanded_at: runStatus === 'running' ? tenMinutesAgo : null,
      created_at: tenMinutesAgo,
      updated_at: tenMinutesAgo,
    })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
  if (statuses.length === 0) return { run, deliveries: [] };
  const deliveries = await getDb()
    .insertInto('sync_deliveries')
    .values(
      statuses.map((status, i) => ({
        run_id: run.id,
        source_id: sourceId,
        candidate_id: posting.candidateIds[i],
        status,
        attempts: status === 'pending' ? 0 : 1,
        payload_hash: 'hash',
        idempotency_key: randomUUID(),
        updated_at: tenMinutesAgo,
        ...(status === 'succeeded' ? { delivered_at: tenMinutesAgo, http_status: 200 } : {}),
        ...(status === 'failed' ? { http_status: 400, error_code: 'rejected' } : {}),
        ...options.delivery,
      })),
    )
    .returning(['id', 'idempotency_key'])
    .execute();
  await rebuildProgress(getDb(), [run.id]);
  return { run, deliveries };
}

const queuedDeliveryIds = async (sourceId: string) => {
  const { rows } = await sql<{ ids: string[] }>`
    select data->'deliveryIds' as ids from pgboss.job where name = ${deliverQueue.name(sourceId)} and state = 'created'
  `.execute(getDb());
  return new Set(rows.flatMap((r) => r.ids));
};

describe('the sweeper repairs what a crash leaves behind', () => {
  it('releases deliveries held by a dead worker and re-queues pending ones whose job was lost; a worker then delivers them', async () => {
    const source = await createTestSource(mock.url, { sync_endpoint: '/orphans', timeout_ms: 2000 });
    // Held by a worker that died: leases that ran out long ago (migration 021).
    const held = await insertRun(source.id, ['pending', 'pending', 'pending'], {
      // A retry (its next attempt was due ten minutes ago): given back, it is no longer waiting for one.
      delivery: {
        locked_by: 'dead-worker',
        started_at: tenMinutesAgo,
        held_until: tenMinutesAgo,
        attempts: 2,
        next_attempt_at: tenMinutesAgo,
      },
    });
    const lost = await insertRun(source.id, ['pending', 'pending']);

    const result = await sweep(ctx);
    expect(result).toMatchObject({ released: 3, requeued: 2 });
    const rows = await getDb()
      .selectFrom('sync_deliveries')
      .select(['status', 'locked_by', 'held_until', 'next_attempt_at'])
      .where('run_id', 'in', [held.run.id, lost.run.id])
      .execute();
    expect(rows).toEqual(
      Array(5).fill({ status: 'pending', locked_by: null, held_until: null, next_attempt_at: null }),
    );
    const queued = await queuedDeliveryIds(source.id);
    for (const d of [...held.deliveries, ...lost.deliveries]) expect(queued.has(d.id)).toBe(true);
    // A second pass finds nothing more to do.
    expect(await sweep(ctx)).toMatchObject({ released: 0, requeued: 0 });

    worker = await startTestWorker();
    for (const { run } of [held, lost]) {
      const finished = await waitForRunFinished(run.id, 60_000);
      expect(finished.status).toBe('completed');
    }
    expect(mock.stats().by_path['/orphans']).toMatchObject({ unique_deliveries: 5, duplicates: 0 });
    await worker.stop();
    worker = undefined;
  }, 90_000);

  it('finishes a run whose deliveries have all settled but which is still running, with counters from the deliveries', async () => {
    const source = await createTestSource(mock.url, { sync_endpoint: '/settled' });
    const { run } = await insertRun(source.id, ['succeeded', 'succeeded', 'succeeded', 'failed', 'skipped']);

    const result = await sweep(ctx);
    expect(result.finalized).toBe(1);
    const after = await getDb().selectFrom('sync_runs').selectAll().where('id', '=', run.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({
      status: 'partially_failed',
      total: 5,
      succeeded: 3,
      failed: 1,
      skipped: 1,
      cancelled: 0,
    });
    expect(after.finished_at).not.toBeNull();
    expect(after.version).toBeGreaterThan(run.version);
    expect((await sweep(ctx)).finalized).toBe(0);
  });

  it('fails pending deliveries to a source deactivated mid-run, counts them at once, and finishes the run', async () => {
    const source = await createTestSource(mock.url, { sync_endpoint: '/gone' });
    const { run } = await insertRun(source.id, ['succeeded', 'pending', 'pending']);
    await getDb().updateTable('sync_runs').set({ succeeded: 1 }).where('id', '=', run.id).execute();
    await getDb().updateTable('sources').set({ is_active: false }).where('id', '=', source.id).execute();

    const result = await sweep(ctx);
    expect(result).toMatchObject({ sourceGone: 2, finalized: 1 });
    const deliveries = await getDb()
      .selectFrom('sync_deliveries')
      .select(['status', 'error_code'])
      .where('run_id', '=', run.id)
      .execute();
    expect(deliveries.filter((d) => d.error_code === 'source_inactive')).toHaveLength(2);
    const after = await getDb().selectFrom('sync_runs').selectAll().where('id', '=', run.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: 'partially_failed', succeeded: 1, failed: 2 });
    expect(after.version).toBeGreaterThan(run.version);
  });

  it('rebuilds the counters of a recently finished run from its deliveries when they drifted', async () => {
    const source = await createTestSource(mock.url, { sync_endpoint: '/drift' });
    const { run } = await insertRun(source.id, ['succeeded', 'succeeded', 'failed']);
    // As a worker of the version before progress rows leaves it: the run row is finished with its
    // counters, the progress rows know nothing of the last two outcomes.
    await getDb()
      .updateTable('sync_runs')
      .set({ status: 'partially_failed', succeeded: 2, failed: 1, finished_at: new Date() })
      .where('id', '=', run.id)
      .execute();
    await getDb().deleteFrom('sync_run_progress').where('run_id', '=', run.id).execute();
    await addBaseCounts(getDb(), run.id, [{ sourceId: source.id, total: 3, succeeded: 1 }]);

    expect((await sweep(ctx)).reconciled).toBe(1);
    const status = await getRunStatus(getDb(), run.id, null);
    if (status.notModified) throw new Error('expected a body');
    expect(status.body.progress).toMatchObject({ total: 3, processed: 3, succeeded: 2, failed: 1 });
    expect(status.body.sources).toEqual([expect.objectContaining({ total: 3, succeeded: 2, failed: 1 })]);
    expect((await sweep(ctx)).reconciled).toBe(0);
  });

  it('restarts a run whose fan-out job was lost', async () => {
    const source = await createTestSource(mock.url, { sync_endpoint: '/refan' });
    const { run } = await insertRun(source.id, [], { runStatus: 'pending', hired: 2 });
    expect((await sweep(ctx)).restarted).toBe(1);
    worker = await startTestWorker();
    expect(await waitForRunFinished(run.id, 60_000)).toMatchObject({ status: 'completed', total: 2, succeeded: 2 });
    expect(mock.stats().by_path['/refan'].unique_deliveries).toBe(2);
  }, 90_000);
});
