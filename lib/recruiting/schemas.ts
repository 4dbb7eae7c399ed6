import { z } from 'zod';
import type { CandidateStage, EmploymentType, JobStatus } from '@/db/types';
import { AppError } from '@/lib/errors';
import { emailSchema, personNameSchema } from '@/lib/users/schemas';

export const CANDIDATE_STAGES = ['applied', 'screening', 'interview', 'offer', 'hired', 'rejected'] as const;
export const JOB_STATUSES = ['open', 'closed'] as const;
export const EMPLOYMENT_TYPES = ['full_time', 'part_time', 'contract', 'temporary', 'internship'] as const;
export const MAX_BATCH_CANDIDATES = 1000;
export const MAX_IMPORT_ROWS = 10_000;
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX = 100;

// Named in plain words: zod's own text ('Invalid option: expected one of "applied"|…') reaches people in import errors.
export const candidateStageSchema = z.enum(CANDIDATE_STAGES, {
  error: `must be one of: ${CANDIDATE_STAGES.join(', ')}`,
});
export const jobStatusSchema = z.enum(JOB_STATUSES, { error: `must be one of: ${JOB_STATUSES.join(', ')}` });

export const slugSchema = z
  .string()
  .min(1, 'is required')
  .max(SLUG_MAX, `must be at most ${SLUG_MAX} characters`)
  .regex(SLUG_PATTERN, 'use lower-case letters, digits and single hyphens (e.g. senior-engineer)');

const titleSchema = z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters');

/** Optional free text: blank means "none" so forms can clear a field by emptying it. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullable()
    .transform((v) => (v === '' ? null : v))
    .optional();

const phoneSchema = optionalText(50);

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day that exists: 2027-02-30 matches the pattern but is no date. */
function isCalendarDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value && Number(m[1]) >= 1900 && Number(m[1]) <= 2199;
}

/** The first working day of a hire, `YYYY-MM-DD`; blank or null means none. */
export const startDateSchema = z
  .string()
  .trim()
  .refine((v) => v === '' || isCalendarDay(v), 'must be a date as YYYY-MM-DD')
  .nullable()
  .transform((v) => (v === '' ? null : v))
  .optional();

export const employmentTypeSchema = z
  .enum([...EMPLOYMENT_TYPES, ''], { error: `must be one of: ${EMPLOYMENT_TYPES.join(', ')}` })
  .nullable()
  .transform((v): EmploymentType | null => (v === '' ? null : v))
  .optional();

export const createJobSchema = z.strictObject({
  title: titleSchema,
  department: optionalText(200),
  location: optionalText(200),
  employment_type: employmentTypeSchema,
  slug: slugSchema.optional(),
});
export type CreateJobInput = z.infer<typeof createJobSchema>;

export const updateJobSchema = z
  .strictObject({
    title: titleSchema.optional(),
    department: optionalText(200),
    location: optionalText(200),
    employment_type: employmentTypeSchema,
    status: jobStatusSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateJobInput = z.infer<typeof updateJobSchema>;

export const createCandidateSchema = z.strictObject({
  first_name: personNameSchema,
  last_name: personNameSchema,
  email: emailSchema,
  phone: phoneSchema,
  stage: candidateStageSchema.optional(),
  start_date: startDateSchema,
});
export type CreateCandidateInput = z.infer<typeof createCandidateSchema>;

export const updateCandidateSchema = z
  .strictObject({
    first_name: personNameSchema.optional(),
    last_name: personNameSchema.optional(),
    email: emailSchema.optional(),
    phone: phoneSchema,
    stage: candidateStageSchema.optional(),
    start_date: startDateSchema,
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateCandidateInput = z.infer<typeof updateCandidateSchema>;

/** The POST body for candidates: one candidate object, or `{ candidates: [...] }`. */
export const candidatesPostBodySchema = z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });

export type BatchIssue = { index: number; path: string; message: string };

export type CandidatesPost =
  | { kind: 'one'; input: CreateCandidateInput }
  | { kind: 'batch'; items: CreateCandidateInput[] };

/**
 * Tells a single candidate from a batch and validates it. A batch is checked item by item so
 * each problem names its index, which one zod schema over the whole body cannot report.
 */
export function parseCandidatesPost(body: Record<string, unknown>): CandidatesPost {
  if (!('candidates' in body)) {
    const result = createCandidateSchema.safeParse(body);
    if (result.success) return { kind: 'one', input: result.data };
    const details = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    throw new AppError('validation_failed', details.map((d) => `${d.path}: ${d.message}`).join('; '), details);
  }
  const extra = Object.keys(body).filter((k) => k !== 'candidates');
  if (extra.length > 0) {
    const details = extra.map((path) => ({ path, message: 'is not a known field' }));
    throw new AppError('validation_failed', `unknown field(s): ${extra.join(', ')}`, details);
  }
  const { candidates } = body;
  if (!Array.isArray(candidates) || candidates.length === 0 || candidates.length > MAX_BATCH_CANDIDATES) {
    const message = Array.isArray(candidates)
      ? `must hold 1 to ${MAX_BATCH_CANDIDATES} candidates (got ${candidates.length})`
      : 'must be an array of candidates';
    throw new AppError('validation_failed', `candidates: ${message}`, [{ path: 'candidates', message }]);
  }
  const issues: BatchIssue[] = [];
  const items: CreateCandidateInput[] = [];
  const firstIndexOfEmail = new Map<string, number>();
  candidates.forEach((raw, index) => {
    const result = createCandidateSchema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        issues.push({ index, path: issue.path.map(String).join('.'), message: issue.message });
      }
      return;
    }
    const earlier = firstIndexOfEmail.get(result.data.email);
    if (earlier !== undefined) {
      issues.push({ index, path: 'email', message: `${result.data.email} is also item ${earlier} of this batch` });
      return;
    }
    firstIndexOfEmail.set(result.data.email, index);
    items.push(result.data);
  });
  if (issues.length > 0) throw batchInvalid(issues);
  return { kind: 'batch', items };
}

export function batchInvalid(issues: BatchIssue[]): AppError {
  const bad = new Set(issues.map((i) => i.index)).size;
  return new AppError(
    'validation_failed',
    `${bad} of the candidates ${bad === 1 ? 'is' : 'are'} invalid; nothing was created`,
    issues,
  );
}

export const importCandidatesSchema = z.strictObject({
  csv: z.string().min(1, 'the file is empty'),
  skip_invalid: z.boolean().optional(),
});
export type ImportCandidatesInput = z.infer<typeof importCandidatesSchema>;

/** Where a keyset page starts: the (created_at, id) of the last row of the previous page. */
export type Cursor = { ts: string; id: string };

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURSOR_TS_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

// Cursors hold only ASCII, so btoa/atob (in Node and browsers alike) are enough.
export function encodeCursor(cursor: Cursor): string {
  return btoa(JSON.stringify([cursor.ts, cursor.id]))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export function decodeCursor(value: string): Cursor | null {
  if (value.length > 200 || !/^[\w-]+$/.test(value)) return null;
  try {
    const parsed: unknown = JSON.parse(atob(value.replace(/-/g, '+').replace(/_/g, '/')));
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [ts, id] = parsed;
    if (typeof ts !== 'string' || typeof id !== 'string' || !CURSOR_TS_PATTERN.test(ts) || !isUuid(id)) return null;
    return { ts, id };
  } catch {
    return null;
  }
}

const cursorSchema = z.string().transform((value, ctx) => {
  const cursor = decodeCursor(value);
  if (!cursor) {
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this API returned' });
    return z.NEVER;
  }
  return cursor;
});

// Query values arrive as strings: accept plain digits only, so "-1", "1e9" and "abc" are refused.
const limitSchema = z
  .string()
  .regex(/^\d{1,4}$/, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
  .transform(Number)
  .pipe(
    z
      .number()
      .min(1, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
      .max(MAX_PAGE_SIZE, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`),
  )
  .default(DEFAULT_PAGE_SIZE);

const searchSchema = z
  .string()
  .trim()
  .max(200, 'must be at most 200 characters')
  .transform((v) => v || undefined)
  .optional();

/** What every list answers to: a search, a page size and where the page starts. */
const pageQuery = { q: searchSchema, limit: limitSchema, cursor: cursorSchema.optional() };

export const listJobsQuerySchema = z.strictObject({ status: jobStatusSchema.optional(), ...pageQuery });
export type ListJobsQuery = z.infer<typeof listJobsQuerySchema>;

export const listCandidatesQuerySchema = z.strictObject({ stage: candidateStageSchema.optional(), ...pageQuery });
export type ListCandidatesQuery = z.infer<typeof listCandidatesQuerySchema>;

export type StageCounts = Record<CandidateStage, number> & { total: number };

export type PublicJob = {
  id: string;
  slug: string;
  title: string;
  department: string | null;
  location: string | null;
  employment_type: EmploymentType | null;
  status: JobStatus;
  created_at: string;
  updated_at: string;
  counts: StageCounts;
};

export type PublicCandidate = {
  id: string;
  job_posting_id: string;
  job_slug: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  stage: CandidateStage;
  hired_at: string | null;
  /** `YYYY-MM-DD`: the hire's first working day, for the HR system. */
  start_date: string | null;
  created_at: string;
  updated_at: string;
};

export type Page<T> = { data: T[]; next_cursor: string | null };

export type BatchCreated = { created: number; ids: string[] };

export type RowError = { row: number; message: string };

export type ImportResult = { created: number; skipped: RowError[] };

export type { CandidateStage, EmploymentType, JobStatus };
