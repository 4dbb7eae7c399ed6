import { z } from 'zod';
import { type Same, shapes } from '@/lib/api/openapi/same-shape';
import { RUN_STATUSES } from './statuses';
import type { RunStatus, StartSyncResult } from './schemas';

// The answers of the sync API as zod schemas, for the OpenAPI document (lib/api/openapi/sync.ts).
const isoTime = z.string().meta({ format: 'date-time', example: '2026-12-07T09:30:00.000Z' });
const runStatus = z.enum(RUN_STATUSES);

export const startSyncResultSchema = z
  .object({
    task_id: z.string().meta({ format: 'uuid' }),
    status: z.string().meta({ description: 'pending, or the status of the run already going on (deduplicated)' }),
    status_url: z
      .string()
      .meta({ description: 'Poll it (GET) for progress: /recruitment/sync/task/{task_id}/status/' }),
    deduplicated: z
      .boolean()
      .meta({ description: 'true: a run of this posting was already going on; it is answered.' }),
  })
  .meta({ id: 'StartSyncResult' });
shapes<Same<z.output<typeof startSyncResultSchema>, StartSyncResult>>();

export const retryFailedResultSchema = startSyncResultSchema
  .extend({ retried: z.number().int().meta({ description: 'Failed deliveries queued again.' }) })
  .meta({ id: 'RetryFailedResult' });

export const cancelRunResultSchema = z
  .object({ task_id: z.string(), status: z.literal('cancelled'), cancelled: z.number().int() })
  .meta({ id: 'CancelRunResult' });

const sourceLiveShape = {
  max_attempts: z.number().int().nullable(),
  waiting_retry: z.number().int(),
  next_attempt_at: isoTime.nullable(),
  waiting_attempts: z.object({ min: z.number().int(), max: z.number().int() }).nullable(),
  paused: z.number().int(),
  pause_kind: z.enum(['retry_after', 'admin', 'auth_failed']).nullable(),
  paused_until: isoTime.nullable(),
  pause_reason: z.string().nullable(),
  pause_http_status: z.number().int().nullable(),
};
export const sourceLiveStateSchema = z.object(sourceLiveShape);

const who = { candidate_id: z.string(), candidate_name: z.string(), source_id: z.string(), source_name: z.string() };
const failure = {
  code: z.string().nullable(),
  message: z.string().nullable(),
  http_status: z.number().int().nullable(),
};

export const retryingDeliverySchema = z
  .object({ ...who, attempts: z.number().int(), max_attempts: z.number().int(), next_attempt_at: isoTime, ...failure })
  .meta({ id: 'RetryingDelivery' });

export const runStatusSchema = z
  .object({
    task_id: z.string(),
    status: runStatus,
    job: z.object({ slug: z.string(), title: z.string() }),
    trigger: z.enum(['manual', 'schedule', 'api', 'hire']),
    requested_by: z.object({ id: z.string(), name: z.string() }).nullable(),
    force: z.boolean(),
    created_at: isoTime,
    started_at: isoTime.nullable(),
    finished_at: isoTime.nullable(),
    progress: z.object({
      total: z.number().int(),
      processed: z.number().int(),
      succeeded: z.number().int(),
      failed: z.number().int(),
      skipped: z.number().int(),
      cancelled: z.number().int(),
      percent: z.number(),
      waiting_retry: z.number().int(),
      paused: z.number().int(),
    }),
    sources: z.array(
      z.object({
        ...sourceLiveShape,
        source_id: z.string(),
        name: z.string(),
        status: runStatus,
        total: z.number().int(),
        succeeded: z.number().int(),
        failed: z.number().int(),
        skipped: z.number().int(),
        cancelled: z.number().int(),
      }),
    ),
    errors: z.array(z.object({ ...who, ...failure, attempts: z.number().int() })),
    retrying: z.array(retryingDeliverySchema),
    error_summary: z.string().nullable(),
    log_url: z.string(),
  })
  .meta({ id: 'RunStatus' });
shapes<Same<z.output<typeof runStatusSchema>, RunStatus>>();

// The sync-state answers (lib/sync/sync-state-schemas.ts): their fields as the pages read them;
// the rows keep any field a later change adds (loose objects).
export const postingSyncStateSchema = z
  .object({
    job: z.object({ slug: z.string(), hired: z.number().int() }),
    sources: z.array(z.looseObject({ id: z.string(), name: z.string(), connector: z.string() })),
    latest_run: z.looseObject({ task_id: z.string(), status: runStatus }).nullable(),
    candidates: z.array(
      z.object({
        candidate_id: z.string(),
        sources: z.array(z.looseObject({ source_id: z.string(), last_status: z.string() })),
      }),
    ),
    candidates_truncated: z.boolean(),
  })
  .meta({ id: 'PostingSyncState' });

export const candidateSyncRecordsSchema = z
  .object({
    candidate: z.object({
      id: z.string(),
      name: z.string(),
      stage: z.string(),
      job_slug: z.string(),
      job_title: z.string(),
    }),
    sources: z.array(
      z.looseObject({
        source_id: z.string(),
        name: z.string(),
        state: z.string().nullable(),
        external_id: z.string().nullable(),
        record_url: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'CandidateSyncRecords' });
