import { z } from 'zod';
import type { SyncRunStatus, SyncTrigger } from '@/db/types';

export const startSyncSchema = z.strictObject({
  source_ids: z.array(z.uuid('must be a source id (UUID)')).min(1).max(100).optional(),
  candidate_ids: z.array(z.uuid('must be a candidate id (UUID)')).min(1).max(10_000).optional(),
  force: z.boolean().default(false),
});
export type StartSyncInput = z.infer<typeof startSyncSchema>;

export { ACTIVE_RUN_STATUSES, TERMINAL_RUN_STATUSES } from './statuses';

export type StartSyncResult = {
  task_id: string;
  status: string;
  status_url: string;
  deduplicated: boolean;
};

/**
 * What a source is waiting for while a run goes on: deliveries waiting for a retry (pending after
 * a failed attempt, `next_attempt_at` set) and a pause the source asked for with Retry-After.
 */
export type SourceLiveState = {
  /** The source's attempts per delivery; null for a deleted source. */
  max_attempts: number | null;
  /** Deliveries of the run waiting for their next attempt at this source. */
  waiting_retry: number;
  /** The earliest next attempt among them; null when none waits. */
  next_attempt_at: string | null;
  /** The attempts those deliveries have had so far (fewest, most); null when none waits. */
  waiting_attempts: { min: number; max: number } | null;
  /**
   * Deliveries of the run held by the source's pause (pending, not waiting for a retry: those are
   * in waiting_retry); 0 when it is not paused.
   */
  paused: number;
  /** Why the source is paused: retry_after (its target asked), admin (by hand), auth_failed (credentials refused); null: not paused. */
  pause_kind: 'retry_after' | 'admin' | 'auth_failed' | null;
  /** When a Retry-After pause ends; null when not paused or paused until resumed (admin, auth_failed). */
  paused_until: string | null;
  pause_reason: string | null;
  pause_http_status: number | null;
};

export type SourceProgress = SourceLiveState & {
  source_id: string;
  name: string;
  status: SyncRunStatus;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
};

/** A delivery waiting for its next attempt: attempt `attempts` of `max_attempts` failed with the error below. */
export type RetryingDelivery = {
  candidate_id: string;
  candidate_name: string;
  source_id: string;
  source_name: string;
  attempts: number;
  max_attempts: number;
  next_attempt_at: string;
  code: string | null;
  message: string | null;
  http_status: number | null;
};

export type DeliveryError = {
  candidate_id: string;
  candidate_name: string;
  source_id: string;
  source_name: string;
  code: string | null;
  message: string | null;
  http_status: number | null;
  attempts: number;
};

export type RunStatus = {
  task_id: string;
  status: SyncRunStatus;
  job: { slug: string; title: string };
  trigger: SyncTrigger;
  requested_by: { id: string; name: string } | null;
  force: boolean;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  progress: {
    total: number;
    processed: number;
    succeeded: number;
    failed: number;
    skipped: number;
    cancelled: number;
    percent: number;
    /** Deliveries waiting for a retry (still to send, so not in `processed`). */
    waiting_retry: number;
    /** Deliveries held by a paused source (still to send, not in `processed` nor in waiting_retry). */
    paused: number;
  };
  sources: SourceProgress[];
  errors: DeliveryError[];
  /** The deliveries waiting for a retry, the next to be tried first; at most RETRYING_LIMIT of them. */
  retrying: RetryingDelivery[];
  error_summary: string | null;
  log_url: string;
};

export const statusUrl = (taskId: string) => `/recruitment/sync/task/${taskId}/status/`;
export const logUrl = (taskId: string) => `/sync-admin/tasks/${taskId}`;
