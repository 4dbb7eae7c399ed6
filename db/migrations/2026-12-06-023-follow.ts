import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
//
// Follow the hire (issue 21, items 1-4 and 6): a source syncs on hire by itself (sync_mode), each
// delivery says what it does at the target (action), candidate_sync_state remembers the last
// action and a withdrawal, candidate changes wait in sync_follow_pending for their run, and the
// content hash covers start_date and employment_type.

// Both formulas frozen here as they are on the day of this migration (fan-out-repository.ts holds
// the live one): the old one to recognise the rows that are still up to date.
const OLD_HASH = sql`md5((jsonb_build_array(
  c.first_name, c.last_name, c.email, c.phone, c.hired_at, j.slug, j.title, j.department, j.location, s.field_mapping, s.connector
) || case when s.target_mapping is null then '[]'::jsonb else jsonb_build_array(s.target_mapping) end)::text)`;
const NEW_HASH = sql`md5((jsonb_build_array(
  c.first_name, c.last_name, c.email, c.phone, c.hired_at, j.slug, j.title, j.department, j.location, s.field_mapping, s.connector,
  c.start_date, j.employment_type
) || case when s.target_mapping is null then '[]'::jsonb else jsonb_build_array(s.target_mapping) end)::text)`;

export async function up(db: Kysely<any>): Promise<void> {
  // Named connectors follow hires by default; our own receivers (generic_webhook, rest_batch) keep
  // today's behaviour, where only Sync or a schedule sends.
  await sql`alter table sources add column sync_mode text not null default 'manual' check (sync_mode in ('auto', 'manual'))`.execute(
    db,
  );
  await sql`update sources set sync_mode = 'auto' where connector not in ('generic_webhook', 'rest_batch')`.execute(db);

  // A constant default: no table rewrite, and the fan-out writes it in the same insert as before.
  await sql`alter table sync_deliveries add column action text not null default 'create' check (action in ('create', 'update', 'withdraw'))`.execute(
    db,
  );
  // The hash of the record as the target last got it (mapped onto its fields): an update whose
  // mapped record is the same is not sent. On a delivery: before its send, the record's hash there.
  await sql`alter table sync_deliveries add column record_hash text`.execute(db);
  await sql`alter table candidate_sync_state add column record_hash text`.execute(db);
  await sql`alter table candidate_sync_state add column last_action text`.execute(db);
  await sql`alter table candidate_sync_state add column withdrawn_at timestamptz`.execute(db);
  await sql`update candidate_sync_state set last_action = 'create'`.execute(db);

  await sql`alter table sync_runs drop constraint if exists sync_runs_trigger_check`.execute(db);
  await sql`alter table sync_runs add constraint sync_runs_trigger_check check (trigger in ('manual', 'schedule', 'api', 'hire'))`.execute(
    db,
  );

  // Candidates changed (hired, edited, withdrawn) whose follow-up run has not been created yet;
  // written in the transaction of the change, taken by the run that follows them.
  await sql`
    create table sync_follow_pending (
      candidate_id uuid primary key,
      job_posting_id uuid not null,
      queued_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index sync_follow_pending_posting_idx on sync_follow_pending (job_posting_id)`.execute(db);

  // The hash now covers start_date and employment_type. A row whose stored hash is the old formula
  // on today's data was delivered with today's content: it gets the new formula and stays up to
  // date. Any other row's candidate really changed since, and keeps its hash (it is sent again).
  await sql`
    update candidate_sync_state st set delivered_payload_hash = ${NEW_HASH}
    from candidates c, job_postings j, sources s
    where c.id = st.candidate_id and j.id = c.job_posting_id and s.id = st.source_id
      and st.delivered_payload_hash = ${OLD_HASH}
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    update candidate_sync_state st set delivered_payload_hash = ${OLD_HASH}
    from candidates c, job_postings j, sources s
    where c.id = st.candidate_id and j.id = c.job_posting_id and s.id = st.source_id
      and st.delivered_payload_hash = ${NEW_HASH}
  `.execute(db);
  await sql`drop table if exists sync_follow_pending`.execute(db);
  await sql`delete from sync_runs where trigger = 'hire'`.execute(db);
  await sql`alter table sync_runs drop constraint if exists sync_runs_trigger_check`.execute(db);
  await sql`alter table sync_runs add constraint sync_runs_trigger_check check (trigger in ('manual', 'schedule', 'api'))`.execute(
    db,
  );
  await sql`alter table candidate_sync_state drop column withdrawn_at`.execute(db);
  await sql`alter table candidate_sync_state drop column last_action`.execute(db);
  await sql`alter table candidate_sync_state drop column record_hash`.execute(db);
  await sql`alter table sync_deliveries drop column record_hash`.execute(db);
  await sql`alter table sync_deliveries drop column action`.execute(db);
  await sql`alter table sources drop column sync_mode`.execute(db);
}
