import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
//
// Alerts (issue 23 item 1): channels (email, Slack), rules, incidents per (rule, subject), and one
// notification row per message per channel, which is also the outbox the evaluator sends from.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table alert_channels (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      kind text not null check (kind in ('email', 'slack')),
      enabled boolean not null default true,
      email_to text[],
      -- The incoming-webhook URL is the credential: encrypted like source secrets, shown masked.
      slack_webhook_url_encrypted text,
      slack_webhook_url_hint text,
      last_ok boolean,
      last_at timestamptz,
      last_error_code text,
      last_error_message text,
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((kind = 'email' and email_to is not null and slack_webhook_url_encrypted is null)
          or (kind = 'slack' and email_to is null and slack_webhook_url_encrypted is not null))
    )
  `.execute(db);
  await sql`create unique index alert_channels_name_key on alert_channels (lower(name))`.execute(db);

  await sql`
    create table alert_rules (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      kind text not null check (kind in ('source_unhealthy', 'run_failed', 'no_worker', 'queue_backlog', 'webhook_disabled')),
      enabled boolean not null default true,
      params jsonb not null default '{}',
      quiet_period_minutes int not null default 60 check (quiet_period_minutes between 0 and 1440),
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create unique index alert_rules_name_key on alert_rules (lower(name))`.execute(db);

  await sql`
    create table alert_rule_channels (
      rule_id uuid not null references alert_rules (id) on delete cascade,
      channel_id uuid not null references alert_channels (id) on delete cascade,
      primary key (rule_id, channel_id)
    )
  `.execute(db);
  await sql`create index alert_rule_channels_channel_idx on alert_rule_channels (channel_id)`.execute(db);

  // The history outlives its rule: a deleted rule's incidents keep its name and kind.
  await sql`
    create table alert_incidents (
      id uuid primary key default gen_random_uuid(),
      rule_id uuid references alert_rules (id) on delete set null,
      rule_name text not null,
      kind text not null,
      -- What the rule watches this incident for: a source id, a posting id, an endpoint id, or 'cluster'.
      subject_key text not null,
      subject text not null,
      details text not null,
      link text,
      opened_at timestamptz not null default now(),
      -- When the condition last turned true: after a reopen within the quiet period, later than opened_at.
      fired_at timestamptz not null default now(),
      resolved_at timestamptz,
      -- 'cleared' (the condition ended: a recovery message), 'rule_changed' (deleted or disabled: none).
      resolution text check (resolution in ('cleared', 'rule_changed')),
      last_notified_at timestamptz
    )
  `.execute(db);
  await sql`create unique index alert_incidents_open_key on alert_incidents (rule_id, subject_key) where resolved_at is null`.execute(
    db,
  );
  await sql`create index alert_incidents_rule_subject_idx on alert_incidents (rule_id, subject_key, opened_at desc)`.execute(
    db,
  );
  await sql`create index alert_incidents_opened_idx on alert_incidents (opened_at desc, id desc)`.execute(db);

  // ok null: not sent yet (claimed_at says who is sending it); the evaluator's outbox.
  await sql`
    create table alert_notifications (
      id uuid primary key default gen_random_uuid(),
      incident_id uuid references alert_incidents (id) on delete cascade,
      rule_id uuid references alert_rules (id) on delete set null,
      channel_id uuid references alert_channels (id) on delete set null,
      channel_name text not null,
      kind text not null check (kind in ('firing', 'recovery', 'test')),
      subject_line text not null,
      body text not null,
      link text,
      ok boolean,
      error_code text,
      error_message text,
      claimed_at timestamptz,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    )
  `.execute(db);
  await sql`create index alert_notifications_incident_idx on alert_notifications (incident_id, created_at)`.execute(db);
  await sql`create index alert_notifications_unsent_idx on alert_notifications (created_at) where ok is null`.execute(
    db,
  );

  // One row: when the last evaluation pass ran, whichever process ran it.
  await sql`
    create table alert_evaluations (
      id int primary key default 1 check (id = 1),
      evaluated_at timestamptz not null
    )
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists alert_evaluations`.execute(db);
  await sql`drop table if exists alert_notifications`.execute(db);
  await sql`drop table if exists alert_incidents`.execute(db);
  await sql`drop table if exists alert_rule_channels`.execute(db);
  await sql`drop table if exists alert_rules`.execute(db);
  await sql`drop table if exists alert_channels`.execute(db);
}
