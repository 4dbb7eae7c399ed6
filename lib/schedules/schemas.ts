import { z } from 'zod';
import { currentZoneName } from './time-zones';

/** The common choices offered by the form; anything else is a custom cron expression. */
export const SCHEDULE_PRESETS = [
  { label: 'Every 15 minutes', cron: '*/15 * * * *' },
  { label: 'Every hour', cron: '0 * * * *' },
  { label: 'Every day at 02:00', cron: '0 2 * * *' },
  { label: 'Weekdays at 08:00', cron: '0 8 * * 1-5' },
] as const;

export const NEXT_RUN_COUNT = 5;

const CRON_HELP = 'minute, hour, day of month, month and day of week, such as 0 2 * * *';

// pg-boss evaluates schedules once a minute, so a seconds field would promise what it cannot keep;
// cron-parser would also read four fields as valid. Exactly five, separated by whitespace.
export const cronSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(120, 'must be at most 120 characters')
  .transform((v) => v.split(/\s+/).join(' '))
  .refine((v) => v.split(' ').length === 5, `must have exactly 5 fields: ${CRON_HELP}`)
  .superRefine((v, ctx) => {
    const problems = cronRangeProblems(v);
    if (problems.length) ctx.addIssue({ code: 'custom', message: problems.join('; ') });
  });

const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

/**
 * Numbers outside their field's range, every one of them, in the admin's words ("hour 25 is not
 * between 0 and 23"); the parser itself stops at the first and names it in its own terms. Names
 * (JAN, MON), steps, lists and ranges are read; anything else is left to the parser.
 */
export function cronRangeProblems(cron: string): string[] {
  const fields = cron.split(' ');
  if (fields.length !== 5) return [];
  const problems: string[] = [];
  fields.forEach((field, i) => {
    const { name, min, max } = CRON_FIELDS[i];
    for (const part of field.split(',')) {
      const [range, step] = part.split('/');
      const numbers = range === '*' ? [] : range.split('-');
      for (const n of numbers) {
        if (!/^\d+$/.test(n)) continue;
        const value = Number(n);
        if (value < min || value > max) problems.push(`${name} ${value} is not between ${min} and ${max}`);
      }
      if (step !== undefined && /^\d+$/.test(step) && Number(step) === 0)
        problems.push(`${name} step must be at least 1`);
    }
  });
  return problems;
}

/** The canonical, current IANA name of a time zone, or null when this runtime does not know it. */
export function canonicalTimeZone(value: string): string | null {
  try {
    return currentZoneName(new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone);
  } catch {
    return null;
  }
}

export const timeZoneSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(100)
  .transform((value, ctx) => {
    const zone = canonicalTimeZone(value);
    if (!zone) {
      ctx.addIssue({
        code: 'custom',
        message: `"${value}" is not a time zone; use an IANA name such as Europe/Berlin`,
      });
      return z.NEVER;
    }
    return zone;
  });

export const scheduleScopeSchema = z.enum(['posting', 'all_open']);
export type ScheduleScope = z.infer<typeof scheduleScopeSchema>;

const fields = {
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  cron: cronSchema,
  timezone: timeZoneSchema,
  scope: scheduleScopeSchema,
  // Postings are addressed by slug everywhere in the API; the schedule keeps the posting's id.
  job_slug: z.string().trim().min(1, 'choose a posting').max(200).nullable(),
  source_ids: z
    .array(z.uuid('must be a source id (UUID)'))
    .min(1, 'choose at least one source')
    .max(100)
    .transform((ids) => [...new Set(ids)])
    .nullable(),
  force: z.boolean(),
  is_enabled: z.boolean(),
};

type ScopeFields = { scope?: ScheduleScope; job_slug?: string | null };

/** One posting needs its slug; all open postings takes none. Also checked after a PATCH is merged. */
export function scopeIssue(v: ScopeFields): { path: string; message: string } | null {
  if (v.scope === 'posting' && !v.job_slug) return { path: 'job_slug', message: 'choose a posting' };
  if (v.scope === 'all_open' && v.job_slug)
    return { path: 'job_slug', message: 'must be empty when the schedule covers all open postings' };
  return null;
}

export const createScheduleSchema = z
  .strictObject({
    ...fields,
    timezone: fields.timezone.default('UTC'),
    job_slug: fields.job_slug.optional(),
    source_ids: fields.source_ids.default(null),
    force: fields.force.default(false),
    is_enabled: fields.is_enabled.default(true),
  })
  .superRefine((v, ctx) => {
    const issue = scopeIssue(v);
    if (issue) ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
  });
export type CreateScheduleInput = z.infer<typeof createScheduleSchema>;

export const updateScheduleSchema = z
  .strictObject(fields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateScheduleInput = z.infer<typeof updateScheduleSchema>;

export const previewQuerySchema = z.strictObject({
  cron: z.string().max(200),
  tz: z.string().max(100).optional(),
});

export type ScheduleRunSummary = {
  task_id: string;
  job: { slug: string; title: string };
  status: string;
  created_at: string;
};

export type PublicSchedule = {
  id: string;
  name: string;
  cron: string;
  timezone: string;
  scope: ScheduleScope;
  job: { id: string; slug: string; title: string; status: string } | null;
  /** null: every source that is active when the schedule runs. */
  source_ids: string[] | null;
  sources: { id: string; name: string; is_active: boolean; deleted: boolean }[];
  force: boolean;
  is_enabled: boolean;
  created_by: { id: string; name: string } | null;
  created_at: string;
  updated_at: string;
  last_run_at: string | null;
  last_error: string | null;
  /** The next occurrences (ISO instants); empty while the schedule is disabled. */
  next_runs: string[];
  recent_runs: ScheduleRunSummary[];
};

export type SchedulePreview = { cron: string; timezone: string; next_runs: string[] };
