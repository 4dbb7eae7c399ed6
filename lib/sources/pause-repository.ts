import { sql, type Transaction } from 'kysely';
import type { Database } from '@/db/client';
import type { DB } from '@/db/types';
import { pauseEnd } from '@/lib/sync/limits-repository';
import type { SourcePauseState } from './schemas';

type Db = Database | Transaction<DB>;

/** The pauses in force of the given sources, by source id. */
export async function findSourcePauseStates(db: Db, ids: string[]): Promise<Map<string, SourcePauseState>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('source_pauses')
    .select(['source_id', 'kind', 'reason', 'created_at', 'paused_until', 'http_status', 'paused_by'])
    .where('source_id', 'in', ids)
    .where('paused_until', '>', sql<Date>`now()`)
    .execute();
  return new Map(
    rows.map((r) => {
      const until = pauseEnd(r.paused_until as Date | number);
      return [
        r.source_id,
        {
          kind: r.kind,
          reason: r.reason,
          since: r.created_at.toISOString(),
          until: r.kind === 'retry_after' && until ? until.toISOString() : null,
          http_status: r.http_status,
          paused_by: r.paused_by,
        },
      ];
    }),
  );
}
