import { z } from 'zod';
import { type Same, shapes } from '@/lib/api/openapi/same-shape';
import type { PublicSchedule, SchedulePreview } from './schemas';

// The answers of the schedules API as zod schemas, for the OpenAPI document (lib/api/openapi/admin.ts).
export const publicScheduleSchema = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    name: z.string(),
    cron: z.string().meta({ example: '0 6 * * 1-5' }),
    timezone: z.string().meta({ example: 'Europe/Berlin' }),
    scope: z.enum(['posting', 'all_open']),
    job: z.object({ id: z.string(), slug: z.string(), title: z.string(), status: z.string() }).nullable(),
    source_ids: z.array(z.string()).nullable(),
    sources: z.array(z.object({ id: z.string(), name: z.string(), is_active: z.boolean(), deleted: z.boolean() })),
    force: z.boolean(),
    is_enabled: z.boolean(),
    created_by: z.object({ id: z.string(), name: z.string() }).nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    last_run_at: z.string().nullable(),
    last_error: z.string().nullable(),
    next_runs: z.array(z.string()),
    recent_runs: z.array(
      z.object({
        task_id: z.string(),
        job: z.object({ slug: z.string(), title: z.string() }),
        status: z.string(),
        created_at: z.string(),
      }),
    ),
  })
  .meta({ id: 'Schedule' });
shapes<Same<z.output<typeof publicScheduleSchema>, PublicSchedule>>();

export const scheduleListSchema = z.object({ data: z.array(publicScheduleSchema) }).meta({ id: 'ScheduleList' });

export const schedulePreviewSchema = z
  .object({ cron: z.string(), timezone: z.string(), next_runs: z.array(z.string()) })
  .meta({ id: 'SchedulePreview' });
shapes<Same<z.output<typeof schedulePreviewSchema>, SchedulePreview>>();
