import { z } from 'zod';
import type { DeliveryAction, DeliveryStatus, SourceHealth, SyncRunStatus, SyncTrigger } from '@/db/types';
import { decodeCursor } from '@/lib/recruiting/schemas';

export const STATS_WINDOWS = ['24h', '7d', '30d'] as const;
export type StatsWindow = (typeof STATS_WINDOWS)[number];
export const WINDOW_MS: Record<StatsWindow, number> = {
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

import type { RetryingDelivery, SourceLiveState } from '@/lib/sync/schemas';
import { DELIVERY_STATUSES, RUN_STATUSES } from '@/lib/sync/statuses';

export { DELIVERY_STATUSES, RUN_STATUSES };
export const TRIGGERS = ['manual', 'schedule', 'api', 'hire'] as const;

export const TASKS_PAGE_SIZE = 50;
export const DELIVERIES_PAGE_SIZE = 50;
export const MAX_PAGE = 200;
/** Runs one bulk request works through; the answer says how many more match. */
export const MAX_BULK = 500;

// The window is checked by the service so that a bad one answers `invalid_window`, not a generic 400.
export const statsQuerySchema = z.strictObject({ window: z.string().max(20).optional() });

const limit = (fallback: number) =>
  z
    .string()
    .regex(/^\d{1,3}$/, `must be a whole number from 1 to ${MAX_PAGE}`)
    .transform(Number)
    .pipe(z.number().min(1).max(MAX_PAGE, `must be a whole number from 1 to ${MAX_PAGE}`))
    .default(fallback);

const cursor = z.string().transform((value, ctx) => {
  const decoded = decodeCursor(value);
  if (!decoded) {
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this API returned' });
    return z.NEVER;
  }
  return decoded;
});

/** `a,b` in a query string, each value one of `values`. */
const listOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((v) => v.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1).max(values.length));

const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'must be an ISO date or date-time')
  .transform((v, ctx) => {
    const date = new Date(v);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid date' });
      return z.NEVER;
    }
    return date;
  });

/** The filters of the tasks list; the same object selects the runs of a bulk action. */
export const tasksFilterShape = {
  status: listOf(RUN_STATUSES).optional(),
  posting: z.string().trim().min(1).max(200).optional(),
  source: z.uuid('must be a source id').optional(),
  trigger: z.enum(TRIGGERS).optional(),
  from: instant.optional(),
  to: instant.optional(),
  q: z
    .string()
    .trim()
    .max(320)
    .transform((v) => v || undefined)
    .optional(),
};
export const tasksFilterSchema = z.strictObject(tasksFilterShape);
export type TasksFilter = z.infer<typeof tasksFilterSchema>;

export const listTasksQuerySchema = z.strictObject({
  ...tasksFilterShape,
  cursor: cursor.optional(),
  limit: limit(TASKS_PAGE_SIZE),
});
export type ListTasksQuery = z.infer<typeof listTasksQuerySchema>;

export const countTasksQuerySchema = tasksFilterSchema;

export const bulkTasksSchema = z
  .strictObject({
    action: z.enum(['retry', 'cancel']),
    task_ids: z.array(z.uuid('must be a task id')).min(1).max(MAX_BULK).optional(),
    filter: z
      .strictObject({
        status: z.array(z.enum(RUN_STATUSES)).min(1).optional(),
        posting: z.string().trim().min(1).max(200).optional(),
        source: z.uuid().optional(),
        trigger: z.enum(TRIGGERS).optional(),
        from: z.iso.datetime({ offset: true }).optional(),
        to: z.iso.datetime({ offset: true }).optional(),
        q: z.string().trim().max(320).optional(),
      })
      .optional(),
  })
  .refine((v) => (v.task_ids === undefined) !== (v.filter === undefined), {
    message: 'send either task_ids or filter',
    path: ['task_ids'],
  });
export type BulkTasksInput = z.infer<typeof bulkTasksSchema>;

export const taskParamsSchema = z.object({ id: z.string() });
export const deliveryParamsSchema = z.object({ id: z.string(), deliveryId: z.string() });

export const listDeliveriesQuerySchema = z.strictObject({
  status: listOf(DELIVERY_STATUSES).optional(),
  source: z.uuid('must be a source id').optional(),
  cursor: z.string().max(400).optional(),
  limit: limit(DELIVERIES_PAGE_SIZE),
});
export type ListDeliveriesQuery = z.infer<typeof listDeliveriesQuerySchema>;

export type Page<T> = { data: T[]; next_cursor: string | null };

export type RunCounts = Record<SyncRunStatus, number> & { total: number };

export type SourceStats = {
  source_id: string;
  name: string;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
  unfinished: number;
  /** succeeded / (succeeded + failed); null when nothing was sent. */
  success_rate: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  health: SourceHealth;
  health_error: string | null;
  health_checked_at: string | null;
  last_success_at: string | null;
  consecutive_failures: number;
  is_active: boolean;
  deleted: boolean;
};

export type QueueCounts = { queued: number; active: number; retry: number; failed: number };

export type SyncStats = {
  window: StatsWindow;
  from: string;
  to: string;
  runs: RunCounts;
  deliveries: {
    total: number;
    succeeded: number;
    failed: number;
    skipped: number;
    cancelled: number;
    unfinished: number;
  };
  success_rate: number | null;
  by_source: SourceStats[];
  queue: QueueCounts & { by_queue: (QueueCounts & { name: string; source_id: string | null; label: string })[] };
  workers: { id: string; host: string; pid: number; concurrency: number; started_at: string; last_seen: string }[];
  timeseries: { bucket: string; succeeded: number; failed: number }[];
};

export type SyncReport = {
  window: StatsWindow;
  from: string;
  to: string;
  by_source: SourceStats[];
  by_posting: {
    job: { id: string; slug: string; title: string };
    runs: number;
    failed_runs: number;
    succeeded: number;
    failed: number;
    skipped: number;
    success_rate: number | null;
    last_run_at: string;
  }[];
  slowest: {
    delivery_id: string;
    task_id: string;
    candidate: { id: string; name: string; email: string };
    source: { id: string; name: string };
    status: DeliveryStatus;
    duration_ms: number;
    created_at: string;
  }[];
  errors: {
    error_code: string | null;
    message: string;
    count: number;
    sources: string[];
    last_seen: string;
    example_task_id: string;
  }[];
  trend: { day: string; succeeded: number; failed: number; skipped: number; failure_rate: number | null }[];
};

export type TaskRow = {
  task_id: string;
  status: SyncRunStatus;
  job: { id: string; slug: string; title: string };
  trigger: SyncTrigger;
  requested_by: { id: string; name: string } | null;
  force: boolean;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
  error_summary: string | null;
};

/** A source's deliveries in a run, with what it waits for (retries, a Retry-After pause) as the status answer has it. */
export type TaskSourceBreakdown = SourceLiveState & {
  source_id: string;
  name: string;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
  unfinished: number;
  p50_ms: number | null;
  max_ms: number | null;
};

export type TaskDetail = TaskRow & {
  requested_by: { id: string; name: string; email: string } | null;
  schedule_id: string | null;
  source_ids: string[] | null;
  candidate_count: number | null;
  unfinished: number;
  /** Of `unfinished`, the deliveries waiting for a retry. */
  waiting_retry: number;
  /** Deliveries held by a paused source. */
  paused: number;
  sources: TaskSourceBreakdown[];
  /** The deliveries waiting for a retry, the next to be tried first (at most RETRYING_LIMIT). */
  retrying: RetryingDelivery[];
  can_retry: boolean;
  can_cancel: boolean;
};

export type DeliveryRow = {
  id: string;
  candidate: { id: string; name: string; email: string };
  source: { id: string; name: string };
  /** What the delivery does at the target: create the record, update it, withdraw the hire, or rehire (bring the withdrawn record back). */
  action: DeliveryAction;
  status: DeliveryStatus;
  attempts: number;
  http_status: number | null;
  duration_ms: number | null;
  error_code: string | null;
  error_message: string | null;
  external_id: string | null;
  /** The record in the target system, where its connector has a page for it (http(s) only). */
  record_url: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
  updated_at: string;
};

export type DeliveryDetail = DeliveryRow & {
  task_id: string;
  request: { method?: string; url?: string; headers?: Record<string, string>; body?: unknown } | null;
  response_excerpt: string | null;
  idempotency_key: string;
  started_at: string | null;
  created_at: string;
};

export type BulkOutcome = 'retried' | 'cancelled' | 'skipped';

export type BulkResult = {
  action: 'retry' | 'cancel';
  matched: number;
  processed: number;
  done: number;
  skipped: { reason: string; count: number }[];
  results: { task_id: string; outcome: BulkOutcome; message: string }[];
  /** Runs that matched but were left for another request (MAX_BULK per request). */
  remaining: number;
  summary: string;
};

export type RerunResult = { task_id: string; status: string; deduplicated: boolean };

export type FilterOptions = {
  postings: { id: string; slug: string; title: string }[];
  sources: { id: string; name: string; deleted: boolean }[];
};
