import { z } from 'zod';
import {
  batchCreatedSchema,
  candidatePageSchema,
  importResultSchema,
  jobPageSchema,
  publicCandidateSchema,
  publicJobSchema,
} from '@/lib/recruiting/answer-schemas';
import {
  createCandidateSchema,
  createJobSchema,
  importCandidatesSchema,
  listCandidatesQuerySchema,
  listJobsQuerySchema,
  MAX_BATCH_CANDIDATES,
  updateCandidateSchema,
  updateJobSchema,
} from '@/lib/recruiting/schemas';
import type { OperationSpec, PathSpecs } from './operation';
import { slugParams } from './params';

const common = { access: 'user', tags: ['Jobs and candidates'] } as const satisfies Partial<OperationSpec>;
const candidateParams = z.object({ id: z.string().meta({ format: 'uuid' }) });

// The route reads any JSON object and tells one candidate from a batch itself (parseCandidatesPost),
// so that a batch's problems name their index; this is the body it accepts.
const candidatesPostDocSchema = z.union([
  createCandidateSchema,
  z.strictObject({ candidates: z.array(createCandidateSchema).min(1).max(MAX_BATCH_CANDIDATES) }),
]);

export const recruitingPaths: PathSpecs = {
  '/api/v1/jobs': {
    get: {
      ...common,
      operationId: 'listJobs',
      summary: 'List job postings',
      query: listJobsQuerySchema,
      queryExamples: { open: { summary: 'Open postings, 10 a page', value: { status: 'open', limit: '10' } } },
      answers: { 200: { description: 'A page of postings, newest first.', schema: jobPageSchema } },
    },
    post: {
      ...common,
      operationId: 'createJob',
      summary: 'Create a job posting',
      body: createJobSchema,
      bodyExamples: {
        engineer: {
          summary: 'A posting',
          value: {
            title: 'Platform Engineer',
            department: 'Engineering',
            location: 'Berlin',
            employment_type: 'full_time',
          },
        },
      },
      answers: { 201: { description: 'Created.', schema: publicJobSchema } },
      errors: ['slug_taken'],
    },
  },
  '/api/v1/jobs/{slug}': {
    get: {
      ...common,
      operationId: 'getJob',
      summary: 'Get a job posting',
      params: slugParams,
      answers: { 200: { description: 'The posting with its stage counts.', schema: publicJobSchema } },
      errors: ['job_not_found'],
    },
    patch: {
      ...common,
      operationId: 'updateJob',
      summary: 'Change or close a job posting',
      params: slugParams,
      body: updateJobSchema,
      bodyExamples: { location: { summary: 'Move it', value: { location: 'Remote (EU)' } } },
      answers: { 200: { description: 'The posting now.', schema: publicJobSchema } },
      errors: ['job_not_found', 'conflict', 'invalid_state'],
    },
  },
  '/api/v1/jobs/{slug}/candidates': {
    get: {
      ...common,
      operationId: 'listCandidates',
      summary: "List a posting's candidates",
      params: slugParams,
      query: listCandidatesQuerySchema,
      queryExamples: { hired: { summary: 'The hired ones', value: { stage: 'hired' } } },
      answers: { 200: { description: 'A page of candidates, newest first.', schema: candidatePageSchema } },
      errors: ['job_not_found'],
    },
    post: {
      ...common,
      operationId: 'createCandidates',
      summary: 'Add a candidate, or up to 1,000 at once',
      description:
        'One candidate object, or `{ "candidates": [ … ] }`. A batch is all or nothing: its problems name their index ' +
        '(`details: [{ index, path, message }]`). A candidate created as `hired` starts a sync on sources that follow hires.',
      params: slugParams,
      body: candidatesPostDocSchema,
      bodyExamples: {
        one: {
          summary: 'One candidate',
          value: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', stage: 'interview' },
        },
        batch: {
          summary: 'A batch',
          value: {
            candidates: [
              { first_name: 'Grace', last_name: 'Hopper', email: 'grace@example.com' },
              { first_name: 'Alan', last_name: 'Turing', email: 'alan@example.com', stage: 'offer' },
            ],
          },
        },
      },
      answers: {
        201: {
          description: 'The candidate (one), or `{ created, ids }` (a batch).',
          schema: z.union([publicCandidateSchema, batchCreatedSchema]),
        },
      },
      errors: ['job_not_found', 'duplicate_candidate', 'invalid_state'],
    },
  },
  '/api/v1/jobs/{slug}/candidates/import': {
    post: {
      ...common,
      operationId: 'importCandidates',
      summary: 'Import candidates from CSV',
      description:
        'Columns first_name, last_name, email, phone, stage, start_date. With `skip_invalid`, bad rows are skipped and reported.',
      params: slugParams,
      body: importCandidatesSchema,
      bodyExamples: {
        csv: {
          summary: 'Two rows',
          value: {
            csv: 'first_name,last_name,email\nKatherine,Johnson,katherine@example.com\nDorothy,Vaughan,dorothy@example.com\n',
            skip_invalid: true,
          },
        },
      },
      answers: { 201: { description: 'What was created and skipped.', schema: importResultSchema } },
      errors: ['job_not_found', 'no_valid_rows', 'duplicate_candidate', 'invalid_state'],
    },
  },
  '/api/v1/candidates/{id}': {
    get: {
      ...common,
      operationId: 'getCandidate',
      summary: 'Get a candidate',
      params: candidateParams,
      answers: { 200: { description: 'The candidate.', schema: publicCandidateSchema } },
      errors: ['candidate_not_found'],
    },
    patch: {
      ...common,
      operationId: 'updateCandidate',
      summary: 'Change a candidate (hire them: `stage: "hired"`)',
      description: 'Moving a candidate to `hired` (or away from it) is sent at once to the sources that follow hires.',
      params: candidateParams,
      body: updateCandidateSchema,
      bodyExamples: {
        hire: { summary: 'Hire, with a first working day', value: { stage: 'hired', start_date: '2027-01-04' } },
      },
      answers: { 200: { description: 'The candidate now.', schema: publicCandidateSchema } },
      errors: ['candidate_not_found', 'duplicate_candidate', 'conflict', 'invalid_state'],
    },
    delete: {
      ...common,
      operationId: 'deleteCandidate',
      summary: 'Delete a candidate',
      params: candidateParams,
      answers: { 204: { description: 'Deleted.' } },
      errors: ['candidate_not_found', 'invalid_state'],
    },
  },
};
