import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // The sync statistics read deliveries by the time they were queued; with the columns they count
  // included, a day's deliveries are aggregated from the index alone, without touching the wide rows.
  await sql`create index sync_deliveries_created_stats_idx on sync_deliveries (created_at) include (source_id, status, duration_ms)`.execute(
    db,
  );
  // The failures of a period, for the most common errors: a few percent of the rows, and only a
  // delivery that fails is ever written to it.
  await sql`create index sync_deliveries_failed_idx on sync_deliveries (created_at) where status = 'failed'`.execute(
    db,
  );
  // Which runs changed since the statistics were last checked (see sync_stats_buckets). BRIN, not
  // btree: on PostgreSQL 16+ a change to a column only summarizing indexes cover keeps the engine's
  // frequent counter updates of a run HOT (no new entries in the run's other indexes).
  await sql`create index sync_runs_updated_brin on sync_runs using brin (updated_at) with (pages_per_range = 8, autosummarize = on)`.execute(
    db,
  );

  // Statistics of finished hours and UTC days, computed by the stats reader (not the engine) the
  // first time they are asked for and dropped when a run of that period changes or rows are deleted;
  // only the current hour is always aggregated from the deliveries themselves.
  await db.schema
    .createTable('sync_stats_buckets')
    .addColumn('bucket_start', 'timestamptz', (c) => c.notNull())
    .addColumn('bucket_hours', 'smallint', (c) => c.notNull().check(sql`bucket_hours in (1, 24)`))
    .addColumn('runs_pending', 'integer', (c) => c.notNull())
    .addColumn('runs_running', 'integer', (c) => c.notNull())
    .addColumn('runs_completed', 'integer', (c) => c.notNull())
    .addColumn('runs_partially_failed', 'integer', (c) => c.notNull())
    .addColumn('runs_failed', 'integer', (c) => c.notNull())
    .addColumn('runs_cancelled', 'integer', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('sync_stats_buckets_pkey', ['bucket_start', 'bucket_hours'])
    .execute();
  await db.schema
    .createTable('sync_stats_bucket_sources')
    .addColumn('bucket_start', 'timestamptz', (c) => c.notNull())
    .addColumn('bucket_hours', 'smallint', (c) => c.notNull())
    // No foreign key: sources are only ever soft-deleted, and this is a cache of their history.
    .addColumn('source_id', 'uuid', (c) => c.notNull())
    .addColumn('succeeded', 'integer', (c) => c.notNull())
    .addColumn('failed', 'integer', (c) => c.notNull())
    .addColumn('skipped', 'integer', (c) => c.notNull())
    .addColumn('cancelled', 'integer', (c) => c.notNull())
    .addColumn('unfinished', 'integer', (c) => c.notNull())
    // Counts of succeeded deliveries per duration bin (lib/sync-admin/histogram.ts), for percentiles.
    .addColumn('duration_bins', sql`integer[]`, (c) => c.notNull())
    // One count per hour of the bucket.
    .addColumn('hourly_succeeded', sql`integer[]`, (c) => c.notNull())
    .addColumn('hourly_failed', sql`integer[]`, (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_stats_bucket_sources_pkey', ['bucket_start', 'bucket_hours', 'source_id'])
    .addForeignKeyConstraint(
      'sync_stats_bucket_sources_bucket_fkey',
      ['bucket_start', 'bucket_hours'],
      'sync_stats_buckets',
      ['bucket_start', 'bucket_hours'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  // One row: up to when run changes were checked, and the delete counters seen then.
  await db.schema
    .createTable('sync_stats_state')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('checked_until', 'timestamptz', (c) => c.notNull())
    .addColumn('deletes_seen', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['sync_stats_state', 'sync_stats_bucket_sources', 'sync_stats_buckets']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.dropIndex('sync_runs_updated_brin').ifExists().execute();
  await db.schema.dropIndex('sync_deliveries_failed_idx').ifExists().execute();
  await db.schema.dropIndex('sync_deliveries_created_stats_idx').ifExists().execute();
}
