import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { deleteCandidate } from '@/lib/recruiting/service';
import { deleteSource } from '@/lib/sources/service';
import { findRunFailures } from '@/lib/sync/repository';
import {
  createPostingWithHired,
  createTestSource,
  setupSyncTestEnvironment,
  startSyncOf,
  waitForRunFinished,
} from '@/test/sync-harness';

const env = setupSyncTestEnvironment();

// Migration 013 took the foreign keys to sources off sync_deliveries and candidate_sync_state, and
// the one to candidates off candidate_sync_state (each check locked the referenced row for every
// delivery); migration 015 the ones to runs and candidates off sync_deliveries and
// sync_delivered_candidates. Triggers keep what those keys did, and these are the behaviours that
// rest on them (a run's deliveries going with it: lib/maintenance/retention.int.test.ts).
describe('a source that was delivered to', () => {
  it('keeps its deliveries and candidate states after it is deleted, and cannot be removed from under them', async () => {
    const posting = await createPostingWithHired(2);
    const source = await createTestSource(env.mock.url, { name: 'Payroll', sync_endpoint: '/payroll/hired' });
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    expect(run).toMatchObject({ status: 'completed', succeeded: 2 });

    await deleteSource(getDb(), systemActor('test'), source.id);

    const { rows } = await sql<{ candidate_id: string; delivery_source: string; state_source: string; name: string }>`
      select st.candidate_id, d.source_id as delivery_source, st.source_id as state_source, s.name
      from candidate_sync_state st
      join sync_deliveries d on d.id = st.last_delivery_id
      join sources s on s.id = st.source_id
      where d.run_id = ${run.id}
    `.execute(getDb());
    expect(rows).toHaveLength(2);
    for (const r of rows)
      expect(r).toMatchObject({ delivery_source: source.id, state_source: source.id, name: 'Payroll' });

    const removal = sql`delete from sources where id = ${source.id}`.execute(getDb());
    await expect(removal).rejects.toMatchObject({ code: '23503', constraint: 'sync_deliveries_source_id_fkey' });
    const still = await getDb().selectFrom('sources').select('id').where('id', '=', source.id).execute();
    expect(still).toHaveLength(1);
  });

  it('can be removed while nothing refers to it', async () => {
    const unused = await createTestSource(env.mock.url, { name: 'Unused', sync_endpoint: '/unused/hired' });
    await sql`delete from sources where id = ${unused.id}`.execute(getDb());
    const left = await getDb().selectFrom('sources').select('id').where('id', '=', unused.id).execute();
    expect(left).toHaveLength(0);
  });

  it("lists a run's failed deliveries (the partial run/status index) and nothing that succeeded", async () => {
    const posting = await createPostingWithHired(3);
    env.mock.configure({ path: '/flaky', mode: 'status', fail_status: 422 });
    const good = await createTestSource(env.mock.url, { name: 'Good', sync_endpoint: '/good/hired' });
    const bad = await createTestSource(env.mock.url, { name: 'Bad', sync_endpoint: '/flaky/hired', max_attempts: 1 });
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [good.id, bad.id]));
    expect(run).toMatchObject({ status: 'partially_failed', succeeded: 3, failed: 3 });
    const failures = await findRunFailures(getDb(), run.id, 10);
    expect(failures).toHaveLength(3);
    for (const f of failures) expect(f).toMatchObject({ source_id: bad.id, http_status: 422 });
  });

  it("a deleted candidate's deliveries and sync states go with it", async () => {
    const posting = await createPostingWithHired(2);
    const source = await createTestSource(env.mock.url, { name: 'Onboarding', sync_endpoint: '/onboarding/hired' });
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    expect(run).toMatchObject({ status: 'completed', succeeded: 2 });
    const [gone, kept] = posting.candidateIds;
    await deleteCandidate(getDb(), systemActor('test'), gone);
    const states = await getDb()
      .selectFrom('candidate_sync_state')
      .select('candidate_id')
      .where('source_id', '=', source.id)
      .execute();
    expect(states.map((s) => s.candidate_id)).toEqual([kept]);
    const deliveries = await getDb()
      .selectFrom('sync_deliveries')
      .select('candidate_id')
      .where('run_id', '=', run.id)
      .execute();
    expect(deliveries.map((d) => d.candidate_id)).toEqual([kept]);
    // Migration 015: the copy kept for the tasks list's email search goes too (a trigger, no key).
    const copies = await getDb()
      .selectFrom('sync_delivered_candidates')
      .select('candidate_id')
      .where('candidate_id', 'in', [gone, kept])
      .execute();
    expect(copies.map((c) => c.candidate_id)).toEqual([kept]);
  });
});
