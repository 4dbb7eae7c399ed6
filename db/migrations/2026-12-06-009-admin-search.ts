import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // The tasks list filtered by a source: the runs that delivered to it, found from the source rather
  // than by probing every run (a source few or no runs used would walk them all).
  await db.schema
    .createIndex('sync_deliveries_source_run_idx')
    .on('sync_deliveries')
    .columns(['source_id', 'run_id'])
    .execute();
  // ... and the runs that asked for it before they fanned out. A column that never changes, so the
  // engine's counter updates of a run stay HOT.
  await sql`create index sync_runs_source_ids_idx on sync_runs using gin (source_ids)`.execute(db);
  // The slowest deliveries of a period, read from the top of the durations down rather than sorting
  // every delivery of the period.
  await sql`
    create index sync_deliveries_slowest_idx on sync_deliveries (duration_ms desc, created_at) include (source_id)
    where status in ('succeeded', 'failed') and duration_ms is not null
  `.execute(db);
  // Email fragments (`q` of the tasks list) through trigrams. pg_trgm is a trusted extension shipped
  // with PostgreSQL's contrib; where it is missing the search still works, reading every candidate.
  await sql`
    do $$ begin
      create extension if not exists pg_trgm;
    exception when others then
      raise notice 'pg_trgm is not available (%): email search reads every candidate', sqlerrm;
    end $$
  `.execute(db);
  const trgm = await sql<{
    ok: boolean;
  }>`select exists (select 1 from pg_extension where extname = 'pg_trgm') as ok`.execute(db);
  if (trgm.rows[0]?.ok) {
    await sql`create index candidates_email_trgm_idx on candidates using gin (email gin_trgm_ops)`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('candidates_email_trgm_idx').ifExists().execute();
  await db.schema.dropIndex('sync_deliveries_slowest_idx').ifExists().execute();
  await db.schema.dropIndex('sync_runs_source_ids_idx').ifExists().execute();
  await db.schema.dropIndex('sync_deliveries_source_run_idx').ifExists().execute();
}
