import type { Transaction } from 'kysely';
import { fromKysely, type PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Database } from '@/db/client';
import type { DB, SyncSchedule } from '@/db/types';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { type Actor, isAdmin, requireAdminReader, systemActor } from '@/lib/auth/actor';
import { getEnv } from '@/lib/env';
import { AppError, isAppError, isUniqueViolation } from '@/lib/errors';
import { findJobBySlug } from '@/lib/recruiting/repository';
import { findSourceRowsByIds } from '@/lib/sources/repository';
import { startSync } from '@/lib/sync/service';
import { SCHEDULE_QUEUE, missedPolicy, scheduleQueueOptions } from './jobs';
import {
  type ScheduleRow,
  deleteScheduleRow,
  findRecentRunsBySchedule,
  findScheduleRow,
  insertScheduleRow,
  listEnabledScheduleRows,
  listOpenPostingSlugsWithHired,
  listScheduleRows,
  lockScheduleRow,
  recordScheduleRun,
  updateScheduleRow,
} from './repository';
import {
  type CreateScheduleInput,
  NEXT_RUN_COUNT,
  type PublicSchedule,
  type SchedulePreview,
  type UpdateScheduleInput,
  cronSchema,
  scopeIssue,
  timeZoneSchema,
} from './schemas';

type Db = Database | Transaction<DB>;

const RECENT_RUNS = 5;
const ERROR_TEXT_LIMIT = 1000;

function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError('forbidden', 'only admins can manage schedules');
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', `${path}: ${message}`, [{ path, message }]);
}

/**
 * The next occurrences, computed by pg-boss itself so that what the page promises is what the
 * cron pass will do; an expression or zone it cannot evaluate is a 422 on the field at fault.
 */
function nextRuns(boss: PgBoss, cron: string, timezone: string, count = NEXT_RUN_COUNT): Date[] {
  try {
    return boss.previewSchedule(cron, { tz: timezone, count });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/time ?zone/i.test(message)) throw invalid('timezone', message);
    throw invalid('cron', `is not a valid cron expression (${message.charAt(0).toLowerCase()}${message.slice(1)})`);
  }
}

const previewInputSchema = z.object({ cron: cronSchema, timezone: timeZoneSchema });

/** The next run times of a cron expression in a time zone, for the form's live preview. */
export function previewSchedule(boss: PgBoss, input: { cron: string; tz?: string }): SchedulePreview {
  const parsed = previewInputSchema.safeParse({ cron: input.cron, timezone: input.tz || 'UTC' });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError('validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  }
  const { cron, timezone } = parsed.data;
  return { cron, timezone, next_runs: nextRuns(boss, cron, timezone).map((d) => d.toISOString()) };
}

const queuesCreated = new WeakSet<PgBoss>();

/** pg-boss refuses a schedule for a queue that does not exist; whichever process comes first creates it. */
async function ensureScheduleQueue(boss: PgBoss): Promise<void> {
  if (queuesCreated.has(boss)) return;
  await boss.createQueue(SCHEDULE_QUEUE, scheduleQueueOptions(getEnv()));
  queuesCreated.add(boss);
}

/** Mirrors our row into pg-boss inside the caller's transaction: both change together or neither does. */
async function registerWithBoss(trx: Transaction<DB>, boss: PgBoss, row: SyncSchedule): Promise<void> {
  const db = fromKysely(trx);
  if (!row.is_enabled) return boss.unschedule(SCHEDULE_QUEUE, row.id, { db });
  await boss.schedule(
    SCHEDULE_QUEUE,
    row.cron,
    { scheduleId: row.id },
    { tz: row.timezone, key: row.id, missed: missedPolicy(getEnv()), db },
  );
}

async function resolvePostingId(db: Db, slug: string): Promise<string> {
  const job = await findJobBySlug(db, slug);
  if (!job) throw invalid('job_slug', `no job posting with slug "${slug}"`);
  return job.id;
}

async function checkSources(db: Db, ids: string[]): Promise<void> {
  const known = new Set((await findSourceRowsByIds(db, ids)).filter((s) => !s.deleted_at).map((s) => s.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) throw invalid('source_ids', `unknown source ${unknown.join(', ')}`);
}

async function toPublicSchedules(db: Db, boss: PgBoss, rows: ScheduleRow[]): Promise<PublicSchedule[]> {
  const sourceIds = [...new Set(rows.flatMap((r) => r.source_ids ?? []))];
  const sources = new Map((await findSourceRowsByIds(db, sourceIds)).map((s) => [s.id, s]));
  const runs = await findRecentRunsBySchedule(
    db,
    rows.map((r) => r.id),
    RECENT_RUNS,
  );
  return rows.map((r) => {
    let next: string[] = [];
    if (r.is_enabled) {
      try {
        next = nextRuns(boss, r.cron, r.timezone).map((d) => d.toISOString());
      } catch {
        // Validated when saved; a runtime that no longer knows the zone shows no next runs rather than failing the list.
      }
    }
    return {
      id: r.id,
      name: r.name,
      cron: r.cron,
      timezone: r.timezone,
      scope: r.scope,
      job:
        r.job_posting_id && r.job_slug
          ? { id: r.job_posting_id, slug: r.job_slug, title: r.job_title ?? r.job_slug, status: r.job_status ?? 'open' }
          : null,
      source_ids: r.source_ids,
      sources: (r.source_ids ?? []).map((id) => {
        const s = sources.get(id);
        return { id, name: s?.name ?? 'Unknown source', is_active: !!s?.is_active, deleted: !s || !!s.deleted_at };
      }),
      force: r.force,
      is_enabled: r.is_enabled,
      created_by: r.created_by ? { id: r.created_by, name: r.creator_name ?? '' } : null,
      created_at: r.created_at.toISOString(),
      updated_at: r.updated_at.toISOString(),
      last_run_at: r.last_run_at?.toISOString() ?? null,
      last_error: r.last_error,
      next_runs: next,
      recent_runs: runs
        .filter((run) => run.schedule_id === r.id)
        .map((run) => ({
          task_id: run.id,
          job: { slug: run.job_slug, title: run.job_title },
          status: run.status,
          created_at: run.created_at.toISOString(),
        })),
    };
  });
}

export async function listSchedules(db: Database, boss: PgBoss, actor: Actor): Promise<PublicSchedule[]> {
  requireAdminReader(actor, 'schedules');
  return toPublicSchedules(db, boss, await listScheduleRows(db));
}

export async function getScheduleOrThrow(
  db: Database,
  boss: PgBoss,
  actor: Actor,
  id: string,
): Promise<PublicSchedule> {
  requireAdminReader(actor, 'schedules');
  const row = await findScheduleRow(db, id);
  if (!row) throw new AppError('schedule_not_found', 'schedule not found');
  const [schedule] = await toPublicSchedules(db, boss, [row]);
  return schedule;
}

function nameTaken(err: unknown, name: string | undefined): unknown {
  return isUniqueViolation(err, 'sync_schedules_name_key')
    ? new AppError('name_taken', `a schedule named "${name}" already exists`)
    : err;
}

export async function createSchedule(
  db: Database,
  boss: PgBoss,
  actor: Actor,
  input: CreateScheduleInput,
): Promise<PublicSchedule> {
  requireAdmin(actor);
  nextRuns(boss, input.cron, input.timezone);
  await ensureScheduleQueue(boss);
  let id: string;
  try {
    id = await db.transaction().execute(async (trx) => {
      const jobPostingId = input.scope === 'posting' ? await resolvePostingId(trx, input.job_slug ?? '') : null;
      if (input.source_ids) await checkSources(trx, input.source_ids);
      const row = await insertScheduleRow(trx, {
        name: input.name,
        cron: input.cron,
        timezone: input.timezone,
        scope: input.scope,
        job_posting_id: jobPostingId,
        source_ids: input.source_ids,
        force: input.force,
        is_enabled: input.is_enabled,
        created_by: actor.kind === 'user' ? actor.id : null,
      });
      await registerWithBoss(trx, boss, row);
      await recordAuditEvent(trx, {
        actor,
        action: 'schedule.created',
        targetType: 'schedule',
        targetId: row.id,
        details: {
          name: row.name,
          cron: row.cron,
          timezone: row.timezone,
          scope: row.scope,
          ...(input.job_slug ? { job: input.job_slug } : {}),
          sources: row.source_ids ?? 'all active',
          force: row.force,
          enabled: row.is_enabled,
        },
      });
      return row.id;
    });
  } catch (err) {
    throw nameTaken(err, input.name);
  }
  return getScheduleOrThrow(db, boss, actor, id);
}

export async function updateSchedule(
  db: Database,
  boss: PgBoss,
  actor: Actor,
  id: string,
  input: UpdateScheduleInput,
): Promise<PublicSchedule> {
  requireAdmin(actor);
  await ensureScheduleQueue(boss);
  try {
    await db.transaction().execute(async (trx) => {
      const before = await lockScheduleRow(trx, id);
      if (!before) throw new AppError('schedule_not_found', 'schedule not found');
      const scope = input.scope ?? before.scope;
      // Keeping the posting is implied when only other fields change; switching to one posting names it.
      const keepsPosting = input.job_slug === undefined && scope === 'posting' && before.job_posting_id !== null;
      const issue = keepsPosting ? null : scopeIssue({ scope, job_slug: input.job_slug ?? null });
      if (issue) throw invalid(issue.path, issue.message);
      const cron = input.cron ?? before.cron;
      const timezone = input.timezone ?? before.timezone;
      if (input.cron !== undefined || input.timezone !== undefined) nextRuns(boss, cron, timezone);
      let jobPostingId: string | null = null;
      if (scope === 'posting')
        jobPostingId = keepsPosting ? before.job_posting_id : await resolvePostingId(trx, input.job_slug ?? '');
      if (input.source_ids) await checkSources(trx, input.source_ids);
      const row = await updateScheduleRow(trx, id, {
        name: input.name,
        cron,
        timezone,
        scope,
        job_posting_id: jobPostingId,
        source_ids: input.source_ids,
        force: input.force,
        is_enabled: input.is_enabled,
      });
      if (!row) throw new AppError('schedule_not_found', 'schedule not found');
      await registerWithBoss(trx, boss, row);
      const action =
        row.is_enabled !== before.is_enabled
          ? row.is_enabled
            ? 'schedule.enabled'
            : 'schedule.disabled'
          : 'schedule.updated';
      await recordAuditEvent(trx, {
        actor,
        action,
        targetType: 'schedule',
        targetId: id,
        details: { name: row.name, changes: input },
      });
    });
  } catch (err) {
    throw nameTaken(err, input.name);
  }
  return getScheduleOrThrow(db, boss, actor, id);
}

export async function deleteSchedule(
  db: Database,
  boss: PgBoss,
  actor: Actor,
  id: string,
): Promise<{ id: string; deleted: true }> {
  requireAdmin(actor);
  return db.transaction().execute(async (trx) => {
    const row = await deleteScheduleRow(trx, id);
    if (!row) throw new AppError('schedule_not_found', 'schedule not found');
    await boss.unschedule(SCHEDULE_QUEUE, id, { db: fromKysely(trx) });
    await recordAuditEvent(trx, {
      actor,
      action: 'schedule.deleted',
      targetType: 'schedule',
      targetId: id,
      details: { name: row.name, cron: row.cron, timezone: row.timezone },
    });
    return { id, deleted: true as const };
  });
}

export type ScheduledSyncOutcome = {
  status: 'ran' | 'skipped';
  reason?: string;
  started: string[];
  deduplicated: string[];
  nothing_to_sync: string[];
  errors: string[];
};

function summarizeErrors(errors: string[]): string | null {
  if (errors.length === 0) return null;
  const shown = errors.slice(0, 3).join('; ');
  const text = errors.length > 3 ? `${shown} (and ${errors.length - 3} more)` : shown;
  return text.slice(0, ERROR_TEXT_LIMIT);
}

/**
 * One occurrence of a schedule: a sync of its posting, or of every open posting with hired
 * candidates, by the scheduler. A posting already syncing is deduplicated by startSync; one with
 * nobody hired is skipped quietly. The outcome is kept on the schedule as last_run_at/last_error.
 */
export async function runScheduledSync(
  deps: { db: Database; boss: PgBoss; log: Logger },
  scheduleId: string,
): Promise<ScheduledSyncOutcome> {
  const { db, boss, log } = deps;
  const outcome: ScheduledSyncOutcome = {
    status: 'ran',
    started: [],
    deduplicated: [],
    nothing_to_sync: [],
    errors: [],
  };
  const schedule = await findScheduleRow(db, scheduleId);
  if (!schedule?.is_enabled) {
    // pg-boss still has a row our table no longer backs (deleted or disabled outside the service): stop it firing.
    await boss.unschedule(SCHEDULE_QUEUE, scheduleId);
    return { ...outcome, status: 'skipped', reason: schedule ? 'disabled' : 'deleted' };
  }

  let sourceIds = schedule.source_ids ?? undefined;
  if (sourceIds) {
    // A chosen source deleted since is dropped rather than failing the whole schedule.
    const existing = (await findSourceRowsByIds(db, sourceIds)).filter((s) => !s.deleted_at).map((s) => s.id);
    sourceIds = existing.length ? existing : undefined;
    if (!sourceIds) outcome.errors.push('none of the chosen sources exists any more');
  }
  const slugs = outcome.errors.length
    ? []
    : schedule.scope === 'posting'
      ? [schedule.job_slug].filter((s): s is string => !!s)
      : await listOpenPostingSlugsWithHired(db);

  const actor = systemActor('scheduler');
  try {
    for (const slug of slugs) {
      try {
        const result = await startSync(db, boss, actor, {
          slug,
          trigger: 'schedule',
          scheduleId,
          source_ids: sourceIds,
          force: schedule.force,
        });
        (result.deduplicated ? outcome.deduplicated : outcome.started).push(result.task_id);
      } catch (err) {
        if (!isAppError(err)) throw err;
        if (err.code === 'no_hired_candidates') outcome.nothing_to_sync.push(slug);
        else outcome.errors.push(`${slug}: ${err.message}`);
      }
    }
  } catch (err) {
    // Infrastructure trouble: record it, then let pg-boss retry the occurrence.
    await recordScheduleRun(db, scheduleId, { error: summarizeErrors([...outcome.errors, String(err)]) }).catch(
      () => {},
    );
    throw err;
  }
  await recordScheduleRun(db, scheduleId, { error: summarizeErrors(outcome.errors) });
  log.info({ scheduleId, ...outcome }, 'scheduled sync ran');
  return outcome;
}

/**
 * Makes pg-boss's schedules match our table, on worker start: every enabled schedule registered
 * (with the current missed-run policy), anything else under our queue removed.
 */
export async function reconcileSchedules(
  db: Database,
  boss: PgBoss,
  log: Logger,
): Promise<{ registered: number; removed: number }> {
  await ensureScheduleQueue(boss);
  const enabled = await listEnabledScheduleRows(db);
  const ids = new Set<string>();
  for (const row of enabled) {
    try {
      await boss.schedule(
        SCHEDULE_QUEUE,
        row.cron,
        { scheduleId: row.id },
        { tz: row.timezone, key: row.id, missed: missedPolicy(getEnv()) },
      );
      ids.add(row.id);
    } catch (err) {
      log.error({ err, scheduleId: row.id }, 'could not register a schedule with pg-boss');
    }
  }
  let removed = 0;
  for (const registered of await boss.getSchedules(SCHEDULE_QUEUE, undefined, { limit: 100_000 })) {
    if (ids.has(registered.key)) continue;
    // Read again: a schedule created since the list above was read is registered and must stay.
    const row = await findScheduleRow(db, registered.key).catch(() => undefined);
    if (row?.is_enabled) continue;
    await boss.unschedule(SCHEDULE_QUEUE, registered.key);
    removed += 1;
  }
  return { registered: ids.size, removed };
}
