import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
//
// rehire (issue 21, item 3): a candidate hired again after a withdrawal reactivates their record
// where the target can, as a delivery of its own action. The check is replaced NOT VALID and then
// validated: validating takes a lock that lets deliveries be written meanwhile, where an ordinary
// ADD CONSTRAINT would hold every write to sync_deliveries for the whole scan.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table sync_deliveries drop constraint if exists sync_deliveries_action_check`.execute(db);
  await sql`alter table sync_deliveries add constraint sync_deliveries_action_check check (action in ('create', 'update', 'withdraw', 'rehire')) not valid`.execute(
    db,
  );
  await sql`alter table sync_deliveries validate constraint sync_deliveries_action_check`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // A rehire brought a record back as a create would have made one: that is what it reads as before.
  await sql`update sync_deliveries set action = 'create' where action = 'rehire'`.execute(db);
  await sql`update candidate_sync_state set last_action = 'create' where last_action = 'rehire'`.execute(db);
  await sql`alter table sync_deliveries drop constraint if exists sync_deliveries_action_check`.execute(db);
  await sql`alter table sync_deliveries add constraint sync_deliveries_action_check check (action in ('create', 'update', 'withdraw'))`.execute(
    db,
  );
}
