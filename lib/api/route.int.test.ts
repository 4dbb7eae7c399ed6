import { describe, expect, it, vi } from 'vitest';
import * as me from '@/app/api/v1/me/route';
import * as users from '@/app/api/v1/users/route';
import * as userById from '@/app/api/v1/users/[id]/route';
import * as tokens from '@/app/api/v1/tokens/route';
import * as tokenById from '@/app/api/v1/tokens/[id]/route';
import * as unknown from '@/app/api/[...path]/route';
import { getDb } from '@/lib/db';
import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';

describe('route wrapper: authentication', () => {
  it('answers 401 unauthorized without credentials', async () => {
    const res = await callRoute(me.GET, { path: '/api/v1/me' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('accepts a Bearer token and a session cookie', async () => {
    const user = await createTestUser('recruiter');
    const token = await createTestToken(user);
    const viaToken = await callRoute(me.GET, { auth: { token } });
    expect(viaToken.status).toBe(200);
    expect(viaToken.body).toMatchObject({ id: user.id, email: user.email, role: 'recruiter', via: 'token' });
    const listed = await callRoute(tokens.GET, { auth: { token } });
    expect(listed.body.data[0].last_used_at).not.toBeNull();
    const viaSession = await callRoute(me.GET, { auth: { session: user } });
    expect(viaSession.body).toMatchObject({ id: user.id, via: 'session' });
  });

  it('refuses a bad, revoked or expired token with 401 invalid_token', async () => {
    const user = await createTestUser('recruiter');
    expect((await callRoute(me.GET, { auth: { token: 'ats_not-a-real-token-000000000' } })).body.error.code).toBe(
      'invalid_token',
    );
    expect((await callRoute(me.GET, { headers: { authorization: 'Basic abc' } })).status).toBe(401);

    const token = await createTestToken(user);
    const list = await callRoute(tokens.GET, { auth: { token } });
    const id = list.body.data[0].id;
    const revoke = await callRoute(tokenById.DELETE, { method: 'DELETE', auth: { token }, params: { id } });
    expect(revoke.body.status).toBe('revoked');
    expect((await callRoute(me.GET, { auth: { token } })).status).toBe(401);

    // Valid for an hour, then expired by moving expires_at into the past: no race with the clock.
    const expiring = await createTestToken(user, new Date(Date.now() + 3_600_000).toISOString());
    expect((await callRoute(me.GET, { auth: { token: expiring } })).status).toBe(200);
    await getDb()
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('revoked_at', 'is', null)
      .execute();
    // Changed behind the service's back (as another process would): refused once the check of
    // the last second has lapsed (lib/api/credential-cache.int.test.ts proves the bound).
    const expired = await vi.waitFor(
      async () => {
        const res = await callRoute(me.GET, { auth: { token: expiring } });
        expect(res.status).toBe(401);
        return res;
      },
      { timeout: 60_000, interval: 50 },
    );
    expect(expired.body.error.code).toBe('invalid_token');
  });

  it('stops a deactivated user at once, for sessions and tokens', async () => {
    const admin = await createTestUser('admin');
    const user = await createTestUser('recruiter');
    const token = await createTestToken(user);
    const res = await callRoute(userById.PATCH, {
      method: 'PATCH',
      auth: { session: admin },
      params: { id: user.id },
      body: { is_active: false },
    });
    expect(res.status).toBe(200);
    expect(res.body.is_active).toBe(false);
    expect((await callRoute(me.GET, { auth: { token } })).status).toBe(401);
    expect((await callRoute(me.GET, { auth: { session: user } })).status).toBe(401);
  });
});

describe('route wrapper: roles, CSRF and input', () => {
  it('answers 403 forbidden to a recruiter on admin routes', async () => {
    const user = await createTestUser('recruiter');
    const res = await callRoute(users.GET, { auth: { session: user } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('refuses a cross-site or token-less cookie POST with 403 and changes nothing', async () => {
    const admin = await createTestUser('admin');
    const body = { email: 'csrf-victim@example.test', name: 'X', role: 'admin', password: 'long-enough-pw' };
    for (const csrf of ['cross-site', 'missing'] as const) {
      const res = await callRoute(users.POST, { method: 'POST', auth: { session: admin, csrf }, body });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('csrf_failed');
    }
    const found = await getDb().selectFrom('users').select('id').where('email', '=', body.email).execute();
    expect(found).toHaveLength(0);
  });

  it('lets Bearer requests through without CSRF', async () => {
    const admin = await createTestUser('admin');
    const token = await createTestToken(admin);
    const res = await callRoute(users.POST, {
      method: 'POST',
      auth: { token },
      body: { email: 'New.Person@Example.test', name: 'New Person', role: 'recruiter', password: 'long-enough-pw' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: 'new.person@example.test', role: 'recruiter', is_active: true });
    expect(res.body).not.toHaveProperty('password_hash');
    const again = await callRoute(users.POST, {
      method: 'POST',
      auth: { token },
      body: { email: 'new.person@example.test', name: 'Dup', role: 'recruiter', password: 'long-enough-pw' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('email_taken');
  });

  it('maps malformed JSON, missing fields, wrong types and unknown fields', async () => {
    const admin = await createTestUser('admin');
    const token = await createTestToken(admin);
    const post = (extra: Parameters<typeof callRoute>[1]) =>
      callRoute(users.POST, { method: 'POST', auth: { token }, ...extra });

    const malformed = await post({ rawBody: '{"email": ', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');

    const missing = await post({ body: { email: 'a@example.test' } });
    expect(missing.status).toBe(422);
    expect(missing.body.error.code).toBe('validation_failed');
    expect(missing.body.error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['name', 'role', 'password']),
    );

    const wrongType = await post({
      body: { email: 'a@example.test', name: 42, role: 'owner', password: 'long-enough-pw' },
    });
    expect(wrongType.status).toBe(422);

    const unknownField = await post({
      body: { email: 'b@example.test', name: 'B', role: 'admin', password: 'long-enough-pw', is_superuser: true },
    });
    expect(unknownField.status).toBe(422);

    const notJson = await post({
      rawBody: 'email=a',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(notJson.status).toBe(415);

    const huge = await post({ rawBody: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');

    const badId = await callRoute(userById.PATCH, {
      method: 'PATCH',
      auth: { token },
      params: { id: 'not-a-uuid' },
      body: { name: 'x' },
    });
    expect(badId.status).toBe(404);
  });

  it('answers unknown API routes with 404 JSON', async () => {
    const res = await callRoute(unknown.GET, { path: '/api/v1/nope' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('never demotes the last active admin', async () => {
    await getDb().updateTable('users').set({ is_active: false }).where('role', '=', 'admin').execute();
    const admin = await createTestUser('admin');
    const token = await createTestToken(admin);
    const res = await callRoute(userById.PATCH, {
      method: 'PATCH',
      auth: { token },
      params: { id: admin.id },
      body: { role: 'recruiter' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_state');
  });
});
