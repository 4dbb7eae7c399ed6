import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // OAuth2 client credentials as a source auth type for any connector (issue 20, item 3). The
  // client id is auth_username and the client secret auth_secret, like Basic; the token endpoint,
  // scope and how the client authenticates there are not secret and get their own columns. A
  // connector that documents its token endpoint (Personio) fills them when the source leaves them out.
  await sql`alter table sources drop constraint if exists sources_auth_type_check`.execute(db);
  await sql`
    alter table sources add constraint sources_auth_type_check
    check (auth_type in ('none', 'bearer', 'api_key_header', 'basic', 'oauth2_client_credentials'))
  `.execute(db);
  await sql`
    alter table sources
      add column auth_token_url text,
      add column auth_scope text,
      add column auth_client_auth text
        check (auth_client_auth in ('client_secret_post', 'client_secret_basic'))
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update sources set auth_type = 'none', auth_secret_encrypted = null, auth_secret_hint = null
            where auth_type = 'oauth2_client_credentials'`.execute(db);
  await sql`alter table sources drop column auth_token_url, drop column auth_scope, drop column auth_client_auth`.execute(
    db,
  );
  await sql`alter table sources drop constraint if exists sources_auth_type_check`.execute(db);
  await sql`alter table sources add constraint sources_auth_type_check
            check (auth_type in ('none', 'bearer', 'api_key_header', 'basic'))`.execute(db);
}
