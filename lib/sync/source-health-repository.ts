import { type Transaction, sql } from 'kysely';
import type { DB, SourceHealth } from '@/db/types';

type Trx = Transaction<DB>;

/** Marks the source healthy, unless it is so already and was confirmed in the last 5 seconds. */
export async function confirmSourceHealthy(trx: Trx, sourceId: string): Promise<void> {
  await trx
    .updateTable('sources')
    .set({
      health_status: 'healthy',
      health_error: null,
      health_checked_at: new Date(),
      last_success_at: new Date(),
      consecutive_failures: 0,
    })
    .where('id', '=', sourceId)
    // Healthy and recently confirmed: leave the row alone rather than queue on its lock every batch.
    .where((eb) =>
      eb.or([
        eb('health_status', '!=', 'healthy'),
        eb('consecutive_failures', '!=', 0),
        eb('last_success_at', 'is', null),
        eb('last_success_at', '<', sql<Date>`now() - interval '5 seconds'`),
      ]),
    )
    .execute();
}

export type HealthAfterFailures = {
  previous: SourceHealth;
  name: string;
  health_status: SourceHealth;
  health_error: string | null;
  consecutive_failures: number;
};

/**
 * Counts failed attempts; the source turns `status` once `unhealthyAfter` consecutive failures are
 * reached, or at once when `immediate` (see healthAfterBatch). Returns its health before and after.
 */
export async function addSourceFailures(
  trx: Trx,
  sourceId: string,
  change: { failures: number; status: SourceHealth; immediate: boolean; lastError: string | null },
  unhealthyAfter: number,
): Promise<HealthAfterFailures | undefined> {
  const { rows } = await sql<HealthAfterFailures>`
    -- NO KEY UPDATE, not UPDATE: the candidate_sync_state rows this transaction inserted hold KEY
    -- SHARE locks on this source (their foreign key), and so may a concurrent batch's; FOR UPDATE
    -- would conflict with those and deadlock two batches of the same source.
    with prev as (select health_status as previous from sources where id = ${sourceId} for no key update)
    update sources set
      consecutive_failures = consecutive_failures + ${change.failures},
      health_checked_at = now(),
      health_error = ${change.lastError},
      health_status = case when ${change.immediate} or consecutive_failures + ${change.failures} >= ${unhealthyAfter}
                           then ${change.status} else health_status end
    from prev
    where id = ${sourceId}
    returning prev.previous, sources.name, sources.health_status, sources.health_error, sources.consecutive_failures
  `.execute(trx);
  return rows[0];
}
