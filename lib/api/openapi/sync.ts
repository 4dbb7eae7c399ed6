import { z } from 'zod';
import {
  cancelRunResultSchema,
  candidateSyncRecordsSchema,
  postingSyncStateSchema,
  retryFailedResultSchema,
  runStatusSchema,
  startSyncResultSchema,
} from '@/lib/sync/answer-schemas';
import { startSyncSchema } from '@/lib/sync/schemas';
import { syncStateQuerySchema } from '@/lib/sync/sync-state-schemas';
import type { OperationSpec, PathSpecs } from './operation';
import { slugParams, taskParams } from './params';

const TASK = '0b9d8a0c-5f0e-4c8e-9a55-2d6c1f7e4a10';

const startSync: OperationSpec = {
  access: 'user',
  tags: ['Sync'],
  operationId: 'startSync',
  summary: "Sync a posting's hired candidates",
  description:
    'Starts a run that delivers every hired candidate of the posting to every active source (or the ones named). ' +
    'While a run of the posting is pending or running, the same run is answered (`deduplicated: true`). ' +
    'Follow it with the `status_url`.',
  params: slugParams,
  body: startSyncSchema,
  bodyOptional: true,
  bodyExamples: {
    all: { summary: 'Every hired candidate to every active source', value: {} },
    force: { summary: 'Send again even what is already up to date', value: { force: true } },
  },
  answers: {
    202: {
      description: 'The run, queued (or the one already going on).',
      schema: startSyncResultSchema,
      example: {
        task_id: TASK,
        status: 'pending',
        status_url: `/recruitment/sync/task/${TASK}/status/`,
        deduplicated: false,
      },
    },
  },
  errors: ['job_not_found', 'no_hired_candidates', 'no_active_sources'],
};

const runStatus: OperationSpec = {
  access: 'user',
  tags: ['Sync'],
  operationId: 'getSyncStatus',
  summary: 'Follow a sync run',
  description:
    'Progress, per-source state, errors and retries of one run. Poll it (every 2 s is fine): send the last `ETag` ' +
    'as `If-None-Match` and an unchanged run answers 304 with no body. The run is over when `status` is ' +
    'completed, partially_failed, failed or cancelled.',
  params: taskParams,
  answers: {
    200: {
      description: 'The run now.',
      schema: runStatusSchema,
      headers: { etag: { description: 'Send as If-None-Match on the next poll.', schema: { type: 'string' } } },
    },
    304: { description: 'Unchanged since the ETag sent in If-None-Match.' },
  },
  errors: ['invalid_task_id', 'task_not_found'],
};

export const syncPaths: PathSpecs = {
  '/api/v1/jobs/{slug}/sync-hired-candidates': { post: startSync },
  '/recruitment/jobs/{slug}/sync-hired-candidates/': {
    post: {
      ...startSync,
      operationId: 'startSyncSeedUrl',
      summary: `${startSync.summary} (the original URL)`,
      description: `The URL scripts used before /api/v1; the same as POST /api/v1/jobs/{slug}/sync-hired-candidates. The trailing slash may be left out.\n\n${startSync.description}`,
    },
  },
  '/api/v1/sync-tasks/{taskId}/status': { get: runStatus },
  '/recruitment/sync/task/{taskId}/status/': {
    get: {
      ...runStatus,
      operationId: 'getSyncStatusSeedUrl',
      summary: `${runStatus.summary} (the original URL)`,
      description: `The \`status_url\` of a started run; the same as GET /api/v1/sync-tasks/{taskId}/status. The trailing slash may be left out.\n\n${runStatus.description}`,
    },
  },
  '/api/v1/sync-tasks/{taskId}/retry-failed': {
    post: {
      access: 'user',
      tags: ['Sync'],
      operationId: 'retryFailed',
      summary: "Retry a finished run's failed deliveries",
      description:
        'Queues the failed deliveries of a finished run again, in the same run; follow it with its status URL.',
      params: taskParams,
      answers: { 202: { description: 'The run, going again.', schema: retryFailedResultSchema } },
      errors: ['invalid_task_id', 'task_not_found', 'invalid_state', 'conflict', 'no_active_sources'],
    },
  },
  '/api/v1/sync-tasks/{taskId}/cancel': {
    post: {
      access: 'user',
      tags: ['Sync'],
      operationId: 'cancelSync',
      summary: 'Cancel a run',
      description: 'Deliveries not sent yet are cancelled; one being sent finishes.',
      params: taskParams,
      answers: { 200: { description: 'Cancelled.', schema: cancelRunResultSchema } },
      errors: ['invalid_task_id', 'task_not_found', 'invalid_state'],
    },
  },
  '/api/v1/jobs/{slug}/sync-state': {
    get: {
      access: 'user',
      tags: ['Sync'],
      operationId: 'getPostingSyncState',
      summary: "A posting's hired candidates at each source",
      params: slugParams,
      query: syncStateQuerySchema,
      answers: {
        200: { description: 'The last known state per candidate and source.', schema: postingSyncStateSchema },
      },
      errors: ['job_not_found'],
    },
  },
  '/api/v1/candidates/{id}/sync-state': {
    get: {
      access: 'user',
      tags: ['Sync'],
      operationId: 'getCandidateSyncRecords',
      summary: "A candidate's record at each source",
      params: z.object({ id: z.string() }),
      answers: {
        200: { description: 'Per source: sent, updated, withdrawn or failed.', schema: candidateSyncRecordsSchema },
      },
      errors: ['candidate_not_found'],
    },
  },
};
