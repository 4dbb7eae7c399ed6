import { expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { createWebhook } from '@/lib/webhooks/service';
import { createTestSource } from '@/test/sync-harness';
import * as stdwh from './2026-12-06-028-stdwh';

/**
 * Receivers that exist before the upgrade verify X-ATS-Signature: their sources and endpoints must
 * keep sending it (legacy), while anything created afterwards signs the Standard Webhooks way.
 */
it('makes existing sources and endpoints legacy and new ones standard', async () => {
  const db = getDb();
  const actor = systemActor('test');
  const source = await createTestSource('http://127.0.0.1:9', {
    signing_secret: 'a-secret-from-before-0123',
    signing_mode: 'legacy',
  });
  const endpoint = await createWebhook(db, actor, {
    name: 'before',
    url: 'http://127.0.0.1:9/hook',
    events: ['sync.failed'],
  });

  await stdwh.down(db);
  await stdwh.up(db);

  const modeOf = async (table: 'sources' | 'webhook_endpoints', id: string) =>
    (await db.selectFrom(table).select('signing_mode').where('id', '=', id).executeTakeFirstOrThrow()).signing_mode;
  expect(await modeOf('sources', source.id)).toBe('legacy');
  expect(await modeOf('webhook_endpoints', endpoint.id)).toBe('legacy');

  // Rows written without the column, as code from before the upgrade writes them, default to standard.
  const later = await db
    .insertInto('webhook_endpoints')
    .values({
      name: 'after',
      url: 'http://127.0.0.1:9/new',
      events: ['sync.failed'],
      secret_encrypted: 'x',
      secret_hint: 'x',
    })
    .returning('signing_mode')
    .executeTakeFirstOrThrow();
  expect(later.signing_mode).toBe('standard');
  const newSource = await createTestSource('http://127.0.0.1:9');
  expect(await modeOf('sources', newSource.id)).toBe('standard');
});
