import type { Database } from '@/db/client';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { Actor } from '@/lib/auth/actor';
import { reencryptSecretColumns } from '@/lib/crypto/secret-columns-repository';
import type { Keyring } from '@/lib/crypto/secret-box';

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
    const { rows: endpoints, values } = await reencryptSecretColumns(trx, 'webhook_endpoints', keyring);
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
