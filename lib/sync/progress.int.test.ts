import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { stopSender } from '@/lib/queue/sender';
import { createPostingWithHired, createTestSource, startSyncOf } from '@/test/sync-harness';
import { settleRunIn } from './progress';

afterAll(async () => {
  await stopSender();
});

/** A run whose fan-out is complete and whose every delivery has settled (none here): finishable. */
async function finishableRun(): Promise<string> {
  const source = await createTestSource('http://127.0.0.1:9', { sync_endpoint: '/settle' });
  const posting = await createPostingWithHired(1);
  const runId = await startSyncOf(posting.slug, [source.id]);
  await sql`update sync_runs set status = 'running', started_at = now(), expanded_at = now(), total = 0 where id = ${runId}`.execute(
    getDb(),
  );
  return runId;
}

describe('settling a run', () => {
  it('a refresh of the counters without finish copies them and leaves a finishable run running', async () => {
    const runId = await finishableRun();
    expect(await settleRunIn(getDb(), runId, { touch: true, wait: false, finish: false })).toBe('updated');
    const run = await getDb()
      .selectFrom('sync_runs')
      .select(['status', 'finished_at'])
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(run).toEqual({ status: 'running', finished_at: null });

    // The settle that may finish it still does.
    expect(await settleRunIn(getDb(), runId, { touch: true })).toBe('finished');
  });
});
