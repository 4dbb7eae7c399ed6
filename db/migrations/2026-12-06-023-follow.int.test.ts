import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { findCandidatesToFollow } from '@/lib/sync/fan-out-repository';
import { createPostingWithHired, createTestSource } from '@/test/sync-harness';
import * as follow from './2026-12-06-023-follow';

/**
 * The content hash gained start_date and employment_type. Upgrading must not make every delivered
 * candidate look changed (a storm of updates), nor hide a candidate who really changed since.
 */
it('re-hashes the states still up to date and leaves the really changed ones to be sent', async () => {
  const db = getDb();
  const source = await createTestSource('http://127.0.0.1:9', { connector: 'generic_webhook' });
  const posting = await createPostingWithHired(3);
  const [same, changed, withStart] = posting.candidateIds;
  await db.updateTable('candidates').set({ start_date: '2027-01-04' }).where('id', '=', withStart).execute();

  await follow.down(db);
  // Delivered under the old formula, as the engine before this migration stored it.
  await sql`
    insert into candidate_sync_state (candidate_id, source_id, last_status, last_attempt_at, delivered_payload_hash, delivered_at)
    select c.id, s.id, 'succeeded', now(), md5((jsonb_build_array(
        c.first_name, c.last_name, c.email, c.phone, c.hired_at, j.slug, j.title, j.department, j.location, s.field_mapping, s.connector
      ) || case when s.target_mapping is null then '[]'::jsonb else jsonb_build_array(s.target_mapping) end)::text), now()
    from candidates c join job_postings j on j.id = c.job_posting_id cross join sources s
    where c.id = any(${posting.candidateIds}::uuid[]) and s.id = ${source.id}
  `.execute(db);
  await db.updateTable('candidates').set({ first_name: 'Changed' }).where('id', '=', changed).execute();
  await follow.up(db);

  const toSend = await db
    .transaction()
    .execute((trx) => findCandidatesToFollow(trx, posting.id, posting.candidateIds, [source.id]));
  expect(toSend).toEqual([changed]);
  expect(toSend).not.toContain(same);
  expect(toSend).not.toContain(withStart);
});
