import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
//
// Webhook endpoint management (issue 22 item 4).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table webhook_endpoints
      add column description text,
      -- A rotated-out secret keeps signing (beside the new one) until it expires, so receivers can
      -- switch without dropping a request; encrypted like the current one.
      add column previous_secret_encrypted text,
      add column previous_secret_expires_at timestamptz,
      -- The first failed attempt since the last success: the clock of the automatic disable.
      add column failing_since timestamptz,
      add column disabled_at timestamptz,
      -- 'admin' (switched off by someone) or 'failing' (every attempt failed for the configured period).
      add column disabled_kind text check (disabled_kind in ('admin', 'failing')),
      add column disabled_reason text,
      add column disabled_by uuid references users (id) on delete set null
  `.execute(db);
  // A redelivery is a row of its own; this is the id of the first delivery of that event to that
  // endpoint (no foreign key: retention may remove the original while its redelivery stays).
  await sql`alter table webhook_deliveries add column redelivery_of uuid`.execute(db);
  await sql`create index webhook_deliveries_redelivery_idx on webhook_deliveries (redelivery_of) where redelivery_of is not null`.execute(
    db,
  );
  // The log's filters: one endpoint's deliveries of a status, newest first.
  await sql`create index webhook_deliveries_endpoint_status_idx on webhook_deliveries (endpoint_id, status, created_at desc, id desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists webhook_deliveries_endpoint_status_idx`.execute(db);
  await sql`drop index if exists webhook_deliveries_redelivery_idx`.execute(db);
  await sql`alter table webhook_deliveries drop column redelivery_of`.execute(db);
  await sql`
    alter table webhook_endpoints
      drop column description, drop column previous_secret_encrypted, drop column previous_secret_expires_at,
      drop column failing_since, drop column disabled_at, drop column disabled_kind, drop column disabled_reason,
      drop column disabled_by
  `.execute(db);
}
