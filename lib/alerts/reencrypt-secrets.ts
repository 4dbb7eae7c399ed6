import type { Database } from '@/db/client';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { Actor } from '@/lib/auth/actor';
import { reencryptSecretColumns } from '@/lib/crypto/secret-columns-repository';
import type { Keyring } from '@/lib/crypto/secret-box';

/**
 * Re-encrypts every alert channel's Slack webhook URL still under a previous APP_ENCRYPTION_KEY
 * with the current key, for `secrets rotate`. Safe to run again.
 */
export async function reencryptAlertSecrets(
  db: Database,
  actor: Actor,
  keyring: Keyring,
): Promise<{ channels: number; values: number }> {
  return db.transaction().execute(async (trx) => {
    const { rows: channels, values } = await reencryptSecretColumns(trx, 'alert_channels', keyring);
    if (values > 0) {
      await recordAuditEvent(trx, {
        actor,
        action: 'secrets.rotated',
        targetType: 'alert_channel',
        details: { channels, values, key_id: keyring.current.id },
      });
    }
    return { channels, values };
  });
}
