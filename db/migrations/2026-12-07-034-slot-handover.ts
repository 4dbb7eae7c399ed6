import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
//
// slot-handover (issue 19): a worker kept below its fair share of a source's max_concurrency by
// another worker holding more (a worker that took every slot while it was alone) tells the
// holders on the channel ats_source_slots_wanted ("<source id> <worker id>"). They lease again at
// once, where the fair share caps them, instead of at their renewal 2.5 s later: with two
// workers, the second one's claimed deliveries waited for slots through most of a short sync.
// Migration 011's function keeps granting (renamed); the new one wraps it and looks at the other
// leases only when the answer is short, still under the source's lock the inner one took.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter function sync_lease_slots(uuid, text, int, int, int) rename to sync_lease_slots_011`.execute(db);
  await sql`
    create function sync_lease_slots(p_source uuid, p_worker text, p_want int, p_in_use int, p_ttl_ms int)
    returns table (granted int, held int, paused_until timestamptz)
    language plpgsql as $$
    declare
      v_answer record;
      v_max int;
      v_competing int;
      v_most int;
    begin
      select * into v_answer from sync_lease_slots_011(p_source, p_worker, p_want, p_in_use, p_ttl_ms);
      if v_answer.granted < p_want and v_answer.paused_until is null then
        select s.max_concurrency into v_max from sources s where s.id = p_source and s.is_active and s.deleted_at is null;
        select count(*) filter (where l.wanted > 0), coalesce(max(l.slots), 0) into v_competing, v_most
          from source_slot_leases l where l.source_id = p_source and l.worker_id <> p_worker;
        if v_most > ceil(v_max::numeric / (v_competing + 1))::int then
          perform pg_notify('ats_source_slots_wanted', p_source::text || ' ' || p_worker);
        end if;
      end if;
      return query select v_answer.granted, v_answer.held, v_answer.paused_until;
    end $$
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function sync_lease_slots(uuid, text, int, int, int)`.execute(db);
  await sql`alter function sync_lease_slots_011(uuid, text, int, int, int) rename to sync_lease_slots`.execute(db);
}
