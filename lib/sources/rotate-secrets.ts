import type { Database } from '@/db/client';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { Actor } from '@/lib/auth/actor';
import { decryptSecret, encryptSecret, type Keyring, needsReencryption } from '@/lib/crypto/secret-box';

const COLUMNS = ['auth_secret_encrypted', 'signing_secret_encrypted'] as const;

/**
 * Re-encrypts every stored source secret that is still under a previous key with the current key.
 * Safe to run again: values already under the current key are left alone.
 */
export async function rotateSourceSecrets(
  db: Database,
  actor: Actor,
  keyring: Keyring,
): Promise<{ sources: number; values: number }> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('sources')
      .select(['id', ...COLUMNS])
      .forUpdate()
      .execute();
    let values = 0;
    let sources = 0;
    for (const row of rows) {
      const changes: Partial<Record<(typeof COLUMNS)[number], string>> = {};
      for (const column of COLUMNS) {
        const stored = row[column];
        if (stored && needsReencryption(keyring, stored))
          changes[column] = encryptSecret(keyring, decryptSecret(keyring, stored));
      }
      const n = Object.keys(changes).length;
      if (n === 0) continue;
      await trx.updateTable('sources').set(changes).where('id', '=', row.id).execute();
      values += n;
      sources += 1;
    }
    await recordAuditEvent(trx, {
      actor,
      action: 'secrets.rotated',
      targetType: 'source',
      details: { sources, values, key_id: keyring.current.id },
    });
    return { sources, values };
  });
}
