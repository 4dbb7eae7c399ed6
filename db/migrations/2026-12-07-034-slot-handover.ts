import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
//
// slot-handover (issue 19): a worker kept below its fair share of a source's max_concurrency by
// another worker holding more (a worker that took every slot while it was alone) tells the
// holders on the channel ats_source_slots_wanted ("<source id> <worker id>"). They lease again at
// once, where the fair share caps them, instead of at their renewal 2.5 s later: with two
// workers, the second one's claimed deliveries waited for slots through most of a short sync.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function sync_lease_slots(p_source uuid, p_worker text, p_want int, p_in_use int, p_ttl_ms int)
    returns table (granted int, held int, paused_until timestamptz)
    language plpgsql as $$
    declare
      v_max int;
      v_held int;
      v_pause timestamptz;
      v_others int;
      v_competing int;
      v_grant int;
      v_most int;
    begin
      insert into source_limit_state (source_id) values (p_source) on conflict do nothing;
      perform 1 from source_limit_state l where l.source_id = p_source for update;
      select s.max_concurrency into v_max from sources s where s.id = p_source and s.is_active and s.deleted_at is null;
      select sp.paused_until into v_pause from source_pauses sp where sp.source_id = p_source and sp.paused_until > now();
      delete from source_slot_leases l where l.source_id = p_source and l.expires_at < now();
      select coalesce(sum(l.slots), 0), count(*) filter (where l.wanted > 0), coalesce(max(l.slots), 0)
        into v_others, v_competing, v_most
        from source_slot_leases l where l.source_id = p_source and l.worker_id <> p_worker;
      if v_max is null or v_pause is not null then
        v_grant := 0;
      else
        v_grant := least(p_want, greatest(0, v_max - v_others));
        -- Others want slots too: no more than a fair share of new ones.
        if v_competing > 0 and p_want > 0 then
          v_grant := least(v_grant, greatest(1, ceil(v_max::numeric / (v_competing + 1))::int));
        end if;
      end if;
      -- Kept below its fair share by a worker that holds more than its own: the holders hear of it
      -- now and give back on their next lease, instead of at their renewal seconds later.
      if v_max is not null and v_pause is null and p_want > v_grant
         and v_most > ceil(v_max::numeric / (v_competing + 1))::int then
        perform pg_notify('ats_source_slots_wanted', p_source::text || ' ' || p_worker);
      end if;
      -- Slots with a request still out stay held until it is answered; the worker starts new
      -- requests only while it uses fewer than it was granted.
      v_held := greatest(v_grant, p_in_use);
      if v_held = 0 and p_want <= 0 then
        delete from source_slot_leases l where l.source_id = p_source and l.worker_id = p_worker;
      else
        insert into source_slot_leases as l (source_id, worker_id, slots, wanted, expires_at)
        values (p_source, p_worker, v_held, greatest(p_want, p_in_use), now() + make_interval(secs => p_ttl_ms / 1000.0))
        on conflict (source_id, worker_id) do update
          set slots = excluded.slots, wanted = excluded.wanted, expires_at = excluded.expires_at;
      end if;
      return query select v_grant, v_held, v_pause;
    end $$
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function sync_lease_slots(p_source uuid, p_worker text, p_want int, p_in_use int, p_ttl_ms int)
    returns table (granted int, held int, paused_until timestamptz)
    language plpgsql as $$
    declare
      v_max int;
      v_held int;
      v_pause timestamptz;
      v_others int;
      v_competing int;
      v_grant int;
    begin
      insert into source_limit_state (source_id) values (p_source) on conflict do nothing;
      perform 1 from source_limit_state l where l.source_id = p_source for update;
      select s.max_concurrency into v_max from sources s where s.id = p_source and s.is_active and s.deleted_at is null;
      select sp.paused_until into v_pause from source_pauses sp where sp.source_id = p_source and sp.paused_until > now();
      delete from source_slot_leases l where l.source_id = p_source and l.expires_at < now();
      select coalesce(sum(l.slots), 0), count(*) filter (where l.wanted > 0)
        into v_others, v_competing
        from source_slot_leases l where l.source_id = p_source and l.worker_id <> p_worker;
      if v_max is null or v_pause is not null then
        v_grant := 0;
      else
        v_grant := least(p_want, greatest(0, v_max - v_others));
        -- Others want slots too: no more than a fair share of new ones.
        if v_competing > 0 and p_want > 0 then
          v_grant := least(v_grant, greatest(1, ceil(v_max::numeric / (v_competing + 1))::int));
        end if;
      end if;
      -- Slots with a request still out stay held until it is answered; the worker starts new
      -- requests only while it uses fewer than it was granted.
      v_held := greatest(v_grant, p_in_use);
      if v_held = 0 and p_want <= 0 then
        delete from source_slot_leases l where l.source_id = p_source and l.worker_id = p_worker;
      else
        insert into source_slot_leases as l (source_id, worker_id, slots, wanted, expires_at)
        values (p_source, p_worker, v_held, greatest(p_want, p_in_use), now() + make_interval(secs => p_ttl_ms / 1000.0))
        on conflict (source_id, worker_id) do update
          set slots = excluded.slots, wanted = excluded.wanted, expires_at = excluded.expires_at;
      end if;
      return query select v_grant, v_held, v_pause;
    end $$
  `.execute(db);
}
