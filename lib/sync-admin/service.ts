import { syncRunQueue, syncSweepQueue, DELIVER_QUEUE_PREFIX } from '@/lib/queue/queues';
import type { PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import type { SyncRunStatus } from '@/db/types';
import { type Actor, isAdmin, requireAdminReader } from '@/lib/auth/actor';
import { getEnv } from '@/lib/env';
import { AppError, isAppError } from '@/lib/errors';
import { encodeCursor, isUuid } from '@/lib/recruiting/schemas';

import { RETRYING_LIMIT, sourceLiveState, toRetrying } from '@/lib/sync/live-state';
import { findRunRetrying, findRunWaiting, findRunWithJob } from '@/lib/sync/repository';
import { cancelRun, retryFailed, startSync } from '@/lib/sync/service';
import {
  countQueueJobs,
  countRuns,
  countRunsByStatus,
  type DeliveryKey,
  type DeliveryListRow,
  findDeliveryRow,
  findPostingIdBySlug,
  findPostingsByIds,
  findUserEmail,
  findRunIds,
  findRunSources,
  listAllSources,
  listDeliveryRows,
  listLiveWorkers,
  listPostingOptions,
  listRunRows,
  measureEmailFragment,
  sourceIsSparse,
  type RunFilter,
  type RunListRow,
  slowestDeliveries,
} from './repository';
import { recordUrlOf } from './record-url';
import { parseTaskSearch } from './task-search';
import {
  type BulkResult,
  type BulkTasksInput,
  type DeliveryDetail,
  type DeliveryRow,
  type FilterOptions,
  type ListDeliveriesQuery,
  type ListTasksQuery,
  MAX_BULK,
  type Page,
  type RerunResult,
  RUN_STATUSES,
  STATS_WINDOWS,
  type StatsWindow,
  type SyncReport,
  type SyncStats,
  type TaskDetail,
  type TaskRow,
  type TasksFilter,
  WINDOW_MS,
} from './schemas';
import { loadWindow, sourceStats, successRate } from './stats';

/** A worker counts as alive when its heartbeat (every 10 s) is at most this old. */
export const WORKER_ALIVE_SECONDS = 30;
const COUNT_CAP = 10_000;

function assertAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError('forbidden', 'this needs the admin role');
}

export function parseWindow(value: string | undefined): StatsWindow {
  if (value === undefined || value === '') return '24h';
  if ((STATS_WINDOWS as readonly string[]).includes(value)) return value as StatsWindow;
  throw new AppError('invalid_window', `window must be one of ${STATS_WINDOWS.join(', ')}`);
}

function queueLabel(name: string, sourceNames: Map<string, string>): { label: string; source_id: string | null } {
  if (name === syncRunQueue.name) return { label: 'Fan-out', source_id: null };
  if (name === syncSweepQueue.name) return { label: 'Sweeper', source_id: null };
  const sourceId = name.slice(DELIVER_QUEUE_PREFIX.length);
  return { label: sourceNames.get(sourceId) ?? 'Unknown source', source_id: sourceId };
}

/**
 * The dashboard's numbers for a window of 24 hours, 7 or 30 days ending now. Runs count by when
 * they were created, deliveries by when their run fanned out (queued them); success_rate is
 * succeeded / (succeeded + failed), null when nothing was sent; p50/p95 are durations of succeeded
 * deliveries (their last attempt), read from 5% bins.
 */
export async function getSyncStats(db: Database, actor: Actor, input: { window?: string }): Promise<SyncStats> {
  requireAdminReader(actor, 'sync tasks and statistics');
  const window = parseWindow(input.window);
  const [data, sources, queues, workers] = await Promise.all([
    loadWindow(db, window),
    listAllSources(db),
    countQueueJobs(db, getEnv().PGBOSS_SCHEMA),
    listLiveWorkers(db, WORKER_ALIVE_SECONDS),
  ]);
  const bySource = sourceStats(data, sources);
  const deliveries = { total: 0, succeeded: 0, failed: 0, skipped: 0, cancelled: 0, unfinished: 0 };
  for (const t of data.sources.values()) {
    deliveries.succeeded += t.succeeded;
    deliveries.failed += t.failed;
    deliveries.skipped += t.skipped;
    deliveries.cancelled += t.cancelled;
    deliveries.unfinished += t.unfinished;
  }
  deliveries.total =
    deliveries.succeeded + deliveries.failed + deliveries.skipped + deliveries.cancelled + deliveries.unfinished;
  const names = new Map(sources.map((s) => [s.id, s.name]));
  const byQueue = queues
    .map((q) => ({ ...q, ...queueLabel(q.name, names) }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const queue = { queued: 0, active: 0, retry: 0, failed: 0 };
  for (const q of byQueue) {
    queue.queued += q.queued;
    queue.active += q.active;
    queue.retry += q.retry;
    queue.failed += q.failed;
  }
  return {
    window,
    from: data.from.toISOString(),
    to: data.to.toISOString(),
    runs: data.runs,
    deliveries,
    success_rate: successRate(deliveries.succeeded, deliveries.failed),
    by_source: bySource,
    queue: { ...queue, by_queue: byQueue },
    workers: workers.map((w) => ({
      id: w.id,
      host: w.host,
      pid: w.pid,
      concurrency: w.concurrency,
      started_at: w.started_at.toISOString(),
      last_seen: w.last_seen.toISOString(),
    })),
    timeseries: [...data.hours.entries()].map(([bucket, v]) => ({ bucket, ...v })),
  };
}

const REPORT_ROWS = 20;
const POSTING_ROWS = 50;

/** The detailed statistics: per source and posting, the slowest deliveries, common errors, daily trend. */
export async function getSyncReport(db: Database, actor: Actor, input: { window?: string }): Promise<SyncReport> {
  requireAdminReader(actor, 'sync tasks and statistics');
  const window = parseWindow(input.window ?? '7d');
  const now = new Date();
  // Postings and errors come from the statistics buckets with the rest; only the slowest deliveries
  // are read from the deliveries (on their own index).
  const [data, sources, slowest] = await Promise.all([
    loadWindow(db, window, now, { detail: true }),
    listAllSources(db),
    slowestDeliveries(db, new Date(now.getTime() - WINDOW_MS[window]), now, REPORT_ROWS),
  ]);
  const jobs = new Map((await findPostingsByIds(db, [...data.postings.keys()])).map((j) => [j.id, j]));
  const postings = [...data.postings.entries()]
    .flatMap(([id, p]) => {
      const job = jobs.get(id);
      return job ? [{ ...p, id, slug: job.slug, title: job.title }] : [];
    })
    .sort((a, b) => b.runs - a.runs || a.title.localeCompare(b.title))
    .slice(0, POSTING_ROWS);
  const sourceNames = new Map(sources.map((s) => [s.id, s.name]));
  const errors = data.errors
    .map((e) => ({
      ...e,
      source_names: [...new Set(e.source_ids.map((id) => sourceNames.get(id) ?? 'Unknown source'))].sort(),
    }))
    .sort((a, b) => b.count - a.count || (a.error_code ?? '\uffff').localeCompare(b.error_code ?? '\uffff'))
    .slice(0, REPORT_ROWS);
  return {
    window,
    from: data.from.toISOString(),
    to: now.toISOString(),
    by_source: sourceStats(data, sources),
    by_posting: postings.map((p) => ({
      job: { id: p.id, slug: p.slug, title: p.title },
      runs: p.runs,
      failed_runs: p.failed_runs,
      succeeded: p.succeeded,
      failed: p.failed,
      skipped: p.skipped,
      success_rate: successRate(p.succeeded, p.failed),
      last_run_at: p.last_run_at.toISOString(),
    })),
    slowest: slowest.map((d) => ({
      delivery_id: d.id,
      task_id: d.run_id,
      candidate: { id: d.candidate_id, name: `${d.first_name} ${d.last_name}`, email: d.email },
      source: { id: d.source_id, name: d.source_name },
      status: d.status as SyncReport['slowest'][number]['status'],
      duration_ms: d.duration_ms,
      created_at: d.created_at.toISOString(),
    })),
    errors: errors.map((e) => ({
      error_code: e.error_code,
      message: e.message,
      count: e.count,
      sources: e.source_names,
      last_seen: e.last_seen.toISOString(),
      example_task_id: e.example_run_id,
    })),
    trend: [...data.days.entries()].map(([day, v]) => ({
      day,
      ...v,
      failure_rate:
        v.succeeded + v.failed === 0 ? null : Math.round((v.failed / (v.succeeded + v.failed)) * 10_000) / 10_000,
    })),
  };
}

const WALK = { manyCandidates: true, manyDeliveries: true };

/** The filter as the repository applies it; null when it can match nothing (an unknown posting). The export reads with it too. */
export async function resolveFilter(db: Database, filter: TasksFilter): Promise<RunFilter | null> {
  let jobPostingId: string | undefined;
  if (filter.posting) {
    const job = await findPostingIdBySlug(db, filter.posting);
    if (!job) return null;
    jobPostingId = job.id;
  }
  const search = filter.q ? parseTaskSearch(filter.q) : undefined;
  // Each filter whose best query depends on how much it matches is measured first, on an index and
  // no further than the threshold, so that a rare source or a narrow fragment is looked up from its
  // side and a common one walks the runs newest first.
  const [sparse, measured] = await Promise.all([
    filter.source ? sourceIsSparse(db, filter.source) : false,
    search?.kind === 'email' ? measureEmailFragment(db, search.fragment) : null,
  ]);
  return {
    status: filter.status,
    jobPostingId,
    source: filter.source ? { id: filter.source, sparse } : undefined,
    trigger: filter.trigger,
    from: filter.from,
    to: filter.to,
    search: search?.kind === 'task' ? search : search && { ...search, ...(measured ?? WALK) },
  };
}

export function toTaskRow(r: RunListRow): TaskRow {
  return {
    task_id: r.id,
    status: r.status,
    job: { id: r.job_posting_id, slug: r.job_slug, title: r.job_title },
    trigger: r.trigger,
    requested_by: r.requested_by ? { id: r.requested_by, name: r.requester_name ?? '' } : null,
    force: r.force,
    created_at: r.created_at.toISOString(),
    started_at: r.started_at?.toISOString() ?? null,
    finished_at: r.finished_at?.toISOString() ?? null,
    total: r.total,
    succeeded: r.succeeded,
    failed: r.failed,
    skipped: r.skipped,
    cancelled: r.cancelled,
    error_summary: r.error_summary,
  };
}

/** Every run, newest first, filtered; keyset pages stay fast however deep they go. */
export async function listTasks(db: Database, actor: Actor, query: ListTasksQuery): Promise<Page<TaskRow>> {
  requireAdminReader(actor, 'sync tasks and statistics');
  const filter = await resolveFilter(db, query);
  if (!filter) return { data: [], next_cursor: null };
  const rows = await listRunRows(db, filter, { limit: query.limit + 1, after: query.cursor });
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  return {
    data: page.map(toTaskRow),
    next_cursor: more && last ? encodeCursor({ ts: last.cursor_ts, id: last.id }) : null,
  };
}

/** How many runs match the filter, counted up to 10,000 (`capped` says there may be more). */
export async function countTasks(
  db: Database,
  actor: Actor,
  query: TasksFilter,
): Promise<{ count: number; capped: boolean }> {
  requireAdminReader(actor, 'sync tasks and statistics');
  const filter = await resolveFilter(db, query);
  if (!filter) return { count: 0, capped: false };
  const n = await countRuns(db, filter, COUNT_CAP + 1);
  return { count: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
}

export function parseId(value: string, what: 'task' | 'delivery'): string {
  if (!isUuid(value))
    throw new AppError(what === 'task' ? 'invalid_task_id' : 'not_found', `the ${what} id must be a UUID`);
  return value.toLowerCase();
}

export async function getTask(db: Database, actor: Actor, id: string): Promise<TaskDetail> {
  requireAdminReader(actor, 'sync tasks and statistics');
  const run = await findRunWithJob(db, parseId(id, 'task'));
  if (!run) throw new AppError('task_not_found', 'no sync task with this id');
  const [sources, requesterEmail, live, retrying] = await Promise.all([
    findRunSources(db, run.id),
    run.requested_by ? findUserEmail(db, run.requested_by) : null,
    findRunWaiting(db, run.id),
    findRunRetrying(db, run.id, RETRYING_LIMIT),
  ]);
  const unfinished = sources.reduce((n, s) => n + s.unfinished, 0);
  const withLive = sources.map(({ max_attempts, ...s }) => ({
    ...s,
    ...sourceLiveState(s.source_id, max_attempts, live.waiting, live.pauses, s.unfinished),
  }));
  return {
    ...toTaskRow({ ...run, cursor_ts: '' }),
    requested_by: run.requested_by
      ? { id: run.requested_by, name: run.requester_name ?? '', email: requesterEmail ?? '' }
      : null,
    schedule_id: run.schedule_id,
    source_ids: run.source_ids,
    candidate_count: run.candidate_ids?.length ?? null,
    unfinished,
    waiting_retry: live.waiting.reduce((n, w) => n + w.waiting, 0),
    paused: withLive.reduce((n, s) => n + s.paused, 0),
    sources: withLive,
    retrying: toRetrying(retrying),
    can_retry: (run.status === 'partially_failed' || run.status === 'failed') && run.failed > 0,
    can_cancel: run.status === 'pending' || run.status === 'running',
  };
}

function encodeKey(key: DeliveryKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeKey(value: string): DeliveryKey {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 4 && parsed.every((v) => typeof v === 'string') && isUuid(parsed[3]))
      return parsed as DeliveryKey;
  } catch {
    // fall through to the error below
  }
  throw new AppError('invalid_query', 'cursor: is not a cursor this API returned', [
    { path: 'cursor', message: 'is not a cursor this API returned' },
  ]);
}

export function toDeliveryRow(d: DeliveryListRow): DeliveryRow {
  return {
    id: d.id,
    candidate: { id: d.candidate_id, name: `${d.first_name} ${d.last_name}`, email: d.email },
    source: { id: d.source_id, name: d.source_name },
    action: d.action,
    status: d.status as DeliveryRow['status'],
    attempts: d.attempts,
    http_status: d.http_status,
    duration_ms: d.duration_ms,
    error_code: d.error_code,
    error_message: d.error_message,
    external_id: d.external_id,
    record_url: recordUrlOf(d.source_connector, d.source_settings, d.external_id),
    next_attempt_at: d.next_attempt_at?.toISOString() ?? null,
    delivered_at: d.delivered_at?.toISOString() ?? null,
    updated_at: d.updated_at.toISOString(),
  };
}

/** The deliveries of a run by source, then candidate name; filtered by status and source. */
export async function listTaskDeliveries(
  db: Database,
  actor: Actor,
  id: string,
  query: ListDeliveriesQuery,
): Promise<Page<DeliveryRow>> {
  requireAdminReader(actor, 'sync tasks and statistics');
  const runId = parseId(id, 'task');
  const run = await findRunWithJob(db, runId);
  if (!run) throw new AppError('task_not_found', 'no sync task with this id');
  const rows = await listDeliveryRows(db, runId, {
    status: query.status,
    sourceId: query.source,
    limit: query.limit + 1,
    after: query.cursor ? decodeKey(query.cursor) : undefined,
  });
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  return {
    data: page.map(toDeliveryRow),
    next_cursor: more && last ? encodeKey([last.source_name, last.last_name, last.first_name, last.id]) : null,
  };
}

/** One delivery with what was sent (secrets were redacted by the engine before storing) and answered. */
export async function getTaskDelivery(
  db: Database,
  actor: Actor,
  id: string,
  deliveryId: string,
): Promise<DeliveryDetail> {
  requireAdminReader(actor, 'sync tasks and statistics');
  const d = await findDeliveryRow(db, parseId(id, 'task'), parseId(deliveryId, 'delivery'));
  if (!d) throw new AppError('not_found', 'no delivery with this id in this task');
  return {
    ...toDeliveryRow(d),
    task_id: d.run_id,
    request: (d.request_excerpt as DeliveryDetail['request']) ?? null,
    response_excerpt: d.response_excerpt,
    idempotency_key: d.idempotency_key,
    started_at: d.started_at?.toISOString() ?? null,
    created_at: d.created_at.toISOString(),
  };
}

export async function retryTask(db: Database, boss: PgBoss, actor: Actor, id: string) {
  assertAdmin(actor);
  return retryFailed(db, boss, actor, parseId(id, 'task'));
}

export async function cancelTask(db: Database, actor: Actor, id: string) {
  assertAdmin(actor);
  return cancelRun(db, actor, parseId(id, 'task'));
}

/**
 * Starts a new run of the same posting for the same sources and candidates (null: every active
 * source / hired candidate, as the original asked). A posting has one run at a time: while one is
 * pending or running, that run is answered with `deduplicated: true`.
 */
export async function rerunTask(db: Database, boss: PgBoss, actor: Actor, id: string): Promise<RerunResult> {
  assertAdmin(actor);
  const run = await findRunWithJob(db, parseId(id, 'task'));
  if (!run) throw new AppError('task_not_found', 'no sync task with this id');
  const result = await startSync(db, boss, actor, {
    slug: run.job_slug,
    source_ids: run.source_ids ?? undefined,
    candidate_ids: run.candidate_ids ?? undefined,
    force: run.force,
  });
  return { task_id: result.task_id, status: result.status, deduplicated: result.deduplicated };
}

const ELIGIBLE: Record<BulkTasksInput['action'], SyncRunStatus[]> = {
  retry: ['partially_failed', 'failed'],
  cancel: ['pending', 'running'],
};

function skipReason(action: BulkTasksInput['action'], status: SyncRunStatus): string {
  if (action === 'cancel') return 'already finished';
  if (status === 'pending' || status === 'running') return 'not finished';
  if (status === 'cancelled') return 'cancelled';
  return 'no failures';
}

function summarize(
  action: BulkTasksInput['action'],
  done: number,
  skipped: BulkResult['skipped'],
  remaining: number,
): string {
  const parts = [`${done.toLocaleString('en')} ${action === 'retry' ? 'retried' : 'cancelled'}`];
  for (const s of skipped) parts.push(`${s.count.toLocaleString('en')} skipped: ${s.reason}`);
  if (remaining > 0) parts.push(`${remaining.toLocaleString('en')} more match (run it again for the next ${MAX_BULK})`);
  return parts.join(', ');
}

/**
 * Retries the failed deliveries of, or cancels, the selected runs or every run matching a filter
 * (up to MAX_BULK per request), one run at a time through the sync service, and says what
 * happened to each. Runs the action does not apply to are skipped with the reason.
 */
export async function bulkTasks(db: Database, boss: PgBoss, actor: Actor, input: BulkTasksInput): Promise<BulkResult> {
  assertAdmin(actor);
  const eligible = ELIGIBLE[input.action];
  const skipped = new Map<string, number>();
  const results: BulkResult['results'] = [];
  const skip = (taskId: string | null, reason: string, count = 1) => {
    skipped.set(reason, (skipped.get(reason) ?? 0) + count);
    if (taskId) results.push({ task_id: taskId, outcome: 'skipped', message: reason });
  };
  let ids: string[];
  let matched: number;
  let remaining = 0;
  if (input.task_ids) {
    const unique = [...new Set(input.task_ids.map((t) => t.toLowerCase()))];
    matched = unique.length;
    const statuses = new Map(
      (await db.selectFrom('sync_runs').select(['id', 'status']).where('id', 'in', unique).execute()).map((r) => [
        r.id,
        r.status,
      ]),
    );
    ids = [];
    for (const id of unique) {
      const status = statuses.get(id);
      if (!status) skip(id, 'not found');
      else if (!eligible.includes(status)) skip(id, skipReason(input.action, status));
      else ids.push(id);
    }
  } else {
    const f = input.filter ?? {};
    const filter = await resolveFilter(db, {
      ...f,
      from: f.from ? new Date(f.from) : undefined,
      to: f.to ? new Date(f.to) : undefined,
      q: f.q || undefined,
    });
    if (!filter) {
      return {
        action: input.action,
        matched: 0,
        processed: 0,
        done: 0,
        skipped: [],
        results: [],
        remaining: 0,
        summary: 'no run matches',
      };
    }
    const byStatus = await countRunsByStatus(db, filter);
    matched = byStatus.reduce((n, s) => n + s.n, 0);
    for (const s of byStatus) if (!eligible.includes(s.status)) skip(null, skipReason(input.action, s.status), s.n);
    const wanted = (filter.status ?? [...RUN_STATUSES]).filter((s) => eligible.includes(s));
    const eligibleCount = byStatus.filter((s) => eligible.includes(s.status)).reduce((n, s) => n + s.n, 0);
    ids = wanted.length ? await findRunIds(db, { ...filter, status: wanted }, MAX_BULK) : [];
    remaining = Math.max(0, eligibleCount - ids.length);
  }

  let done = 0;
  for (const id of ids) {
    try {
      if (input.action === 'retry') {
        const r = await retryFailed(db, boss, actor, id);
        results.push({ task_id: id, outcome: 'retried', message: `${r.retried} deliveries queued again` });
      } else {
        const r = await cancelRun(db, actor, id);
        results.push({ task_id: id, outcome: 'cancelled', message: `${r.cancelled} deliveries cancelled` });
      }
      done += 1;
    } catch (err) {
      if (!isAppError(err)) throw err;
      // The run changed since it was selected, or its posting is busy with another run.
      const reason =
        err.code === 'conflict'
          ? 'another run of the posting is active'
          : err.code === 'task_not_found'
            ? 'not found'
            : input.action === 'retry'
              ? 'not finished or no failures'
              : 'already finished';
      skip(id, reason);
    }
  }
  const skippedList = [...skipped.entries()].map(([reason, count]) => ({ reason, count }));
  return {
    action: input.action,
    matched,
    processed: ids.length,
    done,
    skipped: skippedList,
    results,
    remaining,
    summary: summarize(input.action, done, skippedList, remaining),
  };
}

export async function getFilterOptions(db: Database, actor: Actor): Promise<FilterOptions> {
  requireAdminReader(actor, 'sync tasks and statistics');
  const [postings, sources] = await Promise.all([listPostingOptions(db, 1000), listAllSources(db)]);
  return {
    postings,
    sources: sources.map((s) => ({ id: s.id, name: s.name, deleted: !!s.deleted_at })),
  };
}
