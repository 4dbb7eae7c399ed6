import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DB } from '@/db/types';
import { getDb } from '@/lib/db';
import { insertPosting, insertRun, insertSource } from '@/test/sync-history-fixtures';
import { claimDeliveries, type RecordedOutcome, recordDeliveriesStatement } from './delivery-repository';

/** A running run with one pending delivery to a fresh source. */
async function pendingDelivery() {
  const sourceId = await insertSource(`lease-${Math.random().toString(36).slice(2, 8)}`);
  const posting = await insertPosting(1);
  const runId = await insertRun({
    postingId: posting.id,
    status: 'running',
    createdAt: new Date(),
    sourceIds: [sourceId],
    deliveries: [{ sourceId, candidateId: posting.candidates[0].id, status: 'pending' }],
  });
  const { id } = await getDb()
    .selectFrom('sync_deliveries')
    .select('id')
    .where('run_id', '=', runId)
    .executeTakeFirstOrThrow();
  return { sourceId, runId, id };
}

const row = (id: string) =>
  getDb()
    .selectFrom('sync_deliveries')
    .select(['status', 'attempts', 'locked_by', 'held_until', 'updated_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const succeeded = (id: string, attempt: number): RecordedOutcome => ({
  deliveryId: id,
  attempt,
  status: 'succeeded',
  httpStatus: 200,
  errorCode: null,
  errorMessage: null,
  responseExcerpt: '{}',
  request: { method: 'POST', url: 'http://127.0.0.1:9/hooks', headers: {}, body: '{}' },
  durationMs: 1,
  externalId: null,
  recordHash: null,
  nextAttemptAt: null,
});

/** Row updates of sync_deliveries in the current transaction, and how many of them were HOT. */
async function updatesSoFar(trx: Kysely<DB>) {
  const { rows } = await sql<{ updated: number; hot: number }>`
    select pg_stat_get_xact_tuples_updated('sync_deliveries'::regclass)::int as updated,
           pg_stat_get_xact_tuples_hot_updated('sync_deliveries'::regclass)::int as hot
  `.execute(trx);
  return rows[0];
}

describe('a claim is a lease on a pending delivery', () => {
  it('changes no indexed column: the row stays pending and the update is HOT (no index written)', async () => {
    const d = await pendingDelivery();
    const counts = await getDb()
      .transaction()
      .execute(async (trx) => {
        const before = await updatesSoFar(trx);
        const { rows } = await claimDeliveries(trx, 'worker-a', d.sourceId, [d.id], 60);
        expect(rows.map((r) => r.id)).toEqual([d.id]);
        const after = await updatesSoFar(trx);
        return { updated: after.updated - before.updated, hot: after.hot - before.hot };
      });
    expect(counts).toEqual({ updated: 1, hot: 1 });
    const claimed = await row(d.id);
    expect(claimed).toMatchObject({ status: 'pending', attempts: 1, locked_by: 'worker-a' });
    expect(claimed.held_until!.getTime()).toBeGreaterThan(Date.now() + 30_000);
  });

  it('is exclusive while it lasts; once it ran out another worker takes it, and the first one records nothing', async () => {
    const d = await pendingDelivery();
    expect((await claimDeliveries(getDb(), 'worker-a', d.sourceId, [d.id], 60)).rows).toHaveLength(1);
    expect((await claimDeliveries(getDb(), 'worker-b', d.sourceId, [d.id], 60)).rows).toHaveLength(0);

    // worker-a died: its lease runs out.
    await getDb()
      .updateTable('sync_deliveries')
      .set({ held_until: new Date(Date.now() - 1000) })
      .where('id', '=', d.id)
      .execute();
    const taken = await claimDeliveries(getDb(), 'worker-b', d.sourceId, [d.id], 60);
    expect(taken.rows.map((r) => r.attempts)).toEqual([2]);

    // A late answer to worker-a's attempt is not recorded; worker-b's is, and ends the lease.
    const late = await recordDeliveriesStatement('worker-a', d.sourceId, 'a#0', [succeeded(d.id, 1)], true).execute(
      getDb(),
    );
    expect(late.rows).toEqual([]);
    expect(await row(d.id)).toMatchObject({ status: 'pending', locked_by: 'worker-b' });
    const recording = Date.now();
    const recorded = await recordDeliveriesStatement('worker-b', d.sourceId, 'b#0', [succeeded(d.id, 2)], true).execute(
      getDb(),
    );
    expect(recorded.rows.map((r) => r.status)).toEqual(['succeeded']);
    const done = await row(d.id);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2, held_until: null });
    // The record is the row's last change (the sweeper's "no change for a while" reads it): its
    // time is the recording transaction's, between these two readings of the same machine's clock.
    expect(done.updated_at.getTime()).toBeGreaterThanOrEqual(recording - 1);
    expect(done.updated_at.getTime()).toBeLessThanOrEqual(Date.now() + 1);
  });
});
