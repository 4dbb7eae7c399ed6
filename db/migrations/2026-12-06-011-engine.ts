import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per source that has been sent to: the row every lease and token change locks, and the
  // source's token bucket for max_requests_per_minute.
  await db.schema
    .createTable('source_limit_state')
    .addColumn('source_id', 'uuid', (c) => c.primaryKey().references('sources.id').onDelete('cascade'))
    .addColumn('tokens', 'float8', (c) => c.notNull().defaultTo(1e9))
    .addColumn('refilled_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // The request slots of a source each worker holds: their sum never exceeds max_concurrency.
  // A lease lapses when its worker stops renewing it (it died or lost the database).
  await db.schema
    .createTable('source_slot_leases')
    .addColumn('source_id', 'uuid', (c) => c.notNull().references('sources.id').onDelete('cascade'))
    .addColumn('worker_id', 'text', (c) => c.notNull())
    .addColumn('slots', 'integer', (c) => c.notNull())
    .addColumn('wanted', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('source_slot_leases_pkey', ['source_id', 'worker_id'])
    .execute();

  // Functions, not single statements: each query in PL/pgSQL takes a fresh snapshot, so after
  // waiting for the source's lock it sees the leases the previous holder of that lock committed.
  await sql`
    create function sync_lease_slots(p_source uuid, p_worker text, p_want int, p_in_use int, p_ttl_ms int)
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

  // A token bucket refilled at max_requests_per_minute / 60 a second, holding at most one second's
  // worth (at least 1): in any window of w seconds at most burst + rate * w requests start.
  await sql`
    create function sync_take_tokens(p_source uuid, p_want int)
    returns table (granted int, wait_ms int, paused_until timestamptz)
    language plpgsql as $$
    declare
      v_rpm int;
      v_pause timestamptz;
      v_tokens float8;
      v_at timestamptz;
      v_burst float8;
      v_grant int;
    begin
      insert into source_limit_state (source_id) values (p_source) on conflict do nothing;
      select l.tokens, l.refilled_at into v_tokens, v_at from source_limit_state l where l.source_id = p_source for update;
      select sp.paused_until into v_pause from source_pauses sp where sp.source_id = p_source and sp.paused_until > now();
      if v_pause is not null then
        return query select 0, ceil(extract(epoch from v_pause - now()) * 1000)::int, v_pause;
        return;
      end if;
      select s.max_requests_per_minute into v_rpm from sources s where s.id = p_source;
      if v_rpm is null then
        return query select p_want, 0, null::timestamptz;
        return;
      end if;
      v_burst := greatest(1, ceil(v_rpm / 60.0));
      v_tokens := least(v_burst, v_tokens + extract(epoch from now() - v_at) * v_rpm / 60.0);
      v_grant := least(p_want, floor(v_tokens))::int;
      v_tokens := v_tokens - v_grant;
      update source_limit_state l set tokens = v_tokens, refilled_at = now() where l.source_id = p_source;
      return query select v_grant,
        case when v_grant < p_want then ceil((1 - v_tokens) * 60000.0 / v_rpm)::int else 0 end,
        null::timestamptz;
    end $$
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists sync_take_tokens(uuid, int)`.execute(db);
  await sql`drop function if exists sync_lease_slots(uuid, text, int, int, int)`.execute(db);
  await db.schema.dropTable('source_slot_leases').execute();
  await db.schema.dropTable('source_limit_state').execute();
}
