import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
//
// The viewer role (issue 23): reads everything an admin reads, changes nothing. The foundation's
// check constraint was created unnamed, so PostgreSQL named it users_role_check.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table users drop constraint users_role_check`.execute(db);
  await sql`alter table users add constraint users_role_check check (role in ('admin', 'recruiter', 'viewer'))`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update users set role = 'recruiter', is_active = false where role = 'viewer'`.execute(db);
  await sql`alter table users drop constraint users_role_check`.execute(db);
  await sql`alter table users add constraint users_role_check check (role in ('admin', 'recruiter'))`.execute(db);
}
