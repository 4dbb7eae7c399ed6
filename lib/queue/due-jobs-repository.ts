import { sql } from 'kysely';
import type { Database } from '@/db/client';

/**
 * Which of the given pg-boss queues hold a job that may start now (created or retry, its
 * start_after reached). One statement for all of a worker's delivery queues, each name an index
 * probe on pg-boss's partial index of waiting jobs.
 */
export async function findQueuesWithDueJobs(db: Database, schema: string, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const { rows } = await sql<{ name: string }>`
    select q.name from unnest(${names}::text[]) as q(name)
    where exists (
      select 1 from ${sql.table(`${schema}.job`)} j
      where j.name = q.name and j.state in ('created', 'retry') and not j.blocked and j.start_after <= now()
    )
  `.execute(db);
  return rows.map((r) => r.name);
}
