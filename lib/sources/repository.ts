import { sql, type Transaction } from 'kysely';
import type { Database } from '@/db/client';
import type { DB, Source, SourceHealth } from '@/db/types';
import type { CandidateRecordRow } from '@/lib/sync/delivery-repository';

type Db = Database | Transaction<DB>;

export function listSourceRows(db: Db, options: { activeOnly?: boolean } = {}): Promise<Source[]> {
  let q = db.selectFrom('sources').selectAll().where('deleted_at', 'is', null);
  if (options.activeOnly) q = q.where('is_active', '=', true);
  return q.orderBy('name').execute();
}

export function findSourceRow(db: Db, id: string): Promise<Source | undefined> {
  return db.selectFrom('sources').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

/** Workers LISTEN here to start delivering to a new or changed source at once (worker/source-events.ts). */
export const SOURCE_CHANGED_CHANNEL = 'ats_source_changed';

/** Tells the workers, when the caller's transaction commits, that a source was created or changed. */
export async function notifySourceChanged(db: Db, id: string): Promise<void> {
  await sql`select pg_notify(${SOURCE_CHANGED_CHANNEL}, ${id})`.execute(db);
}

export function findSourceRowsByIds(db: Db, ids: string[]): Promise<Source[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('sources').selectAll().where('id', 'in', ids).execute();
}

export async function recordSourceHealth(
  db: Db,
  id: string,
  health: { status: SourceHealth; error: string | null; success: boolean },
): Promise<void> {
  await db
    .updateTable('sources')
    .set((eb) => ({
      health_status: health.status,
      health_error: health.error,
      health_checked_at: new Date(),
      ...(health.success
        ? { last_success_at: new Date(), consecutive_failures: 0 }
        : { consecutive_failures: eb('consecutive_failures', '+', 1) }),
    }))
    .where('id', '=', id)
    .execute();
}

/** A hired candidate with its posting, as the source form's preview renders it. */
export type HireRow = { id: string } & CandidateRecordRow;

function hires(db: Db) {
  return db
    .selectFrom('candidates as c')
    .innerJoin('job_postings as j', 'j.id', 'c.job_posting_id')
    .select([
      'c.id',
      'c.first_name',
      'c.last_name',
      'c.email',
      'c.phone',
      'c.hired_at',
      'c.start_date',
      'j.id as job_id',
      'j.slug',
      'j.title',
      'j.department',
      'j.location',
      'j.employment_type',
    ])
    .where('c.stage', '=', 'hired');
}

/** The most recently hired candidates first (a hire without a date last). */
export function listRecentHires(db: Db, limit: number): Promise<HireRow[]> {
  return hires(db)
    .orderBy('c.hired_at', (o) => o.desc().nullsLast())
    .orderBy('c.id')
    .limit(limit)
    .execute();
}

export function findHire(db: Db, id: string): Promise<HireRow | undefined> {
  return hires(db).where('c.id', '=', id).executeTakeFirst();
}
