import type { Transaction } from 'kysely';
import type { Database } from '@/db/client';
import type { CandidateStage, DB, JobPosting } from '@/db/types';
import { type AuditInput, recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { Actor } from '@/lib/auth/actor';
import { AppError, isUniqueViolation } from '@/lib/errors';
import { getSender } from '@/lib/queue/sender';
import { followCandidates } from '@/lib/sync/follow';
import { CsvSyntaxError, readCandidateCsv } from './csv';
import {
  type CandidateRow,
  countStagesByJob,
  deleteCandidateRow,
  findCandidateById,
  findExistingEmails,
  findJobBySlug,
  findSlugsLike,
  insertCandidates,
  insertJob,
  type Keyed,
  listCandidateRows,
  listJobRows,
  type NewCandidateRow,
  updateCandidateRow,
  updateJobRow,
} from './repository';
import {
  type BatchCreated,
  CANDIDATE_STAGES,
  type CreateCandidateInput,
  type CreateJobInput,
  encodeCursor,
  type ImportCandidatesInput,
  type ImportResult,
  batchInvalid,
  type BatchIssue,
  isUuid,
  type ListCandidatesQuery,
  type ListJobsQuery,
  type Page,
  type PublicCandidate,
  type PublicJob,
  SLUG_MAX,
  SLUG_PATTERN,
  type StageCounts,
  type UpdateCandidateInput,
  type UpdateJobInput,
} from './schemas';

type Tx = Transaction<DB>;

const CANDIDATE_EMAIL_KEY = 'candidates_posting_email_key';
const JOB_SLUG_KEY = 'job_postings_slug_key';

function toCounts(byStage: Partial<Record<CandidateStage, number>> = {}): StageCounts {
  const counts = { total: 0 } as StageCounts;
  for (const stage of CANDIDATE_STAGES) {
    counts[stage] = byStage[stage] ?? 0;
    counts.total += counts[stage];
  }
  return counts;
}

function toPublicJob(job: JobPosting, counts: StageCounts): PublicJob {
  return {
    id: job.id,
    slug: job.slug,
    title: job.title,
    department: job.department,
    location: job.location,
    employment_type: job.employment_type,
    status: job.status,
    created_at: job.created_at.toISOString(),
    updated_at: job.updated_at.toISOString(),
    counts,
  };
}

function toPublicCandidate(c: CandidateRow): PublicCandidate {
  return {
    id: c.id,
    job_posting_id: c.job_posting_id,
    job_slug: c.job_slug,
    first_name: c.first_name,
    last_name: c.last_name,
    email: c.email,
    phone: c.phone,
    stage: c.stage,
    hired_at: c.hired_at?.toISOString() ?? null,
    start_date: c.start_date,
    created_at: c.created_at.toISOString(),
    updated_at: c.updated_at.toISOString(),
  };
}

/** Fetches one more row than asked to know whether another page follows. */
function toPage<R, T>(rows: Keyed<R & { id: string }>[], limit: number, map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return {
    data: page.map(map),
    next_cursor: more && last ? encodeCursor({ ts: last.cursor_ts, id: last.id }) : null,
  };
}

/** Anything that is not a well-formed slug cannot name a posting, so it is simply not found. */
async function getJobOrThrow(db: Database | Tx, slug: string): Promise<JobPosting> {
  const job = SLUG_PATTERN.test(slug) && slug.length <= SLUG_MAX ? await findJobBySlug(db, slug) : undefined;
  if (!job) throw new AppError('job_not_found', `no job posting with slug "${slug.slice(0, 100)}"`);
  return job;
}

async function getCandidateOrThrow(db: Database | Tx, id: string, forUpdate = false): Promise<CandidateRow> {
  const candidate = isUuid(id) ? await findCandidateById(db, id, { forUpdate }) : undefined;
  if (!candidate) throw new AppError('candidate_not_found', 'candidate not found');
  return candidate;
}

// Hiring goes on after a posting closes (offers out, people start), so only new applicants are refused.
function requireOpen(job: JobPosting): void {
  if (job.status === 'closed') {
    throw new AppError('invalid_state', `the posting "${job.slug}" is closed; reopen it to add candidates`);
  }
}

export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX - 10)
    .replace(/-+$/, '');
  return slug || 'job';
}

function nextFreeSlug(base: string, taken: string[]): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

export async function listJobs(db: Database, _actor: Actor, query: ListJobsQuery): Promise<Page<PublicJob>> {
  const rows = await listJobRows(db, { status: query.status, q: query.q, limit: query.limit + 1, after: query.cursor });
  const counts = await countStagesByJob(
    db,
    rows.slice(0, query.limit).map((r) => r.id),
  );
  return toPage(rows, query.limit, (job: JobPosting) => toPublicJob(job, toCounts(counts.get(job.id))));
}

export async function getJob(db: Database, _actor: Actor, slug: string): Promise<PublicJob> {
  const job = await getJobOrThrow(db, slug);
  const counts = await countStagesByJob(db, [job.id]);
  return toPublicJob(job, toCounts(counts.get(job.id)));
}

export async function createJob(db: Database, actor: Actor, input: CreateJobInput): Promise<PublicJob> {
  // A generated slug can lose a race to a concurrent posting with the same title: try the next one.
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        const slug = input.slug ?? nextFreeSlug(slugify(input.title), await findSlugsLike(trx, slugify(input.title)));
        const job = await insertJob(trx, {
          slug,
          title: input.title,
          department: input.department ?? null,
          location: input.location ?? null,
          employment_type: input.employment_type ?? null,
          created_by: actor.kind === 'user' ? actor.id : null,
        });
        await recordAuditEvent(trx, {
          actor,
          action: 'job.created',
          targetType: 'job_posting',
          targetId: job.id,
          details: { slug: job.slug, title: job.title },
        });
        return toPublicJob(job, toCounts());
      });
    } catch (err) {
      if (!isUniqueViolation(err, JOB_SLUG_KEY)) throw err;
      if (input.slug) throw new AppError('slug_taken', `the slug "${input.slug}" is already used by another posting`);
      if (attempt >= 3) throw new AppError('conflict', 'could not pick a free slug; try again');
    }
  }
}

export async function updateJob(db: Database, actor: Actor, slug: string, input: UpdateJobInput): Promise<PublicJob> {
  return db.transaction().execute(async (trx) => {
    const before = await getJobOrThrow(trx, slug);
    const after = await updateJobRow(trx, before.id, input);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of ['title', 'department', 'location', 'employment_type', 'status'] as const) {
      if (input[key] !== undefined && before[key] !== after[key]) changes[key] = { from: before[key], to: after[key] };
    }
    if (Object.keys(changes).length > 0) {
      await recordAuditEvent(trx, {
        actor,
        action: 'job.updated',
        targetType: 'job_posting',
        targetId: after.id,
        details: { slug: after.slug, changes },
      });
      // The posting's fields are part of every hire's record: its hires follow the change.
      if (Object.keys(changes).some((k) => k !== 'status')) await followCandidates(trx, getSender, after.id, 'hired');
    }
    const counts = await countStagesByJob(trx, [after.id]);
    return toPublicJob(after, toCounts(counts.get(after.id)));
  });
}

export async function listCandidates(
  db: Database,
  _actor: Actor,
  slug: string,
  query: ListCandidatesQuery,
): Promise<Page<PublicCandidate>> {
  const job = await getJobOrThrow(db, slug);
  const rows = await listCandidateRows(db, job.id, {
    stage: query.stage,
    q: query.q,
    limit: query.limit + 1,
    after: query.cursor,
  });
  return toPage(rows, query.limit, toPublicCandidate);
}

export async function getCandidate(db: Database, _actor: Actor, id: string): Promise<PublicCandidate> {
  return toPublicCandidate(await getCandidateOrThrow(db, id));
}

function newCandidateRow(jobId: string, input: CreateCandidateInput, now: Date): NewCandidateRow {
  const stage = input.stage ?? 'applied';
  return {
    job_posting_id: jobId,
    first_name: input.first_name,
    last_name: input.last_name,
    email: input.email,
    phone: input.phone ?? null,
    stage,
    hired_at: stage === 'hired' ? now : null,
    start_date: input.start_date ?? null,
  };
}

type AddPlan<T> = {
  items: CreateCandidateInput[];
  audit: (ids: string[]) => Omit<AuditInput, 'actor'>;
  result: (trx: Tx, ids: string[]) => Promise<T> | T;
};

/**
 * The one way candidates are added: to an open posting, in one transaction, with one audit
 * event. `plan` sees which of the emails the posting already has and says what to insert, or
 * throws to refuse the whole request.
 */
async function addCandidates<T>(
  db: Database,
  actor: Actor,
  slug: string,
  emails: string[],
  plan: (job: JobPosting, existing: Set<string>) => AddPlan<T>,
): Promise<T> {
  try {
    return await db.transaction().execute(async (trx) => {
      const job = await getJobOrThrow(trx, slug);
      requireOpen(job);
      const { items, audit, result } = plan(job, await findExistingEmails(trx, job.id, emails));
      const now = new Date();
      const rows = items.map((item) => newCandidateRow(job.id, item, now));
      const ids = await insertCandidates(trx, rows);
      await recordAuditEvent(trx, { actor, ...audit(ids) });
      // Added as hired (one, a batch, a CSV import): synced on hire with the same commit.
      await followCandidates(
        trx,
        getSender,
        job.id,
        ids.filter((_, i) => rows[i].stage === 'hired'),
      );
      return result(trx, ids);
    });
  } catch (err) {
    // Only when someone added the same email between our check and our insert.
    if (isUniqueViolation(err, CANDIDATE_EMAIL_KEY)) {
      throw new AppError('duplicate_candidate', 'a candidate with one of these emails was just added; try again');
    }
    throw err;
  }
}

const alreadyCandidate = (email: string) => `${email} is already a candidate for this posting`;

export async function createCandidate(
  db: Database,
  actor: Actor,
  slug: string,
  input: CreateCandidateInput,
): Promise<PublicCandidate> {
  return addCandidates(db, actor, slug, [input.email], (job, existing) => {
    if (existing.has(input.email)) throw new AppError('duplicate_candidate', alreadyCandidate(input.email));
    return {
      items: [input],
      audit: ([id]) => ({
        action: 'candidate.created',
        targetType: 'candidate',
        targetId: id,
        details: { job_slug: job.slug, email: input.email, stage: input.stage ?? 'applied' },
      }),
      result: async (trx, [id]) => toPublicCandidate(await getCandidateOrThrow(trx, id)),
    };
  });
}

/** All or nothing: one bad or duplicate item and no candidate is created. */
export async function createCandidates(
  db: Database,
  actor: Actor,
  slug: string,
  items: CreateCandidateInput[],
): Promise<BatchCreated> {
  const emails = items.map((i) => i.email);
  return addCandidates(db, actor, slug, emails, (job, existing) => {
    const issues: BatchIssue[] = items.flatMap((item, index) =>
      existing.has(item.email) ? [{ index, path: 'email', message: alreadyCandidate(item.email) }] : [],
    );
    if (issues.length > 0) throw batchInvalid(issues);
    return {
      items,
      audit: (ids) => ({
        action: 'candidate.created',
        targetType: 'job_posting',
        targetId: job.id,
        details: { job_slug: job.slug, count: ids.length, batch: true },
      }),
      result: (_trx, ids) => ({ created: ids.length, ids }),
    };
  });
}

/**
 * Imports a CSV file. With errors and without skip_invalid nothing is imported and every bad
 * row is listed; with skip_invalid the good rows go in and the bad ones come back as skipped.
 * When no row is good, it is no_valid_rows either way.
 */
export async function importCandidates(
  db: Database,
  actor: Actor,
  slug: string,
  input: ImportCandidatesInput,
): Promise<ImportResult> {
  let parsed: ReturnType<typeof readCandidateCsv>;
  try {
    parsed = readCandidateCsv(input.csv);
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    await getJobOrThrow(db, slug);
    // The file as a whole is unusable, so the problem belongs to the csv field, not to a row to skip.
    const message = `row ${err.row}: ${err.message}`;
    throw new AppError('validation_failed', `csv: ${message}`, [{ path: 'csv', message }]);
  }
  const emails = parsed.rows.map((r) => r.input.email);
  return addCandidates(db, actor, slug, emails, (job, existing) => {
    const errors = [...parsed.errors];
    const good = parsed.rows.filter((r) => {
      if (!existing.has(r.input.email)) return true;
      errors.push({ row: r.row, message: `email: ${alreadyCandidate(r.input.email)}` });
      return false;
    });
    errors.sort((a, b) => a.row - b.row);
    // Skipping every row would import nothing: say so instead of offering (or answering) a skip.
    if (good.length === 0) {
      throw new AppError(
        'no_valid_rows',
        `${errors.length === 1 ? 'the only row has' : `all ${errors.length} rows have`} errors; nothing can be imported`,
        errors,
      );
    }
    if (errors.length > 0 && !input.skip_invalid) {
      throw new AppError(
        'validation_failed',
        `${errors.length} ${errors.length === 1 ? 'row has' : 'rows have'} errors; nothing was imported`,
        errors,
      );
    }
    return {
      items: good.map((r) => r.input),
      audit: (ids) => ({
        action: 'candidate.imported',
        targetType: 'job_posting',
        targetId: job.id,
        details: { job_slug: job.slug, count: ids.length, skipped: errors.length },
      }),
      result: (_trx, ids) => ({ created: ids.length, skipped: errors }),
    };
  });
}

export async function updateCandidate(
  db: Database,
  actor: Actor,
  id: string,
  input: UpdateCandidateInput,
): Promise<PublicCandidate> {
  try {
    return await db.transaction().execute(async (trx) => {
      const before = await getCandidateOrThrow(trx, id, true);
      const now = new Date();
      const stage = input.stage ?? before.stage;
      // Hiring again keeps the first hire date; leaving "hired" forgets it (the table demands both).
      const hired_at = stage === 'hired' ? (before.hired_at ?? now) : null;
      await updateCandidateRow(trx, before.id, { ...input, hired_at, updated_at: now });
      const after = await getCandidateOrThrow(trx, before.id);
      const audit = { actor, targetType: 'candidate', targetId: after.id } as const;
      if (after.stage !== before.stage) {
        await recordAuditEvent(trx, {
          ...audit,
          action: 'candidate.stage_changed',
          details: {
            job_slug: after.job_slug,
            email: after.email,
            from: before.stage,
            to: after.stage,
            hired_at: { from: before.hired_at?.toISOString() ?? null, to: after.hired_at?.toISOString() ?? null },
          },
        });
      }
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of ['first_name', 'last_name', 'email', 'phone', 'start_date'] as const) {
        if (input[key] !== undefined && before[key] !== after[key])
          changes[key] = { from: before[key], to: after[key] };
      }
      if (Object.keys(changes).length > 0) {
        await recordAuditEvent(trx, {
          ...audit,
          action: 'candidate.updated',
          details: { job_slug: after.job_slug, email: after.email, changes },
        });
      }
      // Hired, no longer hired, or a hire edited: followed at the auto sources, with the same commit.
      const hiredChanged = (after.stage === 'hired') !== (before.stage === 'hired');
      if (hiredChanged || (after.stage === 'hired' && Object.keys(changes).length > 0)) {
        await followCandidates(trx, getSender, after.job_posting_id, [after.id]);
      }
      return toPublicCandidate(after);
    });
  } catch (err) {
    if (isUniqueViolation(err, CANDIDATE_EMAIL_KEY)) {
      throw new AppError('duplicate_candidate', alreadyCandidate(input.email ?? ''));
    }
    throw err;
  }
}

export async function deleteCandidate(db: Database, actor: Actor, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const candidate = await getCandidateOrThrow(trx, id, true);
    await deleteCandidateRow(trx, candidate.id);
    await recordAuditEvent(trx, {
      actor,
      action: 'candidate.deleted',
      targetType: 'candidate',
      targetId: candidate.id,
      details: {
        job_slug: candidate.job_slug,
        email: candidate.email,
        name: `${candidate.first_name} ${candidate.last_name}`,
        stage: candidate.stage,
      },
    });
  });
}
