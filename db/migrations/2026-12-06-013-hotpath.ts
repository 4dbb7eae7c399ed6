import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // A state row is written only from a delivery of the same candidate and source in the same
  // statement (the engine's record), and a source that has deliveries cannot be deleted (see the
  // trigger below); sources are only ever soft-deleted. This check cost every first outcome of a
  // candidate a lookup and a KEY SHARE lock on the source's row, which concurrent batches of one
  // source and the workers' health updates turned into multixacts.
  await sql`alter table candidate_sync_state drop constraint if exists candidate_sync_state_source_id_fkey`.execute(db);
  // A run's deliveries by status are looked up only for unfinished ones (cancel, the sweeper's
  // "anything left to send") and failed ones (the run's failures, retry of the failed). Rows that
  // succeeded, were skipped or cancelled, the large majority, are left out, so recording a success
  // adds no entry here; the partial index is built first so those lookups never lose their index.
  await sql`
    create index sync_deliveries_run_open_idx on sync_deliveries (run_id, status)
    where status in ('pending', 'in_progress', 'failed')
  `.execute(db);
  await sql`drop index if exists sync_deliveries_run_status_idx`.execute(db);
  // sync_deliveries.source_id as a foreign key made every delivery the fan-out writes take a KEY
  // SHARE lock on its source's row, which the workers update (health) all the time: each check
  // then walked a multixact, the most expensive part of writing a delivery (EXPLAIN ANALYZE of a
  // 1,000-row fan-out chunk: 62 ms of 177). Sources are only ever soft-deleted (deleted_at), so
  // what the key protected is a hard delete of a source that has deliveries: this trigger refuses
  // that, with the same error, on the rare delete instead of on every delivery. Ids written to the
  // column come from the sources table in the same statement (the fan-out joins it).
  await sql`
    create function sources_refuse_delete_in_use() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from sync_deliveries where source_id = old.id)
         or exists (select 1 from candidate_sync_state where source_id = old.id) then
        raise foreign_key_violation using
          message = format('source %s is still referenced by its deliveries', old.id),
          constraint = 'sync_deliveries_source_id_fkey';
      end if;
      return old;
    end
    $$
  `.execute(db);
  await sql`
    create trigger sources_refuse_delete_in_use before delete on sources
    for each row execute function sources_refuse_delete_in_use()
  `.execute(db);
  await sql`alter table sync_deliveries drop constraint if exists sync_deliveries_source_id_fkey`.execute(db);
  // candidate_sync_state.candidate_id: its check on every first outcome of a candidate locked the
  // candidate's row once more (the delivery's own key had locked it at fan-out), a WAL record and
  // a dirtied page per delivery. A state row is only written from the delivery it records, whose
  // key keeps the candidate; what the key did besides, removing a deleted candidate's states, this
  // trigger does. It runs after the deliveries' cascade (triggers fire by name, RI_ first), so a
  // state written by a batch the cascade had to wait for is seen and removed too.
  await sql`
    create function candidates_delete_sync_state() returns trigger language plpgsql as $$
    begin
      delete from candidate_sync_state where candidate_id = old.id;
      return null;
    end
    $$
  `.execute(db);
  await sql`
    create trigger candidates_delete_sync_state after delete on candidates
    for each row execute function candidates_delete_sync_state()
  `.execute(db);
  await sql`alter table candidate_sync_state drop constraint if exists candidate_sync_state_candidate_id_fkey`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from candidate_sync_state st where not exists (select 1 from candidates c where c.id = st.candidate_id)`.execute(
    db,
  );
  await sql`
    alter table candidate_sync_state add constraint candidate_sync_state_candidate_id_fkey
    foreign key (candidate_id) references candidates (id) on delete cascade
  `.execute(db);
  await sql`drop trigger if exists candidates_delete_sync_state on candidates`.execute(db);
  await sql`drop function if exists candidates_delete_sync_state()`.execute(db);
  await sql`
    alter table sync_deliveries add constraint sync_deliveries_source_id_fkey
    foreign key (source_id) references sources (id)
  `.execute(db);
  await sql`drop trigger if exists sources_refuse_delete_in_use on sources`.execute(db);
  await sql`drop function if exists sources_refuse_delete_in_use()`.execute(db);
  await sql`create index if not exists sync_deliveries_run_status_idx on sync_deliveries (run_id, status, source_id)`.execute(
    db,
  );
  await sql`drop index if exists sync_deliveries_run_open_idx`.execute(db);
  await sql`
    alter table candidate_sync_state add constraint candidate_sync_state_source_id_fkey
    foreign key (source_id) references sources (id)
  `.execute(db);
}
