import { sql } from 'kysely';
import { fromKysely, type PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { Actor } from '@/lib/auth/actor';
import { getEnv } from '@/lib/env';
import { AppError, isUniqueViolation } from '@/lib/errors';
import { deliverQueues, syncRunQueue } from '@/lib/queue/queues';
import { enqueueDeliveries } from './enqueue';
import { getLogger } from '@/lib/logger';
import {
  finishedAnswer,
  hasFinishedAnswer,
  isDue,
  keepFinishedAnswer,
  refreshFinishedAnswer,
} from './finished-answers';
import { RETRYING_LIMIT, liveStateTag, sourceLiveState, toRetrying } from './live-state';

import { addBaseCounts, type Counts, progressTotal, settleRunIn, sumCounts } from './progress';
import {
  findActiveRunForPosting,
  findRunFailures,
  findRunHead,
  findRunProgress,
  findRunRetrying,
  insertRunUnlessActive,
  lockRun,
} from './repository';
import {
  type RunStatus,
  type SourceProgress,
  type StartSyncInput,
  type StartSyncResult,
  logUrl,
  statusUrl,
} from './schemas';

const ERROR_LIMIT = 200;

function triggerFor(actor: Actor, explicit?: 'schedule'): 'manual' | 'schedule' | 'api' {
  if (explicit) return explicit;
  return actor.kind === 'user' && actor.via === 'token' ? 'api' : 'manual';
}

/**
 * Records a sync run and enqueues its one fan-out job in the same transaction. A second request
 * while the posting has a pending or running run gets that run back (`deduplicated: true`).
 */
export async function startSync(
  db: Database,
  boss: PgBoss,
  actor: Actor,
  input: { slug: string; trigger?: 'schedule'; scheduleId?: string } & StartSyncInput,
): Promise<StartSyncResult> {
  const job = await db
    .selectFrom('job_postings')
    .select(['id', 'slug', 'title'])
    .where('slug', '=', input.slug)
    .executeTakeFirst();
  if (!job) throw new AppError('job_not_found', `no job posting with slug "${input.slug}"`);

  const active = await findActiveRunForPosting(db, job.id);
  if (active)
    return { task_id: active.id, status: active.status, status_url: statusUrl(active.id), deduplicated: true };

  let sourceQuery = db
    .selectFrom('sources')
    .select(['id'])
    .where('deleted_at', 'is', null)
    .where('is_active', '=', true);
  if (input.source_ids) {
    const known = await db
      .selectFrom('sources')
      .select(['id'])
      .where('id', 'in', input.source_ids)
      .where('deleted_at', 'is', null)
      .execute();
    const unknown = input.source_ids.filter((id) => !known.some((k) => k.id === id));
    if (unknown.length) {
      throw new AppError(
        'validation_failed',
        `unknown source ids: ${unknown.join(', ')}`,
        unknown.map((id) => ({ path: 'source_ids', message: `unknown source ${id}` })),
      );
    }
    sourceQuery = sourceQuery.where('id', 'in', input.source_ids);
  }
  const sources = await sourceQuery.execute();
  if (sources.length === 0) throw new AppError('no_active_sources', 'there is no active source to sync to');

  const hiredQuery = db.selectFrom('candidates').where('job_posting_id', '=', job.id).where('stage', '=', 'hired');
  let hiredCount: number;
  if (input.candidate_ids) {
    const hired = await hiredQuery.select(['id']).where('id', 'in', input.candidate_ids).execute();
    hiredCount = hired.length;
    const hiredIds = new Set(hired.map((h) => h.id));
    const notHired = input.candidate_ids.filter((id) => !hiredIds.has(id));
    if (notHired.length) {
      throw new AppError(
        'validation_failed',
        `${notHired.length} of the candidate ids are not hired candidates of this posting`,
        notHired
          .slice(0, 50)
          .map((id) => ({ path: 'candidate_ids', message: `${id} is not a hired candidate of this posting` })),
      );
    }
  } else {
    // Only the number is needed (the fan-out reads the ids): a posting may have thousands.
    const { n } = await hiredQuery.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    hiredCount = Number(n);
  }
  if (hiredCount === 0) throw new AppError('no_hired_candidates', 'this posting has no hired candidates to sync');

  return db.transaction().execute(async (trx) => {
    const run = await insertRunUnlessActive(trx, {
      job_posting_id: job.id,
      trigger: triggerFor(actor, input.trigger),
      requested_by: actor.kind === 'user' ? actor.id : null,
      schedule_id: input.scheduleId ?? null,
      source_ids: input.source_ids ?? null,
      candidate_ids: input.candidate_ids ?? null,
      force: input.force,
    });
    if (!run) {
      const existing = await findActiveRunForPosting(trx, job.id);
      if (!existing) throw new AppError('conflict', 'a sync of this posting just finished; try again');
      return { task_id: existing.id, status: existing.status, status_url: statusUrl(existing.id), deduplicated: true };
    }
    await boss.send(syncRunQueue.name, { runId: run.id }, { db: fromKysely(trx) });
    await recordAuditEvent(trx, {
      actor,
      action: 'sync.started',
      targetType: 'sync_run',
      targetId: run.id,
      details: {
        job: job.slug,
        trigger: run.trigger,
        force: run.force,
        sources: sources.length,
        candidates: hiredCount,
      },
    });
    return { task_id: run.id, status: run.status, status_url: statusUrl(run.id), deduplicated: false };
  });
}

/**
 * Changes whenever the run (version), any of its counts, or what its sources wait for (`live`,
 * liveStateTag: retries and Retry-After pauses) changes.
 */
export const runEtag = (run: { id: string; version: number }, c: Counts, live = '') =>
  `W/"${run.id}.${run.version}.${c.succeeded}.${c.failed}.${c.skipped}.${c.cancelled}${live ? `.${live}` : ''}"`;

function sourceStatus(s: Counts, runStatus: RunStatus['status']): SourceProgress['status'] {
  const open = s.total - s.succeeded - s.failed - s.skipped - s.cancelled;
  if (open > 0 && (runStatus === 'pending' || runStatus === 'running')) return runStatus;
  if (s.cancelled > 0 && s.failed === 0) return 'cancelled';
  if (s.failed === 0) return 'completed';
  if (s.succeeded + s.skipped === 0) return 'failed';
  return 'partially_failed';
}

/**
 * The task status. One indexed read gives the run, its live counts and what its sources wait for
 * (and so the ETag): an unchanged poll is answered 304 from that; otherwise the failures and the
 * deliveries waiting for a retry are read too, when there are any.
 */
export async function getRunStatus(
  db: Database,
  taskId: string,
  ifNoneMatch: string | null,
): Promise<{ notModified: true; etag: string } | { notModified: false; etag: string; body: RunStatus }> {
  if (hasFinishedAnswer(taskId)) {
    const kept = finishedAnswer(taskId, await findRunHead(db, taskId));
    if (kept) {
      if (isDue(kept)) {
        refreshFinishedAnswer(
          taskId,
          () => buildRunStatus(db, taskId, null),
          (err) => getLogger().warn({ err, taskId }, 'could not build a finished run status again'),
        );
      }
      if (ifNoneMatch?.split(',').some((t) => t.trim() === kept.etag)) return { notModified: true, etag: kept.etag };
      return { notModified: false, etag: kept.etag, body: kept.body };
    }
  }
  return buildRunStatus(db, taskId, ifNoneMatch);
}

/** The status answer read from the progress rows (getRunStatus without the kept answers). */
async function buildRunStatus(
  db: Database,
  taskId: string,
  ifNoneMatch: string | null,
): Promise<{ notModified: true; etag: string } | { notModified: false; etag: string; body: RunStatus }> {
  const run = await findRunProgress(db, taskId);
  if (!run) throw new AppError('task_not_found', 'no sync task with this id');
  const counts = sumCounts(run.sources);
  const etag = runEtag(run, counts, liveStateTag(run.waiting, run.pauses));
  if (ifNoneMatch?.split(',').some((t) => t.trim() === etag)) return { notModified: true, etag };
  const waitingRetry = run.waiting.reduce((n, w) => n + w.waiting, 0);
  const [errors, retrying] = await Promise.all([
    counts.failed > 0 ? findRunFailures(db, run.id, ERROR_LIMIT) : [],
    waitingRetry > 0 ? findRunRetrying(db, run.id, RETRYING_LIMIT) : [],
  ]);
  const processed = counts.succeeded + counts.failed + counts.skipped + counts.cancelled;
  const sources: SourceProgress[] = run.sources.map((s) => ({
    source_id: s.source_id,
    name: s.name,
    status: sourceStatus(s, run.status),
    total: s.total,
    succeeded: s.succeeded,
    failed: s.failed,
    skipped: s.skipped,
    cancelled: s.cancelled,
    ...sourceLiveState(
      s.source_id,
      s.max_attempts,
      run.waiting,
      run.pauses,
      s.total - s.succeeded - s.failed - s.skipped - s.cancelled,
    ),
  }));
  const body: RunStatus = {
    task_id: run.id,
    status: run.status,
    job: { slug: run.job_slug, title: run.job_title },
    trigger: run.trigger,
    requested_by: run.requested_by ? { id: run.requested_by, name: run.requester_name ?? '' } : null,
    force: run.force,
    created_at: run.created_at.toISOString(),
    started_at: run.started_at?.toISOString() ?? null,
    finished_at: run.finished_at?.toISOString() ?? null,
    progress: {
      total: run.total,
      processed,
      succeeded: counts.succeeded,
      failed: counts.failed,
      skipped: counts.skipped,
      cancelled: counts.cancelled,
      percent: run.total === 0 ? (run.finished_at ? 100 : 0) : Math.min(100, Math.floor((processed / run.total) * 100)),
      waiting_retry: waitingRetry,
      paused: sources.reduce((n, s) => n + s.paused, 0),
    },
    sources,
    errors: errors.map((e) => ({
      candidate_id: e.candidate_id,
      candidate_name: `${e.first_name} ${e.last_name}`,
      source_id: e.source_id,
      source_name: e.source_name,
      code: e.error_code,
      message: e.error_message,
      http_status: e.http_status,
      attempts: e.attempts,
    })),
    retrying: toRetrying(retrying),
    error_summary: run.error_summary,
    log_url: logUrl(run.id),
  };
  const { status, version, succeeded, failed, skipped, cancelled } = run;
  keepFinishedAnswer(run.id, { status, version, succeeded, failed, skipped, cancelled }, etag, body);
  return { notModified: false, etag, body };
}

/** Puts only the failed deliveries of a finished run back in the queue, with fresh attempts. */
export async function retryFailed(
  db: Database,
  boss: PgBoss,
  actor: Actor,
  taskId: string,
): Promise<StartSyncResult & { retried: number }> {
  try {
    return await db.transaction().execute(async (trx) => {
      const run = await lockRun(trx, taskId);
      if (!run) throw new AppError('task_not_found', 'no sync task with this id');
      if (run.status !== 'partially_failed' && run.status !== 'failed') {
        throw new AppError(
          'invalid_state',
          `only a finished run with failures can be retried; this one is ${run.status}`,
        );
      }
      const reset = await trx
        .updateTable('sync_deliveries')
        .set({ status: 'pending', attempts: 0, next_attempt_at: null, locked_by: null, updated_at: new Date() })
        .where('run_id', '=', run.id)
        .where('status', '=', 'failed')
        .returning(['id', 'source_id'])
        .execute();
      if (reset.length === 0) throw new AppError('invalid_state', 'this run has no failed deliveries to retry');
      await addBaseCounts(trx, run.id, countBySource(reset, 'failed', -1));
      await trx
        .updateTable('sync_runs')
        .set({ status: 'running', finished_at: null, error_summary: null })
        .where('id', '=', run.id)
        .execute();
      await settleRunIn(trx, run.id, { touch: true });
      await enqueueDeliveries(trx, deliverQueues(boss, getEnv()), run.id, reset);
      await recordAuditEvent(trx, {
        actor,
        action: 'sync.retried',
        targetType: 'sync_run',
        targetId: run.id,
        details: { deliveries: reset.length },
      });
      return {
        task_id: run.id,
        status: 'running',
        status_url: statusUrl(run.id),
        deduplicated: false,
        retried: reset.length,
      };
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('conflict', 'another sync of this posting is running; retry when it has finished');
    throw err;
  }
}

/** Stops a pending or running run: deliveries not yet sent become cancelled; sends in flight finish. */
export async function cancelRun(
  db: Database,
  actor: Actor,
  taskId: string,
): Promise<{ task_id: string; status: 'cancelled'; cancelled: number }> {
  return db.transaction().execute(async (trx) => {
    const run = await lockRun(trx, taskId);
    if (!run) throw new AppError('task_not_found', 'no sync task with this id');
    if (run.status !== 'pending' && run.status !== 'running') {
      throw new AppError('invalid_state', `only a pending or running run can be cancelled; this one is ${run.status}`);
    }
    const cancelled = await trx
      .updateTable('sync_deliveries')
      .set({
        status: 'cancelled',
        error_code: 'cancelled',
        error_message: 'cancelled before it was sent',
        updated_at: new Date(),
      })
      .where('run_id', '=', run.id)
      .where('status', '=', 'pending')
      // Deliveries a worker is sending now finish and are recorded; a lease that ran out (its
      // worker died) is cancelled with the rest, and a late answer from that worker records nothing.
      .where((eb) => eb.or([eb('held_until', 'is', null), eb('held_until', '<', sql<Date>`now()`)]))
      .returning(['source_id'])
      .execute();
    const n = cancelled.length;
    await addBaseCounts(trx, run.id, countBySource(cancelled, 'cancelled', 1));
    await trx
      .updateTable('sync_runs')
      .set({
        status: 'cancelled',
        finished_at: new Date(),
        // Cancelled during the fan-out: the total is what was fanned out, not what was expected.
        ...(run.expanded_at
          ? {}
          : {
              total: progressTotal(run.id),
              expand_cursor: null,
            }),
      })
      .where('id', '=', run.id)
      .execute();
    await settleRunIn(trx, run.id, { touch: true });
    await recordAuditEvent(trx, {
      actor,
      action: 'sync.cancelled',
      targetType: 'sync_run',
      targetId: run.id,
      details: { cancelled: n },
    });
    return { task_id: run.id, status: 'cancelled' as const, cancelled: n };
  });
}

function countBySource(rows: { source_id: string }[], field: 'failed' | 'cancelled', sign: 1 | -1) {
  const bySource = new Map<string, number>();
  for (const r of rows) bySource.set(r.source_id, (bySource.get(r.source_id) ?? 0) + 1);
  return [...bySource].map(([sourceId, n]) => ({ sourceId, [field]: sign * n }));
}
