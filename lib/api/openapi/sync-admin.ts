import { z } from 'zod';
import { retryFailedResultSchema, cancelRunResultSchema } from '@/lib/sync/answer-schemas';
import {
  bulkResultSchema,
  deliveryDetailSchema,
  deliveryPageSchema,
  rerunResultSchema,
  syncReportSchema,
  syncStatsSchema,
  taskCountSchema,
  taskDetailSchema,
  taskPageSchema,
} from '@/lib/sync-admin/answer-schemas';
import {
  bulkTasksSchema,
  countTasksQuerySchema,
  listDeliveriesQuerySchema,
  listTasksQuerySchema,
  statsQuerySchema,
} from '@/lib/sync-admin/schemas';
import { exportDeliveriesQuerySchema } from '@/lib/export/deliveries';
import { exportTasksQuerySchema } from '@/lib/export/tasks';
import { exportFile } from './export-file';
import type { OperationSpec, PathSpecs } from './operation';

const common = { access: 'admin', tags: ['Sync admin'] } as const satisfies Partial<OperationSpec>;
// A malformed id is answered as an unknown one (404 task_not_found) by the service.
const taskParams = z.object({ id: z.string().meta({ format: 'uuid' }) });
const deliveryParams = z.object({
  id: z.string().meta({ format: 'uuid' }),
  deliveryId: z.string().meta({ format: 'uuid' }),
});

export const syncAdminPaths: PathSpecs = {
  '/api/v1/sync-admin/tasks': {
    get: {
      ...common,
      operationId: 'listTasks',
      summary: 'List sync runs',
      description: 'Filters combine; `status` takes several values separated by commas.',
      query: listTasksQuerySchema,
      queryExamples: {
        failed: { summary: 'Failed runs of the last day', value: { status: 'failed,partially_failed', limit: '20' } },
      },
      answers: { 200: { description: 'A page of runs, newest first.', schema: taskPageSchema } },
    },
  },
  '/api/v1/sync-admin/tasks/count': {
    get: {
      ...common,
      operationId: 'countTasks',
      summary: 'Count the runs a filter selects',
      query: countTasksQuerySchema,
      queryExamples: { failed: { summary: 'Failed runs', value: { status: 'failed' } } },
      answers: { 200: { description: 'How many.', schema: taskCountSchema } },
    },
  },
  '/api/v1/sync-admin/tasks/bulk': {
    post: {
      ...common,
      operationId: 'bulkTasks',
      summary: 'Retry or cancel many runs',
      description:
        'Either `task_ids` or a `filter` (the list\u2019s filters); at most 500 runs a request (`remaining` says how many are left).',
      body: bulkTasksSchema,
      bodyExamples: {
        retryFailed: {
          summary: 'Retry every failed run',
          value: { action: 'retry', filter: { status: ['failed', 'partially_failed'] } },
        },
      },
      answers: { 200: { description: 'What happened to each run.', schema: bulkResultSchema } },
    },
  },
  '/api/v1/sync-admin/tasks/{id}': {
    get: {
      ...common,
      operationId: 'getTask',
      summary: 'A run in detail',
      params: taskParams,
      answers: { 200: { description: 'The run, per source.', schema: taskDetailSchema } },
      errors: ['task_not_found'],
    },
  },
  '/api/v1/sync-admin/tasks/{id}/retry': {
    post: {
      ...common,
      operationId: 'retryTask',
      summary: "Retry a run's failed deliveries",
      params: taskParams,
      answers: { 202: { description: 'Queued again.', schema: retryFailedResultSchema } },
      errors: ['task_not_found', 'invalid_state', 'conflict', 'no_active_sources'],
    },
  },
  '/api/v1/sync-admin/tasks/{id}/cancel': {
    post: {
      ...common,
      operationId: 'cancelTask',
      summary: 'Cancel a run',
      params: taskParams,
      answers: { 200: { description: 'Cancelled.', schema: cancelRunResultSchema } },
      errors: ['task_not_found', 'invalid_state'],
    },
  },
  '/api/v1/sync-admin/tasks/{id}/rerun': {
    post: {
      ...common,
      operationId: 'rerunTask',
      summary: 'Run the same sync again',
      description: 'A new run with the same posting, sources and candidates; 200 when one is already going on.',
      params: taskParams,
      answers: {
        202: { description: 'A new run.', schema: rerunResultSchema },
        200: { description: 'A run of the posting was already going on.', schema: rerunResultSchema },
      },
      errors: ['task_not_found', 'job_not_found', 'no_hired_candidates', 'no_active_sources', 'invalid_state'],
    },
  },
  '/api/v1/sync-admin/tasks/{id}/deliveries': {
    get: {
      ...common,
      operationId: 'listTaskDeliveries',
      summary: "A run's deliveries",
      params: taskParams,
      query: listDeliveriesQuerySchema,
      queryExamples: { failed: { summary: 'The failed ones', value: { status: 'failed' } } },
      answers: { 200: { description: 'A page of deliveries.', schema: deliveryPageSchema } },
      errors: ['task_not_found'],
    },
  },
  '/api/v1/sync-admin/tasks/export': {
    get: {
      ...common,
      operationId: 'exportTasks',
      summary: 'Download the task list as CSV or JSON Lines',
      description:
        'Every run the task list shows for these filters (all pages), newest first, streamed. `format`: csv (RFC 4180, formula-safe) or jsonl (one list object per line).',
      query: exportTasksQuerySchema,
      queryExamples: { failed: { summary: 'Failed runs as CSV', value: { format: 'csv', status: 'failed' } } },
      answers: { 200: exportFile('The runs, as an attachment.') },
    },
  },
  '/api/v1/sync-admin/tasks/{id}/deliveries/export': {
    get: {
      ...common,
      operationId: 'exportTaskDeliveries',
      summary: "Download a run's deliveries as CSV or JSON Lines",
      description: "The run's deliveries, by source name, then candidate id, each with `task_id`; streamed.",
      params: taskParams,
      query: exportDeliveriesQuerySchema,
      queryExamples: { jsonl: { summary: 'Every delivery as JSON Lines', value: { format: 'jsonl' } } },
      answers: { 200: exportFile('The deliveries, as an attachment.') },
      errors: ['task_not_found', 'invalid_task_id'],
    },
  },
  '/api/v1/sync-admin/tasks/{id}/deliveries/{deliveryId}': {
    get: {
      ...common,
      operationId: 'getTaskDelivery',
      summary: 'One delivery: request sent, answer received',
      params: deliveryParams,
      answers: { 200: { description: 'The delivery, credentials masked.', schema: deliveryDetailSchema } },
      errors: ['task_not_found', 'not_found'],
    },
  },
  '/api/v1/sync-admin/sync-stats': {
    get: {
      ...common,
      operationId: 'getSyncStats',
      summary: 'The dashboard\u2019s figures',
      query: statsQuerySchema,
      queryExamples: { week: { summary: 'The last 7 days', value: { window: '7d' } } },
      answers: { 200: { description: 'Runs, deliveries, sources, queue and workers.', schema: syncStatsSchema } },
      errors: ['invalid_window'],
    },
  },
  '/api/v1/sync-admin/sync-stats/report': {
    get: {
      ...common,
      operationId: 'getSyncReport',
      summary: 'The report: per source, per posting, slowest, errors, trend',
      query: statsQuerySchema,
      queryExamples: { month: { summary: 'The last 30 days', value: { window: '30d' } } },
      answers: { 200: { description: 'The report.', schema: syncReportSchema } },
      errors: ['invalid_window'],
    },
  },
};
