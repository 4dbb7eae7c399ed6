import { describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { decryptSecret, parseKeyring } from '@/lib/crypto/secret-box';
import { getDb } from '@/lib/db';
import { createSource } from './service';
import { rotateSourceSecrets } from './rotate-secrets';

const actor = systemActor('test');

describe('rotateSourceSecrets', () => {
  it('re-encrypts secrets under a previous key with the current one, once', async () => {
    const db = getDb();
    const oldKey = process.env.APP_ENCRYPTION_KEY!;
    await createSource(db, actor, {
      name: 'Rotating',
      connector: 'generic_webhook',
      base_url: 'http://127.0.0.1:9',
      sync_endpoint: '/x',
      method: 'POST',
      auth: { type: 'bearer', token: 'the-bearer-token-1234' },
      signing_secret: 'a-signing-secret-of-some-length',
      signing_mode: 'legacy',
      headers: {},
      field_mapping: {},
      timeout_ms: 1000,
      max_concurrency: 1,
      max_attempts: 1,
      is_active: true,
    });
    const newKey = Buffer.alloc(32, 9).toString('base64');
    const keyring = parseKeyring(newKey, oldKey);
    expect(await rotateSourceSecrets(db, actor, keyring)).toEqual({ sources: 1, values: 2 });
    expect(await rotateSourceSecrets(db, actor, keyring)).toEqual({ sources: 0, values: 0 });

    const row = await db.selectFrom('sources').selectAll().where('name', '=', 'Rotating').executeTakeFirstOrThrow();
    const onlyNew = parseKeyring(newKey);
    expect(decryptSecret(onlyNew, row.auth_secret_encrypted!)).toBe('the-bearer-token-1234');
    expect(decryptSecret(onlyNew, row.signing_secret_encrypted!)).toBe('a-signing-secret-of-some-length');
    const audit = await db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('action', '=', 'secrets.rotated')
      .execute();
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain('the-bearer-token');
  });
});
