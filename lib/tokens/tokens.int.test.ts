import { describe, expect, it } from 'vitest';
import * as me from '@/app/api/v1/me/route';
import * as tokens from '@/app/api/v1/tokens/route';
import * as tokenById from '@/app/api/v1/tokens/[id]/route';
import * as userById from '@/app/api/v1/users/[id]/route';
import * as userTokens from '@/app/api/v1/users/[id]/tokens/route';
import * as userTokenById from '@/app/api/v1/users/[id]/tokens/[tokenId]/route';
import { getDb } from '@/lib/db';
import { type TestUser, callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import { hashToken } from './service';

async function tokenRows(user: TestUser) {
  return getDb().selectFrom('api_tokens').selectAll().where('user_id', '=', user.id).orderBy('created_at').execute();
}

async function tokenIdOf(token: string): Promise<string> {
  const row = await getDb()
    .selectFrom('api_tokens')
    .select('id')
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirstOrThrow();
  return row.id;
}

async function works(token: string): Promise<boolean> {
  const res = await callRoute(me.GET, { auth: { token } });
  if (res.status !== 200 && res.status !== 401) throw new Error(`unexpected status ${res.status}`);
  return res.status === 200;
}

async function createdEvents(user: TestUser): Promise<number> {
  const row = await getDb()
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('actor_id', '=', user.id)
    .where('action', '=', 'token.created')
    .executeTakeFirstOrThrow();
  return row.n;
}

function auditFor(targetId: string) {
  return getDb().selectFrom('audit_events').selectAll().where('target_id', '=', targetId).orderBy('id').execute();
}

describe('tokens: only people make tokens', () => {
  it('refuses to create a token with a Bearer token (403, nothing created), for admins too', async () => {
    for (const role of ['recruiter', 'admin'] as const) {
      const user = await createTestUser(role);
      const token = await createTestToken(user);
      const createdBefore = await createdEvents(user);
      const res = await callRoute(tokens.POST, {
        method: 'POST',
        auth: { token },
        body: { name: 'minted by a token', scopes: ['jobs:read'] },
      });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        error: {
          code: 'forbidden',
          message: 'API tokens cannot do this: use a signed-in browser session or the CLI',
        },
      });
      expect(await tokenRows(user)).toHaveLength(1);
      expect(await createdEvents(user)).toBe(createdBefore);
    }
  });

  it('still creates a token in a signed-in session', async () => {
    const user = await createTestUser('recruiter');
    const res = await callRoute(tokens.POST, {
      method: 'POST',
      auth: { session: user },
      body: { name: 'from the UI', scopes: ['jobs:read'] },
    });
    expect(res.status).toBe(201);
    expect(await works(res.body.token)).toBe(true);
  });

  it('lets a token revoke itself but no other token of its owner', async () => {
    const user = await createTestUser('recruiter');
    const token = await createTestToken(user);
    const other = await createTestToken(user);
    const otherId = await tokenIdOf(other);
    const refused = await callRoute(tokenById.DELETE, { method: 'DELETE', auth: { token }, params: { id: otherId } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect(await works(other)).toBe(true);

    const self = await callRoute(tokenById.DELETE, {
      method: 'DELETE',
      auth: { token },
      params: { id: await tokenIdOf(token) },
    });
    expect(self.status).toBe(200);
    expect(self.body.status).toBe('revoked');
    expect(await works(token)).toBe(false);
    expect(await works(other)).toBe(true);
  });
});

describe('tokens: a password reset revokes them', () => {
  it('revokes every token of the user in the reset, says how many, and leaves others alone', async () => {
    const admin = await createTestUser('admin');
    const user = await createTestUser('recruiter');
    const bystander = await createTestUser('recruiter');
    const first = await createTestToken(user);
    const second = await createTestToken(user);
    const alreadyRevoked = await createTestToken(user);
    const bystanderToken = await createTestToken(bystander);
    await callRoute(tokenById.DELETE, {
      method: 'DELETE',
      auth: { token: alreadyRevoked },
      params: { id: await tokenIdOf(alreadyRevoked) },
    });

    const rename = await callRoute(userById.PATCH, {
      method: 'PATCH',
      auth: { session: admin },
      params: { id: user.id },
      body: { name: 'Renamed Only' },
    });
    expect(rename.status).toBe(200);
    expect(rename.body).not.toHaveProperty('tokens_revoked');
    expect(await works(first)).toBe(true);

    const reset = await callRoute(userById.PATCH, {
      method: 'PATCH',
      auth: { session: admin },
      params: { id: user.id },
      body: { password: 'a-brand-new-password' },
    });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ id: user.id, tokens_revoked: 2 });
    expect(await works(first)).toBe(false);
    expect(await works(second)).toBe(false);
    expect(await works(bystanderToken)).toBe(true);
    expect((await tokenRows(user)).every((t) => t.revoked_at !== null)).toBe(true);

    const [event] = (await auditFor(user.id)).filter((e) => e.action === 'user.updated').slice(-1);
    expect(event.actor_id).toBe(admin.id);
    expect(event.details).toMatchObject({ changes: { password_reset: true }, tokens_revoked: 2 });
    for (const token of [first, second]) {
      const revoked = (await auditFor(await tokenIdOf(token))).filter((e) => e.action === 'token.revoked');
      expect(revoked).toHaveLength(1);
      expect(revoked[0]).toMatchObject({ actor_id: admin.id });
      expect(revoked[0].details).toMatchObject({ user_id: user.id, reason: 'password_reset' });
    }
  });

  it('revokes nothing when the update is refused', async () => {
    const admin = await createTestUser('admin');
    const user = await createTestUser('recruiter');
    const token = await createTestToken(user);
    const res = await callRoute(userById.PATCH, {
      method: 'PATCH',
      auth: { session: admin },
      params: { id: user.id },
      body: { password: 'short' },
    });
    expect(res.status).toBe(422);
    expect(await works(token)).toBe(true);
  });
});

describe('tokens: admins see and revoke any user’s tokens', () => {
  it('lists another user’s tokens without secrets and revokes one, which then gets 401', async () => {
    const admin = await createTestUser('admin');
    const user = await createTestUser('recruiter');
    const kept = await createTestToken(user);
    const leaked = await createTestToken(user);
    const leakedId = await tokenIdOf(leaked);

    const list = await callRoute(userTokens.GET, { auth: { session: admin }, params: { id: user.id } });
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(2);
    expect(Object.keys(list.body.data[0]).sort()).toEqual(
      [
        'created_at',
        'expires_at',
        'expires_soon',
        'id',
        'last_used_at',
        'name',
        'prefix',
        'revoked_at',
        'scopes',
        'scopes_from_role',
        'status',
      ].sort(),
    );
    const text = JSON.stringify(list.body);
    for (const secret of [kept, leaked, hashToken(kept), hashToken(leaked)]) expect(text).not.toContain(secret);

    const revoke = await callRoute(userTokenById.DELETE, {
      method: 'DELETE',
      auth: { session: admin },
      params: { id: user.id, tokenId: leakedId },
    });
    expect(revoke.status).toBe(200);
    expect(revoke.body).toMatchObject({ id: leakedId, status: 'revoked' });
    expect(JSON.stringify(revoke.body)).not.toContain(hashToken(leaked));
    expect(await works(leaked)).toBe(false);
    expect(await works(kept)).toBe(true);

    const again = await callRoute(userTokens.GET, { auth: { session: admin }, params: { id: user.id } });
    expect(again.body.data.find((t: { id: string }) => t.id === leakedId).status).toBe('revoked');

    const audit = (await auditFor(leakedId)).filter((e) => e.action === 'token.revoked');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: admin.id, actor_email: admin.email, target_type: 'api_token' });
    expect(audit[0].details).toMatchObject({ user_id: user.id });

    // Revoking twice answers the revoked token and writes no second audit row.
    const twice = await callRoute(userTokenById.DELETE, {
      method: 'DELETE',
      auth: { session: admin },
      params: { id: user.id, tokenId: leakedId },
    });
    expect(twice.body.status).toBe('revoked');
    expect((await auditFor(leakedId)).filter((e) => e.action === 'token.revoked')).toHaveLength(1);
  });

  it('answers 404 for an unknown user or a token that is not that user’s', async () => {
    const admin = await createTestUser('admin');
    const user = await createTestUser('recruiter');
    const other = await createTestUser('recruiter');
    const othersToken = await createTestToken(other);
    const unknownUser = '00000000-0000-4000-8000-000000000000';

    const listUnknown = await callRoute(userTokens.GET, { auth: { session: admin }, params: { id: unknownUser } });
    expect(listUnknown.status).toBe(404);
    expect(listUnknown.body.error.code).toBe('user_not_found');

    const revokeUnknownUser = await callRoute(userTokenById.DELETE, {
      method: 'DELETE',
      auth: { session: admin },
      params: { id: unknownUser, tokenId: await tokenIdOf(othersToken) },
    });
    expect(revokeUnknownUser.status).toBe(404);
    expect(revokeUnknownUser.body.error.code).toBe('user_not_found');

    const mismatched = await callRoute(userTokenById.DELETE, {
      method: 'DELETE',
      auth: { session: admin },
      params: { id: user.id, tokenId: await tokenIdOf(othersToken) },
    });
    expect(mismatched.status).toBe(404);
    expect(mismatched.body.error.code).toBe('token_not_found');
    expect(await works(othersToken)).toBe(true);
  });

  it('refuses recruiters (403) and does not let an admin’s Bearer token revoke other tokens', async () => {
    const recruiter = await createTestUser('recruiter');
    const recruiterToken = await createTestToken(recruiter);
    const victim = await createTestUser('recruiter');
    const victimToken = await createTestToken(victim);
    const victimTokenId = await tokenIdOf(victimToken);

    for (const auth of [{ session: recruiter }, { token: recruiterToken }]) {
      const list = await callRoute(userTokens.GET, { auth, params: { id: victim.id } });
      expect(list.status).toBe(403);
      expect(list.body.error.code).toBe('forbidden');
      const revoke = await callRoute(userTokenById.DELETE, {
        method: 'DELETE',
        auth,
        params: { id: victim.id, tokenId: victimTokenId },
      });
      expect(revoke.status).toBe(403);
      // Nor does the endpoint for one's own tokens: not found in a session, refused to a token.
      const viaOwn = await callRoute(tokenById.DELETE, { method: 'DELETE', auth, params: { id: victimTokenId } });
      expect(viaOwn.status).toBe('session' in auth ? 404 : 403);
    }
    expect(await works(victimToken)).toBe(true);

    const admin = await createTestUser('admin');
    const adminToken = await createTestToken(admin);
    const listed = await callRoute(userTokens.GET, { auth: { token: adminToken }, params: { id: victim.id } });
    expect(listed.status).toBe(200);
    const byToken = await callRoute(userTokenById.DELETE, {
      method: 'DELETE',
      auth: { token: adminToken },
      params: { id: victim.id, tokenId: victimTokenId },
    });
    expect(byToken.status).toBe(403);
    expect(byToken.body.error.code).toBe('forbidden');
    expect(await works(victimToken)).toBe(true);
  });
});
