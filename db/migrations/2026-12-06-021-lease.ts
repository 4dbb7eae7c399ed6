import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
//
// A claim was `status = 'in_progress'`, and status is in six of the table's ten indexes, so every
// claim wrote a new version of the row into every index (PostgreSQL's HOT update is possible only
// when no indexed column changes). A claim is now a lease: `held_until` (with locked_by, started_at
// and attempts, none of them indexed) on a row that stays `pending` until its outcome is recorded.
// "In progress" is read as `status = 'pending' and held_until is not null`; a lease that ran out
// (held_until < now()) belongs to a worker that died and may be taken by another.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table sync_deliveries add column held_until timestamptz`.execute(db);
  // Claims of the version before: given back as leases that already ran out, so the next claim may
  // take them (the old worker's record then finds no in_progress row and records nothing; the
  // receiver sees the same idempotency key again).
  await sql`
    update sync_deliveries set status = 'pending', held_until = now()
    where status = 'in_progress'
  `.execute(db);
  // attempts left the index (the claim counts it): the few waiting rows are read from the table.
  await sql`drop index if exists sync_deliveries_waiting_retry_idx`.execute(db);
  await sql`
    create index sync_deliveries_waiting_retry_idx on sync_deliveries (run_id, source_id)
    include (next_attempt_at)
    where status = 'pending' and next_attempt_at is not null
  `.execute(db);
  // Room on each page for the claims' new row versions, which must stay on their page to be HOT: a
  // claim takes a run's rows in insertion order, a page's rows in one statement. Measured in
  // `npm run bench:sync` (10,000 x 1): with 70 about half the claims found room (HOT 25 % of the
  // table's updates), with 50 all of them (48 %: the rest are the records, which change status).
  await sql`alter table sync_deliveries set (fillfactor = 50)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table sync_deliveries reset (fillfactor)`.execute(db);
  await sql`update sync_deliveries set status = 'in_progress' where status = 'pending' and held_until is not null`.execute(
    db,
  );
  await sql`drop index if exists sync_deliveries_waiting_retry_idx`.execute(db);
  await sql`
    create index sync_deliveries_waiting_retry_idx on sync_deliveries (run_id, source_id)
    include (attempts, next_attempt_at)
    where status = 'pending' and next_attempt_at is not null
  `.execute(db);
  await sql`alter table sync_deliveries drop column held_until`.execute(db);
}
