import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // The tasks list's email search looks for runs that delivered to a candidate whose address holds a
  // fragment. Only candidates that were ever delivered can match, and they are few next to every
  // applicant: searched here, a fragment that matches thousands of applicants and no delivered one
  // (or all of them) is answered from a few thousand rows instead of every candidate. A row is never
  // removed when a delivery is (retention): the search then probes a candidate that has none left,
  // and finds nothing, as it would.
  await db.schema
    .createTable('sync_delivered_candidates')
    .addColumn('candidate_id', 'uuid', (c) => c.primaryKey().references('candidates.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .execute();
  await sql`
    insert into sync_delivered_candidates (candidate_id, email)
    select c.id, c.email from candidates c join (select distinct candidate_id from sync_deliveries) d on d.candidate_id = c.id
  `.execute(db);
  // Once per insert statement (a fan-out batch), not per delivery; a candidate already known costs
  // one probe of this small table. The new candidates are locked FOR SHARE so that an email change
  // committing meanwhile either waits for this insert or is seen by it, and the copy stays true.
  // In id order, so two fan-outs adding the same new candidates cannot deadlock.
  await sql`
    create function sync_note_delivered_candidates() returns trigger language plpgsql as $$
    begin
      insert into sync_delivered_candidates (candidate_id, email)
      select c.id, c.email from candidates c
      where c.id in (select n.candidate_id from new_deliveries n)
        and not exists (select 1 from sync_delivered_candidates x where x.candidate_id = c.id)
      order by c.id
      for share of c
      on conflict (candidate_id) do nothing;
      return null;
    end $$
  `.execute(db);
  await sql`
    create trigger sync_deliveries_note_candidates after insert on sync_deliveries
    referencing new table as new_deliveries for each statement execute function sync_note_delivered_candidates()
  `.execute(db);
  await sql`
    create function sync_copy_delivered_email() returns trigger language plpgsql as $$
    begin
      update sync_delivered_candidates set email = new.email where candidate_id = new.id;
      return null;
    end $$
  `.execute(db);
  await sql`
    create trigger candidates_copy_delivered_email after update of email on candidates
    for each row when (old.email is distinct from new.email) execute function sync_copy_delivered_email()
  `.execute(db);
  // Trigrams where pg_trgm exists (migration 009 installs it when it can); without them the search
  // reads this small table whole.
  const trgm = await sql<{
    ok: boolean;
  }>`select exists (select 1 from pg_extension where extname = 'pg_trgm') as ok`.execute(db);
  if (trgm.rows[0]?.ok) {
    await sql`create index sync_delivered_candidates_email_trgm_idx on sync_delivered_candidates using gin (email gin_trgm_ops)`.execute(
      db,
    );
  }
  // Migration 009's trigram index over every candidate served only this search (the candidates list
  // matches names or emails, which one index cannot answer): it only cost every import and edit.
  await db.schema.dropIndex('candidates_email_trgm_idx').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const trgm = await sql<{
    ok: boolean;
  }>`select exists (select 1 from pg_extension where extname = 'pg_trgm') as ok`.execute(db);
  if (trgm.rows[0]?.ok) {
    await sql`create index if not exists candidates_email_trgm_idx on candidates using gin (email gin_trgm_ops)`.execute(
      db,
    );
  }
  await sql`drop trigger if exists candidates_copy_delivered_email on candidates`.execute(db);
  await sql`drop trigger if exists sync_deliveries_note_candidates on sync_deliveries`.execute(db);
  await sql`drop function if exists sync_copy_delivered_email()`.execute(db);
  await sql`drop function if exists sync_note_delivered_candidates()`.execute(db);
  await db.schema.dropTable('sync_delivered_candidates').ifExists().execute();
}
