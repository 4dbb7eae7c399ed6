import type { Database } from '@/db/client';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { Actor } from '@/lib/auth/actor';
import { reencryptSecretColumns } from '@/lib/crypto/secret-columns-repository';
import type { Keyring } from '@/lib/crypto/secret-box';

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
    const { rows: sources, values } = await reencryptSecretColumns(trx, 'sources', keyring);
    await recordAuditEvent(trx, {
      actor,
      action: 'secrets.rotated',
      targetType: 'source',
      details: { sources, values, key_id: keyring.current.id },
    });
    return { sources, values };
  });
}
