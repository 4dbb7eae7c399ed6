import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // The deliveries of a run waiting for their next attempt, read on every status poll (the ETag
  // must change when one starts waiting). Only those rows are indexed, so the index stays as small
  // as the number of retries in flight and a poll reads it without touching the table's other rows;
  // the included columns answer the per-source counts from the index.
  await sql`
    create index sync_deliveries_waiting_retry_idx on sync_deliveries (run_id, source_id)
    include (attempts, next_attempt_at)
    where status = 'pending' and next_attempt_at is not null
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists sync_deliveries_waiting_retry_idx`.execute(db);
}
