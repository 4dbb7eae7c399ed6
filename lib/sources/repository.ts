import { sql, type Transaction } from 'kysely';
import type { Database } from '@/db/client';
import type { DB, Source, SourceHealth } from '@/db/types';

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
