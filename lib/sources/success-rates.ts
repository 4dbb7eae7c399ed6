import { sql } from 'kysely';
import type { Database } from '@/db/client';

export type SuccessRate = { succeeded: number; failed: number };

/**
 * Finished deliveries per source over the last `days`, for the sources page. Reached through the
 * runs of the period (indexed by created_at), so history older than that is never scanned.
 */
export async function findSourceSuccessRates(db: Database, days = 7): Promise<Record<string, SuccessRate>> {
  const rows = await db
    .selectFrom('sync_runs as r')
    .innerJoin('sync_deliveries as d', 'd.run_id', 'r.id')
    .select([
      'd.source_id',
      sql<number>`count(*) filter (where d.status = 'succeeded')`.as('succeeded'),
      sql<number>`count(*) filter (where d.status = 'failed')`.as('failed'),
    ])
    .where('r.created_at', '>=', sql<Date>`now() - make_interval(days => ${days})`)
    .where('d.status', 'in', ['succeeded', 'failed'])
    .groupBy('d.source_id')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.source_id, { succeeded: r.succeeded, failed: r.failed }]));
}
