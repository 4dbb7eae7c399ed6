import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
//
// Writing a delivery checked two foreign keys per row (its run, its candidate), each a query of its
// own inside the fan-out's insert (a third of that statement's time in EXPLAIN ANALYZE of a
// 1,000-row chunk), and copying a newly delivered candidate checked a third. Nothing these checks
// protect can happen there: the fan-out holds its run's row (FOR NO KEY UPDATE) and locks the
// candidates it reads (FOR KEY SHARE, lib/sync/fan-out-repository.ts), so neither can be deleted
// while the chunk is written, and the copy is made from a candidate locked in the same statement.
// What the keys did besides, removing the rows of a deleted run or candidate, these triggers do,
// once per deleting statement. Same pattern as migration 013 for sources.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function sync_runs_delete_deliveries() returns trigger language plpgsql as $$
    begin
      delete from sync_deliveries d using gone_runs g where d.run_id = g.id;
      return null;
    end
    $$
  `.execute(db);
  await sql`
    create trigger sync_runs_delete_deliveries after delete on sync_runs
    referencing old table as gone_runs for each statement execute function sync_runs_delete_deliveries()
  `.execute(db);
  await sql`alter table sync_deliveries drop constraint if exists sync_deliveries_run_id_fkey`.execute(db);

  await sql`
    create function candidates_delete_deliveries() returns trigger language plpgsql as $$
    begin
      delete from sync_deliveries d using gone_candidates g where d.candidate_id = g.id;
      delete from sync_delivered_candidates x using gone_candidates g where x.candidate_id = g.id;
      -- Again after the deliveries: a batch recording one of them meanwhile (which the delete above
      -- waited for) wrote the candidate's state in the same statement; migration 013's row trigger
      -- runs before this one and cannot have seen it.
      delete from candidate_sync_state st using gone_candidates g where st.candidate_id = g.id;
      return null;
    end
    $$
  `.execute(db);
  await sql`
    create trigger candidates_delete_deliveries after delete on candidates
    referencing old table as gone_candidates for each statement execute function candidates_delete_deliveries()
  `.execute(db);
  await sql`alter table sync_deliveries drop constraint if exists sync_deliveries_candidate_id_fkey`.execute(db);
  await sql`alter table sync_delivered_candidates drop constraint if exists sync_delivered_candidates_candidate_id_fkey`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from sync_delivered_candidates x where not exists (select 1 from candidates c where c.id = x.candidate_id)`.execute(
    db,
  );
  await sql`delete from sync_deliveries d where not exists (select 1 from candidates c where c.id = d.candidate_id)`.execute(
    db,
  );
  await sql`delete from sync_deliveries d where not exists (select 1 from sync_runs r where r.id = d.run_id)`.execute(
    db,
  );
  await sql`
    alter table sync_delivered_candidates add constraint sync_delivered_candidates_candidate_id_fkey
    foreign key (candidate_id) references candidates (id) on delete cascade
  `.execute(db);
  await sql`
    alter table sync_deliveries add constraint sync_deliveries_candidate_id_fkey
    foreign key (candidate_id) references candidates (id) on delete cascade
  `.execute(db);
  await sql`
    alter table sync_deliveries add constraint sync_deliveries_run_id_fkey
    foreign key (run_id) references sync_runs (id) on delete cascade
  `.execute(db);
  await sql`drop trigger if exists candidates_delete_deliveries on candidates`.execute(db);
  await sql`drop function if exists candidates_delete_deliveries()`.execute(db);
  await sql`drop trigger if exists sync_runs_delete_deliveries on sync_runs`.execute(db);
  await sql`drop function if exists sync_runs_delete_deliveries()`.execute(db);
}
