import { type Transaction, sql } from 'kysely';
import { fromKysely, type PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import type { DB } from '@/db/types';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { systemActor } from '@/lib/auth/actor';
import { getEnv } from '@/lib/env';
import { syncFollowQueue, syncRunQueue } from '@/lib/queue/queues';
import { findCandidatesToFollow } from './fan-out-repository';
import { findActiveRunForPosting, insertRunUnlessActive } from './repository';

type Trx = Transaction<DB>;

/** While the posting has another run, its changes wait this long before the next look. */
const BUSY_POSTING_RETRY_SECONDS = 5;

function findAutoSourceIds(db: Database | Trx, limit?: number): Promise<{ id: string }[]> {
  let q = db
    .selectFrom('sources')
    .select('id')
    .where('sync_mode', '=', 'auto')
    .where('is_active', '=', true)
    .where('deleted_at', 'is', null)
    .orderBy('id');
  if (limit) q = q.limit(limit);
  return q.execute();
}

/**
 * Notes changed candidates of a posting (hired, edited, no longer hired) for the run that follows
 * them, in the caller's transaction: the rows and the job that will start the run commit with the
 * change or not at all, so a crash right after the commit loses nothing. Without an active `auto`
 * source nothing is written (one indexed read).
 */
export async function followCandidates(
  trx: Trx,
  boss: () => Promise<PgBoss>,
  jobPostingId: string,
  candidateIds: string[] | 'hired',
): Promise<void> {
  if (candidateIds !== 'hired' && candidateIds.length === 0) return;
  if ((await findAutoSourceIds(trx, 1)).length === 0) return;
  const ids =
    candidateIds === 'hired'
      ? sql`select id from candidates where job_posting_id = ${jobPostingId} and stage = 'hired'`
      : sql`select unnest(${candidateIds}::uuid[])`;
  await sql`
    insert into sync_follow_pending (candidate_id, job_posting_id)
    select id, ${jobPostingId}::uuid from (${ids}) as ids (id)
    on conflict (candidate_id) do update set job_posting_id = excluded.job_posting_id, queued_at = now()
  `.execute(trx);
  await sendFollowJob(await boss(), trx, jobPostingId, getEnv().SYNC_ON_HIRE_DELAY_SECONDS);
}

function sendFollowJob(boss: PgBoss, db: Database | Trx, jobPostingId: string, afterSeconds: number) {
  return boss.send(
    syncFollowQueue.name,
    { jobPostingId },
    // A job already queued for the posting takes these changes too (the queue's `short` policy).
    { db: fromKysely(db), singletonKey: jobPostingId, startAfter: afterSeconds },
  );
}

export type FollowResult = { runId: string; candidates: number } | { waiting: 'active_run' } | null;

/**
 * The run that follows a posting's noted changes: trigger `hire`, its candidates the changed ones
 * that need something sent, its sources the active `auto` ones. The fan-out decides per candidate
 * and source: create, update (content changed), withdraw (no longer hired), or skip (delivered
 * with the same content). While the posting has a pending or running run the changes stay noted
 * and the job comes back a few seconds later. Null when there is nothing to send.
 */
export async function startFollowRun(db: Database, boss: PgBoss, jobPostingId: string): Promise<FollowResult> {
  const result = await db
    .transaction()
    .execute(async (trx): Promise<FollowResult> => {
      if (await findActiveRunForPosting(trx, jobPostingId)) return { waiting: 'active_run' };
      const { rows } = await sql<{ candidate_id: string }>`
      delete from sync_follow_pending where job_posting_id = ${jobPostingId} returning candidate_id
    `.execute(trx);
      if (rows.length === 0) return null;
      const sourceIds = (await findAutoSourceIds(trx)).map((s) => s.id);
      const candidateIds = await findCandidatesToFollow(
        trx,
        jobPostingId,
        rows.map((r) => r.candidate_id),
        sourceIds,
      );
      if (candidateIds.length === 0) return null;
      const run = await insertRunUnlessActive(trx, {
        job_posting_id: jobPostingId,
        trigger: 'hire',
        requested_by: null,
        source_ids: sourceIds,
        candidate_ids: candidateIds,
        force: false,
      });
      // A run started meanwhile: roll back, so the changes stay noted for the next look.
      if (!run) throw new PostingBusy();
      await boss.send(syncRunQueue.name, { runId: run.id }, { db: fromKysely(trx) });
      await recordAuditEvent(trx, {
        actor: systemActor('sync on hire'),
        action: 'sync.started',
        targetType: 'sync_run',
        targetId: run.id,
        details: { trigger: 'hire', force: false, sources: sourceIds.length, candidates: candidateIds.length },
      });
      return { runId: run.id, candidates: candidateIds.length };
    })
    .catch((err) => {
      if (err instanceof PostingBusy) return { waiting: 'active_run' as const };
      throw err;
    });
  if (result && 'waiting' in result) await sendFollowJob(boss, db, jobPostingId, BUSY_POSTING_RETRY_SECONDS);
  return result;
}

class PostingBusy extends Error {}

/** Postings whose noted changes have waited a minute: their job was lost (the sweeper sends it again). */
export async function resendLostFollowJobs(db: Database, boss: PgBoss): Promise<number> {
  const { rows } = await sql<{ job_posting_id: string }>`
    select distinct job_posting_id from sync_follow_pending where queued_at < now() - interval '1 minute'
  `.execute(db);
  for (const r of rows) await sendFollowJob(boss, db, r.job_posting_id, 0);
  return rows.length;
}
