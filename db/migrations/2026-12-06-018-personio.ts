import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // OAuth2 client-credentials tokens (issue 20, item 3), shared by every worker so that N workers
  // ask the token endpoint once, not N times. One row per source and client configuration (a hash
  // of token URL, client id, scope and client authentication): editing any of them starts a new
  // row instead of reusing a token issued for another client. The token is encrypted like every
  // other secret; the row is the cache, so losing it costs one token request.
  await sql`
    create table oauth2_tokens (
      source_id uuid not null references sources (id) on delete cascade,
      config_hash text not null,
      access_token_encrypted text not null,
      token_type text not null,
      expires_at timestamptz not null,
      fetched_at timestamptz not null default now(),
      primary key (source_id, config_hash)
    )
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists oauth2_tokens`.execute(db);
}
