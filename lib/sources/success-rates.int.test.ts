import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { createPostingWithHired, createTestSource } from '@/test/sync-harness';
import { findSourceSuccessRates } from './success-rates';

// Fixture runs and deliveries straight into the tables, with chosen ages and outcomes.
async function runWithDeliveries(
  posting: { id: string; candidateIds: string[] },
  sourceId: string,
  ageDays: number,
  statuses: ('succeeded' | 'failed' | 'skipped' | 'pending')[],
) {
  const db = getDb();
  const created = new Date(Date.now() - ageDays * 86_400_000);
  const run = await db
    .insertInto('sync_runs')
    .values({ job_posting_id: posting.id, trigger: 'manual', status: 'completed', created_at: created })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('sync_deliveries')
    .values(
      statuses.map((status, i) => ({
        run_id: run.id,
        source_id: sourceId,
        candidate_id: posting.candidateIds[i],
        status,
        payload_hash: `h${i}`,
        idempotency_key: `${run.id}-${i}`,
      })),
    )
    .execute();
}

describe('findSourceSuccessRates', () => {
  it('counts finished deliveries per source over the last days, ignoring older runs and unfinished work', async () => {
    const posting = await createPostingWithHired(6);
    const a = await createTestSource('http://127.0.0.1:9');
    const b = await createTestSource('http://127.0.0.1:9');
    const idle = await createTestSource('http://127.0.0.1:9');
    await runWithDeliveries(posting, a.id, 1, ['succeeded', 'succeeded', 'succeeded', 'failed', 'skipped', 'pending']);
    await runWithDeliveries(posting, a.id, 6, ['succeeded']);
    await runWithDeliveries(posting, a.id, 9, ['failed', 'failed']);
    await runWithDeliveries(posting, b.id, 0, ['failed']);

    const rates = await findSourceSuccessRates(getDb(), 7);
    expect(rates[a.id]).toEqual({ succeeded: 4, failed: 1 });
    expect(rates[b.id]).toEqual({ succeeded: 0, failed: 1 });
    expect(rates[idle.id]).toBeUndefined();
    expect((await findSourceSuccessRates(getDb(), 30))[a.id]).toEqual({ succeeded: 4, failed: 3 });
  });
});
