import { describe, expect, it } from 'vitest';
import * as jobs from '@/app/api/v1/jobs/route';
import * as me from '@/app/api/v1/me/route';
import * as sources from '@/app/api/v1/sources/route';
import * as tokens from '@/app/api/v1/tokens/route';
import * as tokenById from '@/app/api/v1/tokens/[id]/route';
import * as userById from '@/app/api/v1/users/[id]/route';
import * as userTokens from '@/app/api/v1/users/[id]/tokens/route';
import { getDb } from '@/lib/db';
import { type TestUser, callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import { scopesOfRole } from './scopes';
import { hashToken } from './service';

const DAY_MS = 86_400_000;

async function jobCount(): Promise<number> {
  const row = await getDb()
    .selectFrom('job_postings')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function tokenCount(user: TestUser): Promise<number> {
  return (await getDb().selectFrom('api_tokens').select('id').where('user_id', '=', user.id).execute()).length;
}

const newJob = () => ({ title: `Scoped ${Math.random().toString(36).slice(2, 8)}` });

describe('token scopes: what a token may do', () => {
  it('refuses a route outside its scopes with 403 insufficient_scope naming the scope, and changes nothing', async () => {
    const user = await createTestUser('recruiter');
    const reader = await createTestToken(user, undefined, ['jobs:read']);
    expect((await callRoute(jobs.GET, { auth: { token: reader } })).status).toBe(200);

    const before = await jobCount();
    const refused = await callRoute(jobs.POST, { method: 'POST', auth: { token: reader }, body: newJob() });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      error: {
        code: 'insufficient_scope',
        message: expect.stringContaining('jobs:write'),
        details: { required_scope: 'jobs:write' },
      },
    });
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="jobs:write"');
    expect(await jobCount()).toBe(before);
  });

  it('accepts a route inside its scopes, and a write scope also reads', async () => {
    const user = await createTestUser('recruiter');
    const writer = await createTestToken(user, undefined, ['jobs:write']);
    const created = await callRoute(jobs.POST, { method: 'POST', auth: { token: writer }, body: newJob() });
    expect(created.status).toBe(201);
    expect((await callRoute(jobs.GET, { auth: { token: writer } })).status).toBe(200);
    // Another resource's route is refused.
    expect((await callRoute(tokens.GET, { auth: { token: writer } })).body.error.code).toBe('insufficient_scope');
  });

  it('does not limit a signed-in session: only its role counts', async () => {
    const user = await createTestUser('recruiter');
    expect((await callRoute(jobs.POST, { method: 'POST', auth: { session: user }, body: newJob() })).status).toBe(201);
  });

  it('checks the role before the scope: a recruiter token on an admin route is forbidden', async () => {
    const recruiter = await createTestUser('recruiter');
    const token = await createTestToken(recruiter);
    expect((await callRoute(sources.GET, { auth: { token } })).body.error.code).toBe('forbidden');
    const admin = await createTestUser('admin');
    const narrow = await createTestToken(admin, undefined, ['jobs:read']);
    expect((await callRoute(sources.GET, { auth: { token: narrow } })).body.error.code).toBe('insufficient_scope');
    const wide = await createTestToken(admin, undefined, ['sources:read']);
    expect((await callRoute(sources.GET, { auth: { token: wide } })).status).toBe(200);
  });

  it('lets any token say who it is, with its scopes, and revoke itself', async () => {
    const user = await createTestUser('recruiter');
    const token = await createTestToken(user, undefined, ['syncs:read']);
    const who = await callRoute(me.GET, { auth: { token } });
    expect(who.body).toMatchObject({
      id: user.id,
      via: 'token',
      scopes: ['syncs:read'],
      expires_at: expect.any(String),
    });
    expect(new Date(who.body.expires_at).getTime()).toBeGreaterThan(Date.now() + 89 * DAY_MS);
    const row = await getDb()
      .selectFrom('api_tokens')
      .select('id')
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirstOrThrow();
    const revoked = await callRoute(tokenById.DELETE, { method: 'DELETE', auth: { token }, params: { id: row.id } });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
  });

  it('never lets a token create tokens, even one with every scope of an admin', async () => {
    const admin = await createTestUser('admin');
    const token = await createTestToken(admin);
    const res = await callRoute(tokens.POST, {
      method: 'POST',
      auth: { token },
      body: { name: 'child', scopes: ['jobs:read'] },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(await tokenCount(admin)).toBe(1);
  });
});

describe('token scopes: chosen at creation, never above the role', () => {
  it('creates a token with the scopes asked for, shown on the answer and the list', async () => {
    const user = await createTestUser('recruiter');
    const res = await callRoute(tokens.POST, {
      method: 'POST',
      auth: { session: user },
      body: { name: 'sync script', scopes: ['syncs:write', 'jobs:read'] },
    });
    expect(res.status).toBe(201);
    // In the order of the scope list, whatever order they were asked in.
    expect(res.body.record).toMatchObject({ scopes: ['jobs:read', 'syncs:write'], scopes_from_role: false });
    const list = await callRoute(tokens.GET, { auth: { session: user } });
    expect(list.body.data[0].scopes).toEqual(['jobs:read', 'syncs:write']);
    const audit = await getDb()
      .selectFrom('audit_events')
      .select('details')
      .where('target_id', '=', res.body.record.id)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ scopes: ['jobs:read', 'syncs:write'] });
  });

  it('refuses scopes above the role with 422 naming each, and creates nothing', async () => {
    const user = await createTestUser('recruiter');
    const res = await callRoute(tokens.POST, {
      method: 'POST',
      auth: { session: user },
      body: { name: 'too much', scopes: ['jobs:read', 'sources:write', 'users:read'] },
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'validation_failed',
      message: 'scopes above the recruiter role: sources:write, users:read',
      details: [
        { path: 'scopes.1', message: 'sources:write needs the admin role' },
        { path: 'scopes.2', message: 'users:read needs the admin or viewer role' },
      ],
    });
    expect(await tokenCount(user)).toBe(0);
  });

  it('refuses an unknown, repeated or empty scope list with 422', async () => {
    const user = await createTestUser('admin');
    for (const scopes of [['jobs:admin'], ['jobs:read', 'jobs:read'], [], undefined, 'jobs:read']) {
      const res = await callRoute(tokens.POST, {
        method: 'POST',
        auth: { session: user },
        body: { name: 'x', scopes },
      });
      expect(res.status, JSON.stringify(scopes)).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details[0].path).toMatch(/^scopes/);
    }
    expect(await tokenCount(user)).toBe(0);
  });
});

describe('token expiry', () => {
  it('defaults to 90 days, shown on the answer', async () => {
    const user = await createTestUser('recruiter');
    const before = Date.now();
    const res = await callRoute(tokens.POST, {
      method: 'POST',
      auth: { session: user },
      body: { name: 'default expiry', scopes: ['jobs:read'] },
    });
    const expires = new Date(res.body.record.expires_at).getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 90 * DAY_MS);
    expect(expires).toBeLessThanOrEqual(Date.now() + 90 * DAY_MS);
    expect(res.body.record.expires_soon).toBe(false);
  });

  it('takes a later date up to a year ahead, refuses "never" and anything later', async () => {
    const user = await createTestUser('recruiter');
    const body = (expires_at: unknown) => ({ name: 'dated', scopes: ['jobs:read'], expires_at });
    const inAYear = new Date(Date.now() + 365 * DAY_MS).toISOString();
    const ok = await callRoute(tokens.POST, { method: 'POST', auth: { session: user }, body: body(inAYear) });
    expect(ok.status).toBe(201);
    expect(ok.body.record.expires_at).toBe(inAYear);
    for (const refused of [null, new Date(Date.now() + 400 * DAY_MS).toISOString(), '2020-01-01T00:00:00Z']) {
      const res = await callRoute(tokens.POST, { method: 'POST', auth: { session: user }, body: body(refused) });
      expect(res.status, String(refused)).toBe(422);
      expect(res.body.error.details[0].path).toBe('expires_at');
    }
    expect(await tokenCount(user)).toBe(1);
  });

  it('marks a token that ends within 7 days as expiring soon', async () => {
    const user = await createTestUser('recruiter');
    await createTestToken(user, new Date(Date.now() + 3 * DAY_MS).toISOString());
    await createTestToken(user, new Date(Date.now() + 30 * DAY_MS).toISOString());
    const list = await callRoute(tokens.GET, { auth: { session: user } });
    expect(list.body.data.map((t: { expires_soon: boolean }) => t.expires_soon).sort()).toEqual([false, true]);
  });
});

describe('tokens made before scopes', () => {
  async function legacyToken(user: TestUser): Promise<string> {
    const token = await createTestToken(user);
    // As migration 030 leaves every older token: no scopes, no expiry.
    await getDb()
      .updateTable('api_tokens')
      .set({ scopes: null, expires_at: null })
      .where('token_hash', '=', hashToken(token))
      .execute();
    return token;
  }

  it('keep working with every scope of their owner’s role, and say so', async () => {
    const admin = await createTestUser('admin');
    const token = await legacyToken(admin);
    expect((await callRoute(sources.GET, { auth: { token } })).status).toBe(200);
    expect((await callRoute(jobs.POST, { method: 'POST', auth: { token }, body: newJob() })).status).toBe(201);
    const list = await callRoute(tokens.GET, { auth: { session: admin } });
    expect(list.body.data[0]).toMatchObject({
      scopes: scopesOfRole('admin'),
      scopes_from_role: true,
      expires_at: null,
      expires_soon: false,
    });
  });

  it('are narrowed at once by a role downgrade, like scoped ones', async () => {
    const chief = await createTestUser('admin');
    const admin = await createTestUser('admin');
    const legacy = await legacyToken(admin);
    const scoped = await createTestToken(admin, undefined, ['sources:read', 'jobs:read']);
    expect((await callRoute(sources.GET, { auth: { token: scoped } })).status).toBe(200);

    const downgrade = await callRoute(userById.PATCH, {
      method: 'PATCH',
      auth: { session: chief },
      params: { id: admin.id },
      body: { role: 'recruiter' },
    });
    expect(downgrade.status).toBe(200);
    for (const token of [legacy, scoped]) {
      expect((await callRoute(sources.GET, { auth: { token } })).status).toBe(403);
      expect((await callRoute(jobs.GET, { auth: { token } })).status).toBe(200);
    }
    expect((await callRoute(me.GET, { auth: { token: scoped } })).body.scopes).toEqual(['jobs:read']);
    expect((await callRoute(me.GET, { auth: { token: legacy } })).body.scopes).toEqual(scopesOfRole('recruiter'));
    const listed = await callRoute(userTokens.GET, { auth: { session: chief }, params: { id: admin.id } });
    expect(listed.body.data.map((t: { scopes: string[] }) => t.scopes)).toEqual([
      ['jobs:read'],
      scopesOfRole('recruiter'),
    ]);
  });
});
