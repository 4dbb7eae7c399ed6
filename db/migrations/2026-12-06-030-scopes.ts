import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
//
// A token's scopes. Null is a token made before scopes existed: it keeps acting with every scope of
// its owner's role (lib/tokens/scopes.ts effectiveScopes), so nothing that uses one breaks. Not
// backfilled with the role's list: a role changed later should still decide what such a token may do.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table api_tokens
      add column scopes text[] check (scopes is null or cardinality(scopes) > 0)
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table api_tokens drop column scopes`.execute(db);
}
