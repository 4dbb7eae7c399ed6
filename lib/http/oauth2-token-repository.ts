import { type Insertable, sql, type Transaction } from 'kysely';
import type { Database } from '@/db/client';
import type { DB, OAuth2TokensTable } from '@/db/types';

type Db = Database | Transaction<DB>;

/** Held until the caller's transaction ends: one token fetch per cache key across all workers. */
export async function lockOAuth2TokenKey(trx: Transaction<DB>, sourceId: string, configHash: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`oauth2:${sourceId}:${configHash}`}, 0))`.execute(trx);
}

export function findOAuth2Token(db: Db, sourceId: string, configHash: string) {
  return db
    .selectFrom('oauth2_tokens')
    .select(['access_token_encrypted', 'expires_at', 'fetched_at'])
    .where('source_id', '=', sourceId)
    .where('config_hash', '=', configHash)
    .executeTakeFirst();
}

export async function saveOAuth2Token(db: Db, row: Insertable<OAuth2TokensTable>): Promise<void> {
  await db
    .insertInto('oauth2_tokens')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['source_id', 'config_hash']).doUpdateSet({
        access_token_encrypted: row.access_token_encrypted,
        token_type: row.token_type,
        expires_at: row.expires_at,
        fetched_at: row.fetched_at,
      }),
    )
    .execute();
}

export async function deleteOAuth2Token(db: Db, sourceId: string, configHash: string): Promise<void> {
  await db
    .deleteFrom('oauth2_tokens')
    .where('source_id', '=', sourceId)
    .where('config_hash', '=', configHash)
    .execute();
}
