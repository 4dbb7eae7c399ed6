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
    create index sync_deliveries_slowest_idx on sync_deliveries (duration_ms desc, id) include (created_at)
    where status in ('succeeded', 'failed') and duration_ms is not null
  `.execute(db);
  // The detailed report's postings and common errors, kept per bucket beside the sources' numbers
  // (sync_stats_buckets) so a 30-day report reads a few hundred cached rows instead of every run and
  // every failure of the month.
  const bucketKey = (table: string) => (c: any) =>
    c.addForeignKeyConstraint(
      `${table}_bucket_fkey`,
      ['bucket_start', 'bucket_hours'],
      'sync_stats_buckets',
      ['bucket_start', 'bucket_hours'],
      (fk: any) => fk.onDelete('cascade'),
    );
  await db.schema
    .createTable('sync_stats_bucket_postings')
    .addColumn('bucket_start', 'timestamptz', (c) => c.notNull())
    .addColumn('bucket_hours', 'smallint', (c) => c.notNull())
    .addColumn('job_posting_id', 'uuid', (c) => c.notNull())
    .addColumn('runs', 'integer', (c) => c.notNull())
    .addColumn('failed_runs', 'integer', (c) => c.notNull())
    .addColumn('succeeded', 'integer', (c) => c.notNull())
    .addColumn('failed', 'integer', (c) => c.notNull())
    .addColumn('skipped', 'integer', (c) => c.notNull())
    .addColumn('last_run_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_stats_bucket_postings_pkey', ['bucket_start', 'bucket_hours', 'job_posting_id'])
    .$call(bucketKey('sync_stats_bucket_postings'))
    .execute();
  // Failures by code, message (addresses and ids taken out) and source.
  await db.schema
    .createTable('sync_stats_bucket_errors')
    .addColumn('bucket_start', 'timestamptz', (c) => c.notNull())
    .addColumn('bucket_hours', 'smallint', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('source_id', 'uuid', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('last_seen', 'timestamptz', (c) => c.notNull())
    .addColumn('example_run_id', 'uuid', (c) => c.notNull())
    .$call(bucketKey('sync_stats_bucket_errors'))
    .execute();
  await db.schema
    .createIndex('sync_stats_bucket_errors_bucket_idx')
    .on('sync_stats_bucket_errors')
    .columns(['bucket_start', 'bucket_hours'])
    .execute();
  // Buckets cached before these tables existed have no postings or errors: computed again when asked.
  await sql`delete from sync_stats_buckets`.execute(db);

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
  await db.schema.dropTable('sync_stats_bucket_errors').ifExists().execute();
  await db.schema.dropTable('sync_stats_bucket_postings').ifExists().execute();
  await db.schema.dropIndex('sync_deliveries_slowest_idx').ifExists().execute();
  await db.schema.dropIndex('sync_runs_source_ids_idx').ifExists().execute();
  await db.schema.dropIndex('sync_deliveries_source_run_idx').ifExists().execute();
}
