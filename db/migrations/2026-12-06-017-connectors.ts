import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // A connector is a module in lib/sync/connectors/registry.ts: the registry validates the id, so
  // adding a connector needs no migration.
  await sql`alter table sources drop constraint if exists sources_connector_check`.execute(db);
  await sql`alter table sources add column settings jsonb not null default '{}'::jsonb`.execute(db);
  // A calendar day, not an instant: "starts on 2027-01-04" is the same day in every time zone.
  await sql`alter table candidates add column start_date date`.execute(db);
  await sql`
    alter table job_postings add column employment_type text
      check (employment_type in ('full_time', 'part_time', 'contract', 'temporary', 'internship'))
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table job_postings drop column if exists employment_type`.execute(db);
  await sql`alter table candidates drop column if exists start_date`.execute(db);
  await sql`alter table sources drop column if exists settings`.execute(db);
  await sql`
    alter table sources add constraint sources_connector_check check (connector in ('generic_webhook', 'rest_batch'))
  `.execute(db);
}
