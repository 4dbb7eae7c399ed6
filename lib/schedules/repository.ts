import { type Insertable, type Transaction, type Updateable, sql } from 'kysely';
import type { Database } from '@/db/client';
import type { DB, SyncSchedule, SyncSchedulesTable } from '@/db/types';

type Db = Database | Transaction<DB>;

export type ScheduleRow = SyncSchedule & {
  job_slug: string | null;
  job_title: string | null;
  job_status: string | null;
  creator_name: string | null;
};

function selectSchedules(db: Db) {
  return db
    .selectFrom('sync_schedules as s')
    .leftJoin('job_postings as j', 'j.id', 's.job_posting_id')
    .leftJoin('users as u', 'u.id', 's.created_by')
    .selectAll('s')
    .select(['j.slug as job_slug', 'j.title as job_title', 'j.status as job_status', 'u.name as creator_name']);
}

export function listScheduleRows(db: Db): Promise<ScheduleRow[]> {
  return selectSchedules(db).orderBy(sql`lower(s.name)`).execute();
}

export function findScheduleRow(db: Db, id: string): Promise<ScheduleRow | undefined> {
  return selectSchedules(db).where('s.id', '=', id).executeTakeFirst();
}

export function lockScheduleRow(trx: Transaction<DB>, id: string): Promise<SyncSchedule | undefined> {
  return trx.selectFrom('sync_schedules').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listEnabledScheduleRows(db: Db): Promise<SyncSchedule[]> {
  return db.selectFrom('sync_schedules').selectAll().where('is_enabled', '=', true).execute();
}

export function insertScheduleRow(db: Db, values: Insertable<SyncSchedulesTable>): Promise<SyncSchedule> {
  return db.insertInto('sync_schedules').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateScheduleRow(
  db: Db,
  id: string,
  values: Updateable<SyncSchedulesTable>,
): Promise<SyncSchedule | undefined> {
  return db
    .updateTable('sync_schedules')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export function deleteScheduleRow(db: Db, id: string): Promise<SyncSchedule | undefined> {
  return db.deleteFrom('sync_schedules').where('id', '=', id).returningAll().executeTakeFirst();
}

export async function recordScheduleRun(db: Db, id: string, outcome: { error: string | null }): Promise<void> {
  await db
    .updateTable('sync_schedules')
    .set({ last_run_at: new Date(), last_error: outcome.error })
    .where('id', '=', id)
    .execute();
}

/** Open postings with at least one hired candidate, oldest first: what an all_open schedule syncs. */
export async function listOpenPostingSlugsWithHired(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('job_postings as j')
    .select('j.slug')
    .where('j.status', '=', 'open')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('candidates as c')
          .select(sql`1`.as('one'))
          .whereRef('c.job_posting_id', '=', 'j.id')
          .where('c.stage', '=', 'hired'),
      ),
    )
    .orderBy('j.created_at')
    .execute();
  return rows.map((r) => r.slug);
}

/** The latest runs each schedule started, newest first, at most `perSchedule` each. */
export async function findRecentRunsBySchedule(db: Db, scheduleIds: string[], perSchedule: number) {
  if (scheduleIds.length === 0) return [];
  return db
    .selectFrom((eb) =>
      eb
        .selectFrom('sync_runs as r')
        .innerJoin('job_postings as j', 'j.id', 'r.job_posting_id')
        .select([
          'r.id',
          'r.schedule_id',
          'r.status',
          'r.created_at',
          'j.slug as job_slug',
          'j.title as job_title',
          sql<number>`row_number() over (partition by r.schedule_id order by r.created_at desc, r.id desc)`.as('n'),
        ])
        .where('r.schedule_id', 'in', scheduleIds)
        .as('ranked'),
    )
    .selectAll()
    .where('n', '<=', perSchedule)
    .orderBy('created_at', 'desc')
    .execute();
}
