import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
//
// A source may be paused with no end (paused_until = 'infinity'), by an admin or because its
// credentials were refused, in the same table as a target's Retry-After pause: every check that
// holds deliveries back (the claim, the slot and token functions) already reads
// `paused_until > now()`, so there stays one notion of "paused". `kind` says who paused it, which
// decides who may lift it (a connection test lifts only a pause for refused credentials).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table source_pauses
      add column kind text not null default 'retry_after'
        check (kind in ('retry_after', 'admin', 'auth_failed')),
      add column paused_by uuid references users (id) on delete set null
  `.execute(db);
  // The time left of a pause with no end is not a number of milliseconds: the longest wait instead.
  await sql`
    create or replace function sync_take_tokens(p_source uuid, p_want int)
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
        return query select 0, case when v_pause = 'infinity' then 2147483647
                                    else ceil(extract(epoch from v_pause - now()) * 1000)::int end, v_pause;
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
  await sql`alter table source_pauses drop column paused_by, drop column kind`.execute(db);
}
