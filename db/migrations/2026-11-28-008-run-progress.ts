import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // A run's live counters, per source and per "lane". Every batch of deliveries a worker records adds
  // to a lane only it is using at that moment, so concurrent batches of one run never wait on one
  // row (the run row was that row). The run's progress is the sum of its rows; lane '' holds what
  // the fan-out, cancel, retry-failed and the sweeper count.
  await db.schema
    .createTable('sync_run_progress')
    .addColumn('run_id', 'uuid', (c) => c.notNull().references('sync_runs.id').onDelete('cascade'))
    .addColumn('source_id', 'uuid', (c) => c.notNull())
    .addColumn('lane', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('succeeded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancelled', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('sync_run_progress_pkey', ['run_id', 'source_id', 'lane'])
    .execute();
  // The fan-out writes a run's deliveries a chunk per transaction: expand_cursor is the last
  // candidate done, expanded_at says the last chunk is in (a run cannot finish before).
  await db.schema
    .alterTable('sync_runs')
    .addColumn('expand_cursor', 'uuid')
    .addColumn('expanded_at', 'timestamptz')
    .execute();
  // The fan-out walks a posting's hired candidates in id order, a chunk at a time: without this
  // index every chunk would sort all of them (quadratic in the size of the posting).
  await db.schema
    .createIndex('candidates_posting_stage_id_idx')
    .on('candidates')
    .columns(['job_posting_id', 'stage', 'id'])
    .execute();
  await sql`update sync_runs set expanded_at = coalesce(started_at, created_at) where status <> 'pending'`.execute(db);
  // Runs recorded before this table existed: their exact counts from the deliveries.
  await sql`
    insert into sync_run_progress (run_id, source_id, lane, total, succeeded, failed, skipped, cancelled)
    select run_id, source_id, '', count(*),
           count(*) filter (where status = 'succeeded'), count(*) filter (where status = 'failed'),
           count(*) filter (where status = 'skipped'), count(*) filter (where status = 'cancelled')
    from sync_deliveries
    group by run_id, source_id
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('candidates_posting_stage_id_idx').ifExists().execute();
  await db.schema.dropTable('sync_run_progress').ifExists().execute();
  await db.schema.alterTable('sync_runs').dropColumn('expanded_at').dropColumn('expand_cursor').execute();
}
