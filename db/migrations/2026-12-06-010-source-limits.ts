import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // A per-source requests-per-minute limit, kept across all workers; null: no limit.
  await db.schema
    .alterTable('sources')
    .addColumn('max_requests_per_minute', 'integer', (c) =>
      c.check(sql`max_requests_per_minute is null or max_requests_per_minute between 1 and 100000`),
    )
    .execute();
  // A source that answered 429 or 503 with Retry-After is paused as a whole, for every worker, until
  // `paused_until`. Its own table, not a column of sources: workers write it while admins edit sources.
  await db.schema
    .createTable('source_pauses')
    .addColumn('source_id', 'uuid', (c) => c.primaryKey().references('sources.id').onDelete('cascade'))
    .addColumn('paused_until', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('http_status', 'smallint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('source_pauses').execute();
  await db.schema.alterTable('sources').dropColumn('max_requests_per_minute').execute();
}
