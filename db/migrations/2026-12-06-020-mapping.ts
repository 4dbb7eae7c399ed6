import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // A source's own mapping onto its connector's target fields (issue 20, item 5). Null: the
  // connector's default mapping, so a default that improves reaches every source that kept it.
  await sql`alter table sources add column target_mapping jsonb`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table sources drop column target_mapping`.execute(db);
}
