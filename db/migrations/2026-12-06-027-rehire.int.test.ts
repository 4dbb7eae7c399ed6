import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { createPostingWithHired, createTestSource } from '@/test/sync-harness';
import * as rehire from './2026-12-06-027-rehire';

/** The check constraints of sync_deliveries that name the action column, as PostgreSQL prints them. */
async function actionChecks(): Promise<string[]> {
  const { rows } = await sql<{ def: string }>`
    select pg_get_constraintdef(oid) as def from pg_constraint
    where conrelid = 'sync_deliveries'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%action%'
  `.execute(getDb());
  return rows.map((r) => r.def);
}

it('lets a delivery be a rehire (one check, replacing the old one), and down reads rehires as creates', async () => {
  const db = getDb();
  const [check] = await actionChecks();
  expect(await actionChecks()).toHaveLength(1);
  expect(check).toContain("'rehire'");

  const source = await createTestSource('http://127.0.0.1:9', { connector: 'generic_webhook' });
  const posting = await createPostingWithHired(1);
  await db
    .insertInto('candidate_sync_state')
    .values({
      candidate_id: posting.candidateIds[0],
      source_id: source.id,
      last_status: 'succeeded',
      last_attempt_at: new Date(),
      last_action: 'rehire',
    })
    .execute();

  await rehire.down(db);
  expect(await actionChecks()).toEqual([expect.not.stringContaining("'rehire'")]);
  const state = await db.selectFrom('candidate_sync_state').select('last_action').executeTakeFirstOrThrow();
  expect(state.last_action).toBe('create');

  await rehire.up(db);
  expect(await actionChecks()).toEqual([expect.stringContaining("'rehire'")]);
});
