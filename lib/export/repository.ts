import type { Transaction } from 'kysely';
import type { Database } from '@/db/client';
import type { DB } from '@/db/types';
import { type DeliveryListRow, selectDeliveryRows } from '@/lib/sync-admin/repository';

type Db = Database | Transaction<DB>;

/** The sources a run delivered to, by name: the export's outer order. */
export function listRunSourcesByName(
  db: Db,
  runId: string,
  sourceId?: string,
): Promise<{ id: string; name: string }[]> {
  let query = db
    .selectFrom('sources as s')
    .select(['s.id', 's.name'])
    .where('s.id', 'in', (eb) =>
      eb.selectFrom('sync_deliveries as d').select('d.source_id').distinct().where('d.run_id', '=', runId),
    )
    .orderBy('s.name')
    .orderBy('s.id');
  if (sourceId) query = query.where('s.id', '=', sourceId);
  return query.execute();
}

/**
 * One page of a run's deliveries to one source, by candidate id after `afterCandidate`: keyset on
 * the (run_id, source_id, candidate_id) unique index, so each page costs the same however deep it
 * is. The list's order (candidate names) would sort every delivery of the run again for each page.
 */
export function listSourceDeliveryPage(
  db: Db,
  runId: string,
  sourceId: string,
  page: { statuses?: string[]; afterCandidate?: string; limit: number },
): Promise<DeliveryListRow[]> {
  let query = selectDeliveryRows(db, runId, page.statuses)
    .where('d.source_id', '=', sourceId)
    .orderBy('d.candidate_id')
    .limit(page.limit);
  if (page.afterCandidate) query = query.where('d.candidate_id', '>', page.afterCandidate);
  return query.execute();
}
