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

  it('hashes the content exactly as the formula that migration 023 stored', async () => {
    // The formula as migration 023 froze it (and re-hashed the rows still up to date with): every
    // delivered_payload_hash stored since was made by it, so the live one must give the same text.
    const frozen = sql<string>`md5((jsonb_build_array(
      c.first_name, c.last_name, c.email, c.phone, c.hired_at, j.slug, j.title, j.department, j.location, s.field_mapping, s.connector,
      c.start_date, j.employment_type
    ) || case when s.target_mapping is null then '[]'::jsonb else jsonb_build_array(s.target_mapping) end)::text)`;
    const { rows } = await sql<{ live: string; frozen: string }>`
      select ${PAYLOAD_HASH_SQL} as live, ${frozen} as frozen
      from (values ('Ann', 'Lee', 'ann@example.test', null::text, null::timestamptz, null::date),
                   (${'Zoë "Q" \\ \t'}, 'O''Brien', 'zoe@example.test', '+1 555 0100', '2026-12-07T10:00:00.123456Z'::timestamptz, '2027-01-04'::date))
             as c (first_name, last_name, email, phone, hired_at, start_date)
      cross join (values ('backend', 'Backend engineer', null::text, 'Berlin', null::text),
                         ('ops', 'Ops', 'Platform', null::text, 'full_time')) as j (slug, title, department, location, employment_type)
      cross join (values (null::jsonb, 'generic_webhook', null::jsonb),
                         ('{"zz": {"from": "email"}, "a": [1, 2.50, "x"], "b": null}'::jsonb, 'personio',
                          '{"first_name": {"from": "first_name", "transform": "upper"}, "k": 1e3}'::jsonb)) as s (field_mapping, connector, target_mapping)
    `.execute(getDb());
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.live)).size).toBe(8);
    for (const r of rows) expect(r.live).toBe(r.frozen);
  });
});
