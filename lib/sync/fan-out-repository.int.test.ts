import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { insertPosting, insertRun, insertSource } from '@/test/sync-history-fixtures';
import { insertRunDeliveries, insertRunDeliveriesStatement, PAYLOAD_HASH_SQL } from './fan-out-repository';

async function runToOneSource() {
  const sourceId = await insertSource(`hash-once-${Math.random().toString(36).slice(2, 8)}`);
  const posting = await insertPosting(3);
  const runId = await insertRun({
    postingId: posting.id,
    status: 'running',
    createdAt: new Date(),
    sourceIds: [sourceId],
  });
  const run = { id: runId, force: false, job_posting_id: posting.id };
  const can = { update: [sourceId], withdraw: [sourceId], rehire: [sourceId] };
  return { sourceId, run, can, candidateIds: posting.candidates.map((c) => c.id) };
}

describe('the fan-out insert', () => {
  it('computes the content hash once a row, however many times the row uses it', async () => {
    const { sourceId, run, can, candidateIds } = await runToOneSource();
    const statement = insertRunDeliveriesStatement(run, candidateIds, [sourceId], can).compile(getDb());
    // EXPLAIN without ANALYZE plans the insert without running it; VERBOSE lists every expression.
    const { rows } = await getDb().executeQuery<{ 'QUERY PLAN': string }>({
      ...statement,
      sql: `explain (verbose, costs off) ${statement.sql}`,
    });
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan.match(/md5\(/g)).toHaveLength(1);
  });

  it('stores that hash and derives the idempotency key from it', async () => {
    const { sourceId, run, can, candidateIds } = await runToOneSource();
    const db = getDb();
    await db.transaction().execute((trx) => insertRunDeliveries(trx, run, candidateIds, [sourceId], can));
    const { rows } = await sql<{
      candidate_id: string;
      payload_hash: string;
      idempotency_key: string;
      expected: string;
    }>`
      select d.candidate_id, d.payload_hash, d.idempotency_key, ${PAYLOAD_HASH_SQL} as expected
      from sync_deliveries d
      join candidates c on c.id = d.candidate_id
      join job_postings j on j.id = c.job_posting_id
      join sources s on s.id = d.source_id
      where d.run_id = ${run.id}
    `.execute(db);
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.payload_hash).toBe(r.expected);
      const key = createHash('sha256').update(`${sourceId}:${r.candidate_id}:${r.expected}`).digest('hex');
      expect(r.idempotency_key).toBe(key);
    }
  });
});
