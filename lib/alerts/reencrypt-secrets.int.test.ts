import { expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { decryptSecret, parseKeyring } from '@/lib/crypto/secret-box';
import { getDb } from '@/lib/db';
import { reencryptAlertSecrets } from './reencrypt-secrets';
import { createAlertChannel } from './service';

it('moves Slack webhook URLs to the current key, once, and audits it without the URL', async () => {
  const db = getDb();
  const actor = systemActor('test');
  const url = 'https://hooks.slack.com/services/T0ROTATE/B0ROTATE/rotatesecrettoken42';
  const channel = await createAlertChannel(db, actor, { name: 'Rotated', kind: 'slack', slack_webhook_url: url });
  const newKey = Buffer.alloc(32, 13).toString('base64');
  const keyring = parseKeyring(newKey, process.env.APP_ENCRYPTION_KEY ?? '');
  expect(await reencryptAlertSecrets(db, actor, keyring)).toEqual({ channels: 1, values: 1 });
  expect(await reencryptAlertSecrets(db, actor, keyring)).toEqual({ channels: 0, values: 0 });
  const row = await db.selectFrom('alert_channels').selectAll().where('id', '=', channel.id).executeTakeFirstOrThrow();
  expect(decryptSecret(parseKeyring(newKey), row.slack_webhook_url_encrypted ?? '')).toBe(url);
  const audit = await db
    .selectFrom('audit_events')
    .select('details')
    .where('target_type', '=', 'alert_channel')
    .execute();
  expect(JSON.stringify(audit)).not.toContain('rotatesecrettoken42');
});
