import { type Transaction, sql } from 'kysely';
import type { Database } from '@/db/client';
import type { Candidate, CandidateStage, DB, EmploymentType, JobPosting, JobStatus } from '@/db/types';
import type { Cursor } from './schemas';

type Db = Database | Transaction<DB>;

// Postgres keeps microseconds; a JS Date only milliseconds. The cursor carries the exact value
// so rows created in the same millisecond (every bulk insert) are neither skipped nor repeated.
const cursorTs = (column: 'j.created_at' | 'c.created_at') =>
  sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const INSERT_CHUNK = 1000;

export type Keyed<T> = T & { cursor_ts: string };

export type CandidateRow = Candidate & { job_slug: string; job_title: string };

export type NewCandidateRow = Pick<
  Candidate,
  'job_posting_id' | 'first_name' | 'last_name' | 'email' | 'phone' | 'stage' | 'hired_at' | 'start_date'
>;

/** `%`, `_` and `\` in user input are literal characters, not patterns. */
function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function findJobBySlug(db: Db, slug: string): Promise<JobPosting | undefined> {
  return db.selectFrom('job_postings').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export function listJobRows(
  db: Db,
  filter: { status?: JobStatus; q?: string; limit: number; after?: Cursor },
): Promise<Keyed<JobPosting>[]> {
  let query = db
    .selectFrom('job_postings as j')
    .selectAll('j')
    .select(cursorTs('j.created_at').as('cursor_ts'))
    .orderBy('j.created_at', 'desc')
    .orderBy('j.id', 'desc')
    .limit(filter.limit);
  if (filter.status) query = query.where('j.status', '=', filter.status);
  if (filter.q) query = query.where('j.title', 'ilike', containsPattern(filter.q));
  const after = filter.after;
  if (after) query = query.where(sql<boolean>`(j.created_at, j.id) < (${after.ts}::timestamptz, ${after.id}::uuid)`);
  return query.execute();
}

export async function countStagesByJob(
  db: Db,
  jobIds: string[],
): Promise<Map<string, Partial<Record<CandidateStage, number>>>> {
  const counts = new Map<string, Partial<Record<CandidateStage, number>>>();
  if (jobIds.length === 0) return counts;
  const rows = await db
    .selectFrom('candidates')
    .select(['job_posting_id', 'stage', (eb) => eb.fn.countAll<number>().as('n')])
    .where('job_posting_id', 'in', jobIds)
    .groupBy(['job_posting_id', 'stage'])
    .execute();
  for (const row of rows) {
    const byStage = counts.get(row.job_posting_id) ?? {};
    byStage[row.stage] = row.n;
    counts.set(row.job_posting_id, byStage);
  }
  return counts;
}

/** Slugs equal to `base` or `base-<n>`, to pick the next free suffix. */
export async function findSlugsLike(db: Db, base: string): Promise<string[]> {
  const rows = await db
    .selectFrom('job_postings')
    .select('slug')
    .where((eb) => eb.or([eb('slug', '=', base), eb('slug', '~', `^${base}-[0-9]+$`)]))
    .execute();
  return rows.map((r) => r.slug);
}

export function insertJob(
  db: Db,
  values: {
    slug: string;
    title: string;
    department: string | null;
    location: string | null;
    employment_type: EmploymentType | null;
    created_by: string | null;
  },
): Promise<JobPosting> {
  return db.insertInto('job_postings').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateJobRow(
  db: Db,
  id: string,
  values: {
    title?: string;
    department?: string | null;
    location?: string | null;
    employment_type?: EmploymentType | null;
    status?: JobStatus;
  },
): Promise<JobPosting> {
  return db
    .updateTable('job_postings')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

function selectCandidates(db: Db) {
  return db
    .selectFrom('candidates as c')
    .innerJoin('job_postings as j', 'j.id', 'c.job_posting_id')
    .selectAll('c')
    .select(['j.slug as job_slug', 'j.title as job_title']);
}

export function listCandidateRows(
  db: Db,
  jobId: string,
  filter: { stage?: CandidateStage; q?: string; limit: number; after?: Cursor },
): Promise<Keyed<CandidateRow>[]> {
  let query = selectCandidates(db)
    .select(cursorTs('c.created_at').as('cursor_ts'))
    .where('c.job_posting_id', '=', jobId)
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(filter.limit);
  if (filter.stage) query = query.where('c.stage', '=', filter.stage);
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    query = query.where((eb) =>
      eb.or([eb(sql<string>`c.first_name || ' ' || c.last_name`, 'ilike', pattern), eb('c.email', 'ilike', pattern)]),
    );
  }
  const after = filter.after;
  if (after) query = query.where(sql<boolean>`(c.created_at, c.id) < (${after.ts}::timestamptz, ${after.id}::uuid)`);
  return query.execute();
}

export function findCandidateById(
  db: Db,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<CandidateRow | undefined> {
  const query = selectCandidates(db).where('c.id', '=', id);
  return (options.forUpdate ? query.forUpdate('c') : query).executeTakeFirst();
}

export async function findExistingEmails(db: Db, jobId: string, emails: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < emails.length; i += INSERT_CHUNK) {
    const rows = await db
      .selectFrom('candidates')
      .select('email')
      .where('job_posting_id', '=', jobId)
      .where('email', 'in', emails.slice(i, i + INSERT_CHUNK))
      .execute();
    for (const row of rows) found.add(row.email);
  }
  return found;
}

export async function insertCandidates(db: Db, rows: NewCandidateRow[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const inserted = await db
      .insertInto('candidates')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .returning('id')
      .execute();
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

export async function updateCandidateRow(
  db: Db,
  id: string,
  values: Partial<Omit<NewCandidateRow, 'job_posting_id'>> & { updated_at: Date },
): Promise<void> {
  await db.updateTable('candidates').set(values).where('id', '=', id).execute();
}

export async function deleteCandidateRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('candidates').where('id', '=', id).execute();
}
