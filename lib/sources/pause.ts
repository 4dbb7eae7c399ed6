import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { Database } from '@/db/client';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { Actor } from '@/lib/auth/actor';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { deliverQueues } from '@/lib/queue/queues';
import { enqueueByRun } from '@/lib/sync/enqueue';
import { holdSource, liftSourceHold } from '@/lib/sync/limits-repository';
import { findSourcePauseStates } from './pause-repository';
import type { SourcePauseState, TestResult } from './schemas';
import { requireSourceAdmin as requireAdmin, testSource } from './service';

/**
 * Pausing a source by hand (issue 21): its deliveries wait, nothing is sent to it and nothing is
 * counted as an attempt, until it is resumed. The pause is a row of source_pauses with no end, so
 * the claim has one notion of "paused" (see holdSource).
 */

export const pauseSourceSchema = z.strictObject({
  reason: z.string().trim().min(1, 'must not be empty').max(500).optional(),
});
export type PauseSourceInput = z.infer<typeof pauseSourceSchema>;

export type PauseAnswer = {
  source_id: string;
  /** false: the source was already in the state asked for (the call changed nothing). */
  changed: boolean;
  pause: SourcePauseState | null;
  /** On resume: the pending deliveries sent to the queue at once. */
  enqueued?: number;
};

const DEFAULT_REASON = 'paused by an admin';

async function lockSourceOrThrow(db: Database, id: string): Promise<{ id: string; name: string }> {
  const row = await db
    .selectFrom('sources')
    .select(['id', 'name'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forNoKeyUpdate()
    .executeTakeFirst();
  if (!row) throw new AppError('source_not_found', 'source not found');
  return row;
}

/**
 * Pauses the source until resumed. Pausing a source already paused with no end changes nothing
 * and answers its pause (200, `changed: false`): a repeated request is not an error.
 */
export async function pauseSourceByAdmin(
  db: Database,
  actor: Actor,
  id: string,
  input: PauseSourceInput,
): Promise<PauseAnswer> {
  requireAdmin(actor);
  return db.transaction().execute(async (trx) => {
    const source = await lockSourceOrThrow(trx, id);
    const reason = input.reason ?? DEFAULT_REASON;
    const changed = await holdSource(trx, id, {
      kind: 'admin',
      reason,
      pausedBy: actor.kind === 'user' ? actor.id : null,
    });
    if (changed) {
      await recordAuditEvent(trx, {
        actor,
        action: 'source.paused',
        targetType: 'source',
        targetId: id,
        details: { name: source.name, reason },
      });
    }
    const pause = (await findSourcePauseStates(trx, [id])).get(id) ?? null;
    return { source_id: id, changed, pause };
  });
}

/**
 * Ends the source's pause with no end and enqueues its pending deliveries at once (not at the
 * sweeper's next look). A source not paused so answers as it is (200, `changed: false`); a
 * Retry-After pause in force stays, as its target asked for it.
 */
export async function resumeSource(
  db: Database,
  boss: PgBoss,
  actor: Actor,
  id: string,
  cause: 'admin' | 'connection_test' = 'admin',
): Promise<PauseAnswer> {
  requireAdmin(actor);
  return db.transaction().execute(async (trx) => {
    const source = await lockSourceOrThrow(trx, id);
    const lifted = await liftSourceHold(trx, id, cause === 'admin' ? ['admin', 'auth_failed'] : ['auth_failed']);
    let enqueued = 0;
    if (lifted) {
      const pending = await trx
        .selectFrom('sync_deliveries as d')
        .innerJoin('sync_runs as r', 'r.id', 'd.run_id')
        .select(['d.id', 'd.run_id', 'd.source_id'])
        .where('d.source_id', '=', id)
        .where('d.status', '=', 'pending')
        .where('d.held_until', 'is', null)
        .where('r.status', '=', 'running')
        .execute();
      await enqueueByRun(trx, deliverQueues(boss, getEnv()), pending);
      enqueued = pending.length;
      await recordAuditEvent(trx, {
        actor,
        action: 'source.resumed',
        targetType: 'source',
        targetId: id,
        details: { name: source.name, was: lifted.kind, reason: lifted.reason, enqueued, by: cause },
      });
    }
    const pause = (await findSourcePauseStates(trx, [id])).get(id) ?? null;
    return { source_id: id, changed: !!lifted, pause, enqueued };
  });
}

/**
 * The connection test; when it succeeds, a pause for refused credentials is lifted (the
 * credentials work now) and the answer says `resumed: true`. An admin's own pause stays: only a
 * resume ends it.
 */
export async function testSourceAndResume(
  db: Database,
  boss: () => Promise<PgBoss>,
  actor: Actor,
  id: string,
): Promise<TestResult> {
  const result = await testSource(db, actor, id);
  if (!result.ok) return result;
  const paused = (await findSourcePauseStates(db, [id])).get(id);
  if (paused?.kind !== 'auth_failed') return result;
  const answer = await resumeSource(db, await boss(), actor, id, 'connection_test');
  return answer.changed ? { ...result, resumed: true } : result;
}
