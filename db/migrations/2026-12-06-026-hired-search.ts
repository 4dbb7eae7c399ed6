import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
//
// sync_delivered_candidates (migration 012) holds the candidates the tasks list's email search
// looks among. It was filled by a trigger on every fan-out insert, which cost each delivery a
// probe, a lock of its candidate and, for a candidate new to it, a row and its trigram entries: a
// third of the fan-out's database time (EXPLAIN ANALYZE of 1,000-row chunks: 81 µs per delivery,
// 57 µs without the trigger). Only hired candidates are ever delivered (the fan-out reads stage =
// 'hired'), so the row is now written when a candidate becomes hired, once, by the statement that
// hires them; a delivery writes nothing here. The table then also holds hired candidates not
// delivered yet: the search probes them and finds no run, as for a candidate whose deliveries
// retention removed.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists sync_deliveries_note_candidates on sync_deliveries`.execute(db);
  await sql`drop function if exists sync_note_delivered_candidates()`.execute(db);
  await sql`
    create function candidates_note_hired_inserted() returns trigger language plpgsql as $$
    begin
      insert into sync_delivered_candidates (candidate_id, email)
      select b.id, b.email from born_candidates b where b.stage = 'hired'
      order by b.id
      on conflict (candidate_id) do nothing;
      return null;
    end $$
  `.execute(db);
  // Once per inserting statement (an import of thousands is one statement).
  await sql`
    create trigger candidates_note_hired_inserted after insert on candidates
    referencing new table as born_candidates for each statement execute function candidates_note_hired_inserted()
  `.execute(db);
  await sql`
    create function candidates_note_hired() returns trigger language plpgsql as $$
    begin
      insert into sync_delivered_candidates (candidate_id, email) values (new.id, new.email)
      on conflict (candidate_id) do nothing;
      return null;
    end $$
  `.execute(db);
  // Per row, but only for a row that becomes hired: the WHEN clause costs other edits no call.
  await sql`
    create trigger candidates_note_hired after update of stage on candidates
    for each row when (new.stage = 'hired' and old.stage is distinct from 'hired')
    execute function candidates_note_hired()
  `.execute(db);
  await sql`
    insert into sync_delivered_candidates (candidate_id, email)
    select c.id, c.email from candidates c where c.stage = 'hired'
    on conflict (candidate_id) do nothing
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists candidates_note_hired on candidates`.execute(db);
  await sql`drop function if exists candidates_note_hired()`.execute(db);
  await sql`drop trigger if exists candidates_note_hired_inserted on candidates`.execute(db);
  await sql`drop function if exists candidates_note_hired_inserted()`.execute(db);
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
}
