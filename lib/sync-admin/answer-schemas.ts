import { z } from 'zod';
import { type Same, shapes } from '@/lib/api/openapi/same-shape';
import { retryingDeliverySchema, sourceLiveStateSchema } from '@/lib/sync/answer-schemas';
import {
  type BulkResult,
  type DeliveryDetail,
  type DeliveryRow,
  DELIVERY_STATUSES,
  type Page,
  RUN_STATUSES,
  type RerunResult,
  type TaskDetail,
  type TaskRow,
  TRIGGERS,
} from './schemas';

// The answers of the sync-admin API as zod schemas, for the OpenAPI document (lib/api/openapi/sync-admin.ts).
const int = z.number().int();
const counts = { total: int, succeeded: int, failed: int, skipped: int, cancelled: int };

const taskRowShape = {
  task_id: z.string().meta({ format: 'uuid' }),
  status: z.enum(RUN_STATUSES),
  job: z.object({ id: z.string(), slug: z.string(), title: z.string() }),
  trigger: z.enum(TRIGGERS),
  requested_by: z.object({ id: z.string(), name: z.string() }).nullable(),
  force: z.boolean(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  ...counts,
  error_summary: z.string().nullable(),
};
export const taskRowSchema = z.object(taskRowShape).meta({ id: 'TaskRow' });
shapes<Same<z.output<typeof taskRowSchema>, TaskRow>>();

export const taskPageSchema = z
  .object({ data: z.array(taskRowSchema), next_cursor: z.string().nullable() })
  .meta({ id: 'TaskPage' });
shapes<Same<z.output<typeof taskPageSchema>, Page<TaskRow>>>();

export const taskCountSchema = z
  .object({ count: int, capped: z.boolean().meta({ description: 'true: there are more; count is the cap.' }) })
  .meta({ id: 'TaskCount' });

export const taskDetailSchema = z
  .object({
    ...taskRowShape,
    requested_by: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
    schedule_id: z.string().nullable(),
    source_ids: z.array(z.string()).nullable(),
    candidate_count: int.nullable(),
    unfinished: int,
    waiting_retry: int,
    paused: int,
    sources: z.array(
      sourceLiveStateSchema.extend({
        source_id: z.string(),
        name: z.string(),
        ...counts,
        unfinished: int,
        p50_ms: z.number().nullable(),
        max_ms: z.number().nullable(),
      }),
    ),
    retrying: z.array(retryingDeliverySchema),
    can_retry: z.boolean(),
    can_cancel: z.boolean(),
  })
  .meta({ id: 'TaskDetail' });
shapes<Same<z.output<typeof taskDetailSchema>, TaskDetail>>();

const deliveryRowShape = {
  id: z.string(),
  candidate: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  source: z.object({ id: z.string(), name: z.string() }),
  action: z.enum(['create', 'update', 'withdraw', 'rehire']),
  status: z.enum(DELIVERY_STATUSES),
  attempts: int,
  http_status: int.nullable(),
  duration_ms: z.number().nullable(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  external_id: z.string().nullable(),
  record_url: z.string().nullable(),
  next_attempt_at: z.string().nullable(),
  delivered_at: z.string().nullable(),
  updated_at: z.string(),
};
export const deliveryPageSchema = z
  .object({ data: z.array(z.object(deliveryRowShape).meta({ id: 'DeliveryRow' })), next_cursor: z.string().nullable() })
  .meta({ id: 'DeliveryPage' });
shapes<Same<z.output<typeof deliveryPageSchema>, Page<DeliveryRow>>>();

export const deliveryDetailSchema = z
  .object({
    ...deliveryRowShape,
    task_id: z.string(),
    request: z
      .object({
        method: z.string().optional(),
        url: z.string().optional(),
        headers: z.record(z.string(), z.string()).optional(),
        body: z.unknown().optional(),
      })
      .nullable()
      .meta({ description: 'What was sent, credentials masked.' }),
    response_excerpt: z.string().nullable(),
    idempotency_key: z.string(),
    started_at: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'DeliveryDetail' });
shapes<Same<z.output<typeof deliveryDetailSchema>, DeliveryDetail>>();

export const bulkResultSchema = z
  .object({
    action: z.enum(['retry', 'cancel']),
    matched: int,
    processed: int,
    done: int,
    skipped: z.array(z.object({ reason: z.string(), count: int })),
    results: z.array(
      z.object({ task_id: z.string(), outcome: z.enum(['retried', 'cancelled', 'skipped']), message: z.string() }),
    ),
    remaining: int,
    summary: z.string(),
  })
  .meta({ id: 'BulkResult' });
shapes<Same<z.output<typeof bulkResultSchema>, BulkResult>>();

export const rerunResultSchema = z
  .object({ task_id: z.string(), status: z.string(), deduplicated: z.boolean() })
  .meta({ id: 'RerunResult' });
shapes<Same<z.output<typeof rerunResultSchema>, RerunResult>>();

// The dashboard's figures: top-level keys documented, the rows' fields as the dashboard shows them
// (lib/sync-admin/schemas.ts SyncStats and SyncReport).
export const syncStatsSchema = z
  .looseObject({
    window: z.enum(['24h', '7d', '30d']),
    from: z.string(),
    to: z.string(),
    runs: z.record(z.string(), int),
    deliveries: z.record(z.string(), int),
    success_rate: z.number().nullable(),
    by_source: z.array(z.looseObject({ source_id: z.string(), name: z.string() })),
    queue: z.looseObject({ queued: int, active: int, retry: int, failed: int }),
    workers: z.array(z.looseObject({ id: z.string() })),
    timeseries: z.array(z.object({ bucket: z.string(), succeeded: int, failed: int })),
  })
  .meta({ id: 'SyncStats' });

export const syncReportSchema = z
  .looseObject({
    window: z.enum(['24h', '7d', '30d']),
    from: z.string(),
    to: z.string(),
    by_source: z.array(z.looseObject({ source_id: z.string() })),
    by_posting: z.array(z.looseObject({ runs: int })),
    slowest: z.array(z.looseObject({ delivery_id: z.string() })),
    errors: z.array(z.looseObject({ count: int })),
    trend: z.array(z.looseObject({ day: z.string() })),
  })
  .meta({ id: 'SyncReport' });
