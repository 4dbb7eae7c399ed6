import { z } from 'zod';
import type { SyncRunStatus } from '@/db/types';

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

export type SourceProgress = {
  source_id: string;
  name: string;
  status: SyncRunStatus;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
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
  trigger: 'manual' | 'schedule' | 'api';
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
  };
  sources: SourceProgress[];
  errors: DeliveryError[];
  error_summary: string | null;
  log_url: string;
};

export const statusUrl = (taskId: string) => `/recruitment/sync/task/${taskId}/status/`;
export const logUrl = (taskId: string) => `/sync-admin/tasks/${taskId}`;
