import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // Our record of every schedule, the source of truth the admin pages show. pg-boss keeps its own
  // row per enabled schedule (keyed by our id), which the service writes in the same transaction.
  await db.schema
    .createTable('sync_schedules')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('posting', 'all_open')`))
    // A schedule for one posting goes with it when the posting is deleted.
    .addColumn('job_posting_id', 'uuid', (c) => c.references('job_postings.id').onDelete('cascade'))
    // null: every active source at the time of each run.
    .addColumn('source_ids', sql`uuid[]`)
    .addColumn('force', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('is_enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_run_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addCheckConstraint('sync_schedules_scope_posting', sql`(scope = 'posting') = (job_posting_id is not null)`)
    .execute();
  await sql`create unique index sync_schedules_name_key on sync_schedules (lower(name))`.execute(db);
  await db.schema
    .createIndex('sync_runs_schedule_idx')
    .on('sync_runs')
    .columns(['schedule_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sync_runs_schedule_idx').ifExists().execute();
  await db.schema.dropTable('sync_schedules').ifExists().execute();
}
