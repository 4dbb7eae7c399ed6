import { describe, expect, it } from 'vitest';
import * as me from '@/app/api/v1/me/route';
import * as tokenById from '@/app/api/v1/tokens/[id]/route';
import * as userById from '@/app/api/v1/users/[id]/route';
import { CREDENTIAL_TTL_MS } from '@/lib/auth/credential-cache';
import { getDb } from '@/lib/db';
import { type Auth, callRoute, createTestToken, createTestUser } from '@/test/fixtures';

/**
 * Polls /api/v1/me with `auth` until a request that started a full cache lifetime after `changedAt`
 * has answered (generous upper bound: the test's timeout). Every request started from then on
 * must be refused: the cache may hold a credential checked before the change for less than
 * CREDENTIAL_TTL_MS, never longer, however slow the machine.
 */
async function pollUntilPastLifetime(auth: Auth, changedAt: number) {
  const answers: { startedAt: number; status: number }[] = [];
  for (;;) {
    const startedAt = performance.now();
    const { status } = await callRoute(me.GET, { auth });
    answers.push({ startedAt, status });
    if (startedAt >= changedAt + CREDENTIAL_TTL_MS) return answers;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('checked credentials are believed for at most a second (issue 19)', () => {
  it('a token revoked through the API is refused at once, right after a request it passed', async () => {
    const user = await createTestUser('recruiter');
    const token = await createTestToken(user);
    const id = (await getDb().selectFrom('api_tokens').select('id').where('user_id', '=', user.id).executeTakeFirst())!
      .id;
    expect((await callRoute(me.GET, { auth: { token } })).status).toBe(200);
    const revoke = await callRoute(tokenById.DELETE, { method: 'DELETE', auth: { session: user }, params: { id } });
    expect(revoke.body.status).toBe('revoked');
    const refused = await callRoute(me.GET, { auth: { token } });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('invalid_token');
  });

  it('a role change through the API applies at once to tokens and ends sessions at once', async () => {
    const admin = await createTestUser('admin');
    const user = await createTestUser('recruiter');
    const token = await createTestToken(user);
    expect((await callRoute(me.GET, { auth: { token } })).body.role).toBe('recruiter');
    expect((await callRoute(me.GET, { auth: { session: user } })).status).toBe(200);
    const patch = await callRoute(userById.PATCH, {
      method: 'PATCH',
      auth: { session: admin },
      params: { id: user.id },
      body: { role: 'admin' },
    });
    expect(patch.status).toBe(200);
    expect((await callRoute(me.GET, { auth: { token } })).body.role).toBe('admin');
    expect((await callRoute(me.GET, { auth: { session: user } })).status).toBe(401);
  });

  it('a token revoked by another process (CLI, another web instance) is refused within a second', async () => {
    const user = await createTestUser('recruiter');
    const token = await createTestToken(user);
    expect((await callRoute(me.GET, { auth: { token } })).status).toBe(200);
    await getDb().updateTable('api_tokens').set({ revoked_at: new Date() }).where('user_id', '=', user.id).execute();
    const changedAt = performance.now();
    const answers = await pollUntilPastLifetime({ token }, changedAt);
    const late = answers.filter((a) => a.startedAt >= changedAt + CREDENTIAL_TTL_MS);
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((a) => a.status === 401)).toBe(true);
    // Once refused, refused: no stale entry comes back.
    const firstRefusal = answers.findIndex((a) => a.status === 401);
    expect(answers.slice(firstRefusal).every((a) => a.status === 401)).toBe(true);
  });

  it('a session of a user deactivated by another process is refused within a second', async () => {
    const user = await createTestUser('recruiter');
    expect((await callRoute(me.GET, { auth: { session: user } })).status).toBe(200);
    await getDb().updateTable('users').set({ is_active: false }).where('id', '=', user.id).execute();
    const changedAt = performance.now();
    const answers = await pollUntilPastLifetime({ session: user }, changedAt);
    const late = answers.filter((a) => a.startedAt >= changedAt + CREDENTIAL_TTL_MS);
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((a) => a.status === 401)).toBe(true);
    const firstRefusal = answers.findIndex((a) => a.status === 401);
    expect(answers.slice(firstRefusal).every((a) => a.status === 401)).toBe(true);
  });
});
