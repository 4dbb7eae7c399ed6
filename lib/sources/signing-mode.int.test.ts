import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sourceById from '@/app/api/v1/sources/[id]/route';
import * as sourcesRoute from '@/app/api/v1/sources/route';
import * as webhooksRoute from '@/app/api/v1/webhooks/route';
import { getDb } from '@/lib/db';
import { generateSigningSecret } from '@/lib/http/webhook-secret';
import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';

/** A source's signing_mode (Standard Webhooks or legacy) and the secrets each mode takes, through the API. */

let auth: { token: string };
beforeAll(async () => {
  auth = { token: await createTestToken(await createTestUser('admin')) };
});

const post = (body: Record<string, unknown>) => callRoute(sourcesRoute.POST, { method: 'POST', auth, body });
const patch = (id: string, body: Record<string, unknown>) =>
  callRoute(sourceById.PATCH, { method: 'PATCH', params: { id }, auth, body });
const webhook = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  connector: 'generic_webhook',
  base_url: 'https://hooks.example.test',
  ...extra,
});
const stored = (id: string) =>
  getDb()
    .selectFrom('sources')
    .select(['signing_mode', 'signing_secret_encrypted', 'updated_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
const sourceNamed = (name: string) =>
  getDb().selectFrom('sources').select('id').where('name', '=', name).executeTakeFirst();
const auditOf = (id: string) =>
  getDb()
    .selectFrom('audit_events')
    .select(['action', 'details'])
    .where('target_id', '=', id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

describe('signing_mode on create', () => {
  it('defaults to standard, takes a whsec_ secret, and answers the mode (never the secret)', async () => {
    const secret = generateSigningSecret();
    const res = await post(webhook('Std default', { signing_secret: secret }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ signing_mode: 'standard', signing_secret: { secret_set: true } });
    expect(JSON.stringify(res.body)).not.toContain(secret);
    expect(JSON.stringify(await auditOf(res.body.id))).not.toContain(secret);
    // Without a secret the mode is kept for when one is set.
    expect((await post(webhook('Std no secret'))).body.signing_mode).toBe('standard');
  });

  it('refuses a secret standard mode cannot use with 422 on signing_secret, and stores nothing', async () => {
    const cases = [
      ['a-plain-secret-of-the-old-kind', /^must start with whsec_/],
      [`whsec_${randomBytes(32).toString('base64url')}-_`, /padded standard base64/],
      [`whsec_${randomBytes(16).toString('base64')}`, /24 to 64 bytes \(this one has 16\)/],
      [`whsec_${randomBytes(65).toString('base64')}`, /24 to 64 bytes \(this one has 65\)/],
    ] as const;
    for (const [i, [secret, message]] of cases.entries()) {
      const res = await post(webhook(`Refused ${i}`, { signing_secret: secret }));
      expect(res.status, secret).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details).toEqual([{ path: 'signing_secret', message: expect.stringMatching(message) }]);
      expect(JSON.stringify(res.body)).not.toContain(secret);
      expect(await sourceNamed(`Refused ${i}`)).toBeUndefined();
    }
  });

  it('takes any secret of 16+ characters in legacy mode, and refuses a mode it does not know', async () => {
    const res = await post(
      webhook('Legacy', { signing_secret: 'a-plain-secret-of-the-old-kind', signing_mode: 'legacy' }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.signing_mode).toBe('legacy');
    for (const mode of ['stripe', 'STANDARD', '', null, 1]) {
      const bad = await post(webhook(`Mode ${String(mode)}`, { signing_mode: mode }));
      expect(bad.status).toBe(422);
      expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['signing_mode']);
      expect(await sourceNamed(`Mode ${String(mode)}`)).toBeUndefined();
    }
  });
});

describe('signing_mode on PATCH', () => {
  it('moves a legacy source to standard only with a secret standard mode can use', async () => {
    const created = await post(
      webhook('Moving', { signing_secret: 'a-plain-secret-of-the-old-kind', signing_mode: 'legacy' }),
    );
    const id = created.body.id;
    const before = await stored(id);

    const refused = await patch(id, { signing_mode: 'standard' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([
      {
        path: 'signing_secret',
        message: expect.stringMatching(/^the stored secret must start with whsec_.*send a new signing_secret/),
      },
    ]);
    expect(await stored(id)).toEqual(before);

    // A secret for a standard source must be a standard one, whether the mode comes with it or is stored.
    expect((await patch(id, { signing_mode: 'standard', signing_secret: 'another-plain-secret-123' })).status).toBe(
      422,
    );
    expect(await stored(id)).toEqual(before);

    const secret = generateSigningSecret();
    const moved = await patch(id, { signing_mode: 'standard', signing_secret: secret });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.signing_mode).toBe('standard');
    expect((await patch(id, { signing_secret: 'another-plain-secret-123' })).status).toBe(422);
    const audit = await auditOf(id);
    expect(audit.at(-1)?.details).toMatchObject({
      changes: { signing_mode: 'standard' },
    });
    expect(JSON.stringify(audit)).not.toContain(secret);

    // Back to legacy needs no new secret: a whsec_ secret signs in both modes.
    expect((await patch(id, { signing_mode: 'legacy' })).body.signing_mode).toBe('legacy');
  });
});

describe('signing_mode of a completion webhook endpoint', () => {
  it('is standard unless legacy is asked for; another value is refused', async () => {
    const admin = { session: await createTestUser('admin') };
    const create = (body: Record<string, unknown>) =>
      callRoute(webhooksRoute.POST, {
        method: 'POST',
        auth: admin,
        body: { name: 'ops', url: 'https://hooks.example.test/ops', events: ['sync.completed'], ...body },
      });
    const standard = await create({});
    expect(standard.status).toBe(201);
    expect(standard.body).toMatchObject({ signing_mode: 'standard', secret: expect.stringMatching(/^whsec_/) });
    expect((await create({ signing_mode: 'legacy' })).body.signing_mode).toBe('legacy');
    const bad = await create({ signing_mode: 'v1' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['signing_mode']);
  });
});
