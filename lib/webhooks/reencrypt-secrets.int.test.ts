import { describe, expect, it } from 'vitest';
import * as rotateRoute from '@/app/api/v1/webhooks/[id]/rotate-secret/route';
import { decryptSecret, parseKeyring } from '@/lib/crypto/secret-box';
import { getDb } from '@/lib/db';
import { callRoute, createTestUser } from '@/test/fixtures';
import { systemActor } from '@/lib/auth/actor';
import { reencryptWebhookSecrets } from './reencrypt-secrets';
import { createWebhook } from './service';

const actor = systemActor('test');

describe('reencryptWebhookSecrets', () => {
  it('moves the current and the still-signing previous secret to the current key, once', async () => {
    const db = getDb();
    const oldKey = process.env.APP_ENCRYPTION_KEY ?? '';
    const created = await createWebhook(db, actor, {
      name: 'keys',
      url: 'http://127.0.0.1:9/hook',
      events: ['sync.failed'],
    });
    const admin = await createTestUser('admin');
    const rotated = await callRoute(rotateRoute.POST, {
      method: 'POST',
      params: { id: created.id },
      auth: { session: admin },
    });
    expect(rotated.status).toBe(200);

    const newKey = Buffer.alloc(32, 11).toString('base64');
    const keyring = parseKeyring(newKey, oldKey);
    expect(await reencryptWebhookSecrets(db, actor, keyring)).toEqual({ endpoints: 1, values: 2 });
    expect(await reencryptWebhookSecrets(db, actor, keyring)).toEqual({ endpoints: 0, values: 0 });

    const row = await db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    const onlyNew = parseKeyring(newKey);
    expect(decryptSecret(onlyNew, row.secret_encrypted)).toBe(rotated.body.secret);
    expect(decryptSecret(onlyNew, row.previous_secret_encrypted ?? '')).toBe(created.secret);
    const audit = await db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'secrets.rotated')
      .where('target_type', '=', 'webhook_endpoint')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('whsec_');
  });
});
