import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sources')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('connector', 'text', (c) => c.notNull().check(sql`connector in ('generic_webhook', 'rest_batch')`))
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('sync_endpoint', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('http_method', 'text', (c) =>
      c.notNull().defaultTo('POST').check(sql`http_method in ('POST', 'PUT', 'PATCH')`),
    )
    .addColumn('auth_type', 'text', (c) =>
      c.notNull().defaultTo('none').check(sql`auth_type in ('none', 'bearer', 'api_key_header', 'basic')`),
    )
    .addColumn('auth_header_name', 'text')
    .addColumn('auth_username', 'text')
    // Encrypted (lib/crypto/secret-box.ts); the hint is the masked form shown to people.
    .addColumn('auth_secret_encrypted', 'text')
    .addColumn('auth_secret_hint', 'text')
    .addColumn('signing_secret_encrypted', 'text')
    .addColumn('signing_secret_hint', 'text')
    .addColumn('headers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('field_mapping', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('timeout_ms', 'integer', (c) => c.notNull().defaultTo(30000))
    .addColumn('max_concurrency', 'integer', (c) => c.notNull().defaultTo(8))
    .addColumn('batch_size', 'integer', (c) => c.notNull().defaultTo(10))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('health_status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('unknown')
        .check(sql`health_status in ('unknown', 'healthy', 'degraded', 'auth_failed', 'unreachable')`),
    )
    .addColumn('health_checked_at', 'timestamptz')
    .addColumn('health_error', 'text')
    .addColumn('last_success_at', 'timestamptz')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Names are unique among sources that still exist; a deleted source keeps its history.
  await sql`create unique index sources_name_key on sources (lower(name)) where deleted_at is null`.execute(db);

  await db.schema
    .createTable('sync_runs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('job_posting_id', 'uuid', (c) => c.notNull().references('job_postings.id').onDelete('cascade'))
    .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('manual', 'schedule', 'api')`))
    .addColumn('requested_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('schedule_id', 'uuid')
    .addColumn('source_ids', sql`uuid[]`)
    .addColumn('candidate_ids', sql`uuid[]`)
    .addColumn('force', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'running', 'completed', 'partially_failed', 'failed', 'cancelled')`),
    )
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('succeeded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancelled', 'integer', (c) => c.notNull().defaultTo(0))
    // Bumped on every change; the status endpoint's ETag.
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('error_summary', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One run per posting at a time, enforced by the database.
  await sql`create unique index sync_runs_one_active_per_posting on sync_runs (job_posting_id) where status in ('pending', 'running')`.execute(
    db,
  );
  await db.schema.createIndex('sync_runs_created_idx').on('sync_runs').columns(['created_at', 'id']).execute();
  await db.schema
    .createIndex('sync_runs_posting_idx')
    .on('sync_runs')
    .columns(['job_posting_id', 'created_at'])
    .execute();
  await db.schema.createIndex('sync_runs_status_idx').on('sync_runs').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('sync_deliveries')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('run_id', 'uuid', (c) => c.notNull().references('sync_runs.id').onDelete('cascade'))
    .addColumn('source_id', 'uuid', (c) => c.notNull().references('sources.id'))
    .addColumn('candidate_id', 'uuid', (c) => c.notNull().references('candidates.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'in_progress', 'succeeded', 'failed', 'skipped', 'cancelled')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('started_at', 'timestamptz')
    .addColumn('locked_by', 'text')
    .addColumn('http_status', 'integer')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('response_excerpt', 'text')
    .addColumn('request_excerpt', 'jsonb')
    .addColumn('duration_ms', 'integer')
    .addColumn('external_id', 'text')
    .addColumn('payload_hash', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('sync_deliveries_run_key')
    .unique()
    .on('sync_deliveries')
    .columns(['run_id', 'source_id', 'candidate_id'])
    .execute();
  await db.schema
    .createIndex('sync_deliveries_run_status_idx')
    .on('sync_deliveries')
    .columns(['run_id', 'status', 'source_id'])
    .execute();
  await db.schema
    .createIndex('sync_deliveries_candidate_idx')
    .on('sync_deliveries')
    .columns(['candidate_id', 'created_at'])
    .execute();
  // The sweeper looks for work that lost its job; only unfinished rows are indexed.
  await sql`create index sync_deliveries_unfinished_idx on sync_deliveries (status, updated_at) where status in ('pending', 'in_progress')`.execute(
    db,
  );

  // The last known outcome per candidate and source: skip checks and the Hired Candidates page.
  await db.schema
    .createTable('candidate_sync_state')
    .addColumn('candidate_id', 'uuid', (c) => c.notNull().references('candidates.id').onDelete('cascade'))
    .addColumn('source_id', 'uuid', (c) => c.notNull().references('sources.id'))
    .addColumn('last_status', 'text', (c) => c.notNull())
    .addColumn('last_run_id', 'uuid')
    .addColumn('last_delivery_id', 'uuid')
    .addColumn('last_error', 'text')
    .addColumn('last_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('delivered_payload_hash', 'text')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('external_id', 'text')
    .addPrimaryKeyConstraint('candidate_sync_state_pkey', ['candidate_id', 'source_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['candidate_sync_state', 'sync_deliveries', 'sync_runs', 'sources']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
