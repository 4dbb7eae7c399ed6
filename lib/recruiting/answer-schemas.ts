import { z } from 'zod';
import { type Same, shapes } from '@/lib/api/openapi/same-shape';
import {
  type BatchCreated,
  CANDIDATE_STAGES,
  EMPLOYMENT_TYPES,
  type ImportResult,
  JOB_STATUSES,
  type Page,
  type PublicCandidate,
  type PublicJob,
} from './schemas';

// The answers of the jobs and candidates API as zod schemas, for the OpenAPI document (lib/api/openapi/recruiting.ts).
const count = z.number().int();

export const publicJobSchema = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    slug: z.string().meta({ example: 'senior-engineer' }),
    title: z.string(),
    department: z.string().nullable(),
    location: z.string().nullable(),
    employment_type: z.enum(EMPLOYMENT_TYPES).nullable(),
    status: z.enum(JOB_STATUSES),
    created_at: z.string(),
    updated_at: z.string(),
    counts: z.object({
      applied: count,
      screening: count,
      interview: count,
      offer: count,
      hired: count,
      rejected: count,
      total: count,
    }),
  })
  .meta({ id: 'Job' });
shapes<Same<z.output<typeof publicJobSchema>, PublicJob>>();

export const publicCandidateSchema = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    job_posting_id: z.string(),
    job_slug: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    stage: z.enum(CANDIDATE_STAGES),
    hired_at: z.string().nullable(),
    start_date: z.string().nullable().meta({ description: 'YYYY-MM-DD: the first working day.' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Candidate' });
shapes<Same<z.output<typeof publicCandidateSchema>, PublicCandidate>>();

const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      data: z.array(item),
      next_cursor: z
        .string()
        .nullable()
        .meta({ description: 'Send as `cursor` for the next page; null: the last page.' }),
    })
    .meta({ id });

export const jobPageSchema = pageOf(publicJobSchema, 'JobPage');
shapes<Same<z.output<typeof jobPageSchema>, Page<PublicJob>>>();
export const candidatePageSchema = pageOf(publicCandidateSchema, 'CandidatePage');

export const batchCreatedSchema = z.object({ created: count, ids: z.array(z.string()) }).meta({ id: 'BatchCreated' });
shapes<Same<z.output<typeof batchCreatedSchema>, BatchCreated>>();

export const importResultSchema = z
  .object({ created: count, skipped: z.array(z.object({ row: count, message: z.string() })) })
  .meta({ id: 'ImportResult' });
shapes<Same<z.output<typeof importResultSchema>, ImportResult>>();
