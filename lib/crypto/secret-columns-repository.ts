import { sql, type Transaction } from 'kysely';
import type { DB } from '@/db/types';
import { decryptSecret, encryptSecret, type Keyring, needsReencryption } from './secret-box';

/** The tables that hold secrets encrypted with APP_ENCRYPTION_KEY, and their secret columns. */
const SECRET_COLUMNS = {
  sources: ['auth_secret_encrypted', 'signing_secret_encrypted'],
  webhook_endpoints: ['secret_encrypted', 'previous_secret_encrypted'],
  // alerts (issue 23): a Slack incoming-webhook URL is the credential itself.
  alert_channels: ['slack_webhook_url_encrypted'],
} as const;

/**
 * Re-encrypts, with the current key, every secret of the table that is still under a previous one
 * (`secrets rotate`); the rows are locked while it runs. Values already under the current key are
 * left alone, so it is safe to run again. Answers how many rows and values changed.
 */
export async function reencryptSecretColumns(
  trx: Transaction<DB>,
  table: keyof typeof SECRET_COLUMNS,
  keyring: Keyring,
): Promise<{ rows: number; values: number }> {
  const columns: readonly string[] = SECRET_COLUMNS[table];
  const { rows } = await sql<Record<string, string | null> & { id: string }>`
    select id, ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table)} for update
  `.execute(trx);
  let changedRows = 0;
  let values = 0;
  for (const row of rows) {
    const changes = columns.flatMap((column) => {
      const stored = row[column];
      return stored && needsReencryption(keyring, stored)
        ? [sql`${sql.ref(column)} = ${encryptSecret(keyring, decryptSecret(keyring, stored))}`]
        : [];
    });
    if (changes.length === 0) continue;
    await sql`update ${sql.table(table)} set ${sql.join(changes)} where id = ${row.id}`.execute(trx);
    changedRows += 1;
    values += changes.length;
  }
  return { rows: changedRows, values };
}
