import type { Database } from '@/db/client';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { Actor } from '@/lib/auth/actor';
import { decryptSecret, encryptSecret, type Keyring, needsReencryption } from '@/lib/crypto/secret-box';

const COLUMNS = ['secret_encrypted', 'previous_secret_encrypted'] as const;

/**
 * Re-encrypts every webhook signing secret (the current one and one still signing after a
 * rotation) that is under a previous APP_ENCRYPTION_KEY with the current key, for
 * `secrets rotate`. Safe to run again: values already under the current key are left alone.
 */
export async function reencryptWebhookSecrets(
  db: Database,
  actor: Actor,
  keyring: Keyring,
): Promise<{ endpoints: number; values: number }> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('webhook_endpoints')
      .select(['id', ...COLUMNS])
      .forUpdate()
      .execute();
    let values = 0;
    let endpoints = 0;
    for (const row of rows) {
      const changes: Partial<Record<(typeof COLUMNS)[number], string>> = {};
      for (const column of COLUMNS) {
        const stored = row[column];
        if (stored && needsReencryption(keyring, stored))
          changes[column] = encryptSecret(keyring, decryptSecret(keyring, stored));
      }
      const n = Object.keys(changes).length;
      if (n === 0) continue;
      await trx.updateTable('webhook_endpoints').set(changes).where('id', '=', row.id).execute();
      values += n;
      endpoints += 1;
    }
    if (values > 0) {
      await recordAuditEvent(trx, {
        actor,
        action: 'secrets.rotated',
        targetType: 'webhook_endpoint',
        details: { endpoints, values, key_id: keyring.current.id },
      });
    }
    return { endpoints, values };
  });
}
