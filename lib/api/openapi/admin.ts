import { z } from 'zod';
import { auditActionsSchema, auditPageSchema } from '@/lib/audit/answer-schemas';
import { listAuditQuerySchema } from '@/lib/audit/schemas';
import { publicScheduleSchema, scheduleListSchema, schedulePreviewSchema } from '@/lib/schedules/answer-schemas';
import { createScheduleSchema, previewQuerySchema, updateScheduleSchema } from '@/lib/schedules/schemas';
import { deletedSchema } from '@/lib/sources/answer-schemas';
import { exportAuditQuerySchema } from '@/lib/export/audit';
import { exportFile } from './export-file';
import type { OperationSpec, PathSpecs } from './operation';

const schedules = { access: 'admin', tags: ['Schedules'] } as const satisfies Partial<OperationSpec>;
const audit = { access: 'admin', tags: ['Audit'] } as const satisfies Partial<OperationSpec>;
const scheduleParams = z.object({ id: z.uuid() });

export const adminPaths: PathSpecs = {
  '/api/v1/schedules': {
    get: {
      ...schedules,
      operationId: 'listSchedules',
      summary: 'List schedules',
      answers: { 200: { description: 'Every schedule with its next runs.', schema: scheduleListSchema } },
    },
    post: {
      ...schedules,
      operationId: 'createSchedule',
      summary: 'Sync on a cron',
      body: createScheduleSchema,
      bodyExamples: {
        weekdays: {
          summary: 'Every open posting, weekdays at 06:00 Berlin time',
          value: { name: 'Weekday morning sync', cron: '0 6 * * 1-5', timezone: 'Europe/Berlin', scope: 'all_open' },
        },
      },
      answers: { 201: { description: 'Created.', schema: publicScheduleSchema } },
      errors: ['name_taken', 'job_not_found'],
    },
  },
  '/api/v1/schedules/preview': {
    get: {
      ...schedules,
      operationId: 'previewSchedule',
      summary: 'The next runs of a cron expression',
      query: previewQuerySchema,
      queryExamples: {
        weekdays: { summary: 'Weekdays at 06:00', value: { cron: '0 6 * * 1-5', tz: 'Europe/Berlin' } },
      },
      answers: { 200: { description: 'The next five runs.', schema: schedulePreviewSchema } },
    },
  },
  '/api/v1/schedules/{id}': {
    get: {
      ...schedules,
      operationId: 'getSchedule',
      summary: 'Get a schedule',
      params: scheduleParams,
      answers: { 200: { description: 'The schedule.', schema: publicScheduleSchema } },
      errors: ['schedule_not_found'],
    },
    patch: {
      ...schedules,
      operationId: 'updateSchedule',
      summary: 'Change, enable or disable a schedule',
      params: scheduleParams,
      body: updateScheduleSchema,
      bodyExamples: { disable: { summary: 'Disable', value: { is_enabled: false } } },
      answers: { 200: { description: 'The schedule now.', schema: publicScheduleSchema } },
      errors: ['schedule_not_found', 'name_taken', 'job_not_found'],
    },
    delete: {
      ...schedules,
      operationId: 'deleteSchedule',
      summary: 'Delete a schedule',
      params: scheduleParams,
      answers: { 200: { description: 'Deleted.', schema: deletedSchema } },
      errors: ['schedule_not_found'],
    },
  },
  '/api/v1/audit': {
    get: {
      ...audit,
      operationId: 'listAuditEvents',
      summary: 'The audit trail',
      query: listAuditQuerySchema,
      queryExamples: { sources: { summary: 'Every source change', value: { action: 'source.*', limit: '20' } } },
      answers: { 200: { description: 'A page of events, newest first.', schema: auditPageSchema } },
    },
  },
  '/api/v1/audit/export': {
    get: {
      ...audit,
      operationId: 'exportAuditEvents',
      summary: 'Download the audit trail as CSV or JSON Lines',
      description:
        'Every event for these filters, newest first, streamed; details are scrubbed of secrets when recorded.',
      query: exportAuditQuerySchema,
      queryExamples: { sources: { summary: 'Source changes as CSV', value: { format: 'csv', action: 'source.*' } } },
      answers: { 200: exportFile('The events, as an attachment.') },
    },
  },
  '/api/v1/audit/actions': {
    get: {
      ...audit,
      operationId: 'listAuditActions',
      summary: 'The actions the trail holds (for its filter)',
      answers: { 200: { description: 'Every action seen.', schema: auditActionsSchema } },
    },
  },
};
