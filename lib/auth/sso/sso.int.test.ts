import { afterAll, describe, expect, it } from 'vitest';
import * as me from '@/app/api/v1/me/route';
import { systemActor } from '@/lib/auth/actor';
import { runCli } from '@/lib/cli/run-cli';
import { listUsers } from '@/lib/users/service';
import { getDb } from '@/lib/db';
import { callRoute, createTestUser, TEST_ORIGIN } from '@/test/fixtures';
import { startOidcIssuer, TEST_OIDC_CLIENT } from '@/test/oidc-issuer';
import { signInThroughIssuer } from '@/test/oidc-sign-in-flow';

// A real issuer on loopback, configured before anything reads the environment.
const idp = await startOidcIssuer({
  redirectUris: [`${TEST_ORIGIN}/api/auth/callback/oidc`],
  accounts: {
    ada: { email: 'ada@acme.test', email_verified: true, name: 'Ada Admin', groups: ['ats-admins', 'staff'] },
    rob: { email: 'rob@acme.test', email_verified: true, name: 'Rob Recruiter', groups: ['ats-recruiters'] },
    vic: { email: 'vic@acme.test', email_verified: true, name: 'Vic Viewer', groups: ['auditors'] },
    both: { email: 'both@acme.test', email_verified: true, groups: ['auditors', 'ats-recruiters'] },
    eve: { email: 'eve@evil.test', email_verified: true, groups: ['ats-admins'] },
    una: { email: 'una@acme.test', email_verified: false, groups: ['ats-admins'] },
    nog: { email: 'nog@acme.test', email_verified: true, groups: ['staff'] },
  },
});
Object.assign(process.env, {
  OIDC_ISSUER: idp.issuer,
  OIDC_CLIENT_ID: TEST_OIDC_CLIENT.client_id,
  OIDC_CLIENT_SECRET: TEST_OIDC_CLIENT.client_secret,
  OIDC_DISPLAY_NAME: 'Acme SSO',
  OIDC_SCOPES: 'openid email profile groups',
  OIDC_ALLOWED_DOMAINS: 'acme.test',
  OIDC_ROLE_CLAIM: 'groups',
  OIDC_ROLE_MAP: 'ats-admins=admin,ats-recruiters=recruiter,auditors=viewer',
  OIDC_DEFAULT_ROLE: 'none',
  OIDC_CREATE_USERS: 'true',
});

afterAll(() => idp.close());

const userByEmail = (email: string) =>
  getDb().selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();

async function auditOf(email: string) {
  const rows = await getDb()
    .selectFrom('audit_events')
    .select(['action', 'details', 'actor_email'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.filter((r) => ((r.details as { email?: string }).email ?? r.actor_email) === email);
}

async function whoAmI(sessionCookie: string | null) {
  return callRoute(me.GET, { headers: sessionCookie ? { cookie: sessionCookie } : {} });
}

describe('OpenID Connect sign-in through a real issuer', () => {
  it('the first sign-in creates the user with the role their group maps to, links the issuer subject and audits it without tokens', async () => {
    for (const [login, email, role] of [
      ['ada', 'ada@acme.test', 'admin'],
      ['rob', 'rob@acme.test', 'recruiter'],
      ['vic', 'vic@acme.test', 'viewer'],
      // Two groups: the higher role wins.
      ['both', 'both@acme.test', 'recruiter'],
    ] as const) {
      const result = await signInThroughIssuer(idp.issuer, login, '/settings/tokens');
      expect(result.location).toBe('/settings/tokens');
      const session = await whoAmI(result.sessionCookie);
      expect(session).toMatchObject({ status: 200, body: { email, role, via: 'session' } });
      const user = await userByEmail(email);
      expect(user).toMatchObject({ role, password_hash: null, is_active: true });
      const link = await getDb()
        .selectFrom('user_identities')
        .selectAll()
        .where('user_id', '=', user!.id)
        .executeTakeFirstOrThrow();
      expect(link).toMatchObject({ issuer: idp.issuer, subject: login });
    }
    expect((await userByEmail('ada@acme.test'))?.name).toBe('Ada Admin');
    // The users list says how each signs in: an admin editing an SSO user's role sees the IdP manages it.
    const passwordUser = await createTestUser('admin');
    const listed = await listUsers(getDb(), systemActor('test'));
    expect(listed.find((u) => u.email === 'ada@acme.test')).toMatchObject({ sso_linked: true, password_set: false });
    expect(listed.find((u) => u.email === passwordUser.email)).toMatchObject({ sso_linked: false, password_set: true });
    const audit = await auditOf('ada@acme.test');
    expect(audit.map((a) => a.action)).toEqual(['user.created', 'auth.signed_in']);
    expect(audit[0].details).toMatchObject({ via: 'sso', issuer: idp.issuer, role: 'admin' });
    expect(audit[1].details).toMatchObject({ method: 'sso', issuer: idp.issuer });
    const all = JSON.stringify(await getDb().selectFrom('audit_events').selectAll().execute());
    expect(all).not.toMatch(/eyJ[\w-]{10,}/);
    expect(all).not.toContain(TEST_OIDC_CLIENT.client_secret);
  });

  it('refuses an email outside the allowed domains, an unverified email and claims that map to no role, with the reason audited', async () => {
    for (const [login, email, code, reason] of [
      ['eve', 'eve@evil.test', 'sso_domain_not_allowed', 'domain_not_allowed'],
      ['una', 'una@acme.test', 'sso_email_unverified', 'email_unverified'],
      ['nog', 'nog@acme.test', 'sso_no_role', 'no_role'],
    ] as const) {
      const result = await signInThroughIssuer(idp.issuer, login);
      expect(result.location).toBe(`/login?error=${code}`);
      expect(result.sessionCookie).toBeNull();
      expect(await userByEmail(email)).toBeUndefined();
      const audit = await auditOf(email);
      expect(audit.map((a) => [a.action, (a.details as { reason: string }).reason])).toEqual([
        ['auth.sign_in_failed', reason],
      ]);
    }
  });

  it('the role follows the IdP on every sign-in: a removed group demotes and ends the older sessions, then refuses', async () => {
    idp.setAccount('dee', { email: 'dee@acme.test', email_verified: true, groups: ['ats-admins'] });
    const first = await signInThroughIssuer(idp.issuer, 'dee');
    expect((await whoAmI(first.sessionCookie)).body.role).toBe('admin');

    idp.setAccount('dee', { email: 'dee@acme.test', email_verified: true, groups: ['auditors'] });
    const second = await signInThroughIssuer(idp.issuer, 'dee');
    expect((await whoAmI(second.sessionCookie)).body.role).toBe('viewer');
    // The admin session of before the change no longer holds.
    expect((await whoAmI(first.sessionCookie)).status).toBe(401);
    const changes = (await auditOf('dee@acme.test')).filter((a) => a.action === 'user.updated');
    expect(changes.map((a) => (a.details as { changes: unknown }).changes)).toEqual([
      { role: { from: 'admin', to: 'viewer' } },
    ]);

    idp.setAccount('dee', { email: 'dee@acme.test', email_verified: true, groups: [] });
    expect((await signInThroughIssuer(idp.issuer, 'dee')).location).toBe('/login?error=sso_no_role');
  });

  it('a deactivated user is refused even though the IdP signs them in', async () => {
    idp.setAccount('dan', { email: 'dan@acme.test', email_verified: true, groups: ['ats-recruiters'] });
    expect((await signInThroughIssuer(idp.issuer, 'dan')).location).toBe('/recruitment/jobs');
    await getDb().updateTable('users').set({ is_active: false }).where('email', '=', 'dan@acme.test').execute();
    const result = await signInThroughIssuer(idp.issuer, 'dan');
    expect(result).toMatchObject({ location: '/login?error=sso_inactive', sessionCookie: null });
    expect((await auditOf('dan@acme.test')).at(-1)?.details).toMatchObject({ reason: 'inactive', method: 'sso' });
  });

  it('finds the same user by the issuer subject after the email changed at the IdP', async () => {
    idp.setAccount('cat', { email: 'cat@acme.test', email_verified: true, groups: ['ats-recruiters'] });
    await signInThroughIssuer(idp.issuer, 'cat');
    const before = await userByEmail('cat@acme.test');
    idp.setAccount('cat', { email: 'catherine@acme.test', email_verified: true, groups: ['ats-recruiters'] });
    const result = await signInThroughIssuer(idp.issuer, 'cat');
    expect((await whoAmI(result.sessionCookie)).body).toMatchObject({ id: before!.id, email: 'catherine@acme.test' });
    expect(await userByEmail('cat@acme.test')).toBeUndefined();
  });

  it('links an admin-created account on its first SSO sign-in, and no other subject or issuer can take it over', async () => {
    const made = await createTestUser('recruiter', { email: 'pat@acme.test' });
    idp.setAccount('pat', { email: 'pat@acme.test', email_verified: true, groups: ['ats-recruiters'] });
    const linked = await signInThroughIssuer(idp.issuer, 'pat');
    expect((await whoAmI(linked.sessionCookie)).body).toMatchObject({ id: made.id, role: 'recruiter' });
    expect((await auditOf('pat@acme.test')).map((a) => a.action)).toContain('user.sso_linked');

    // Another account at the same issuer that claims the same (verified) address.
    idp.setAccount('impostor', { email: 'pat@acme.test', email_verified: true, groups: ['ats-admins'] });
    expect((await signInThroughIssuer(idp.issuer, 'impostor')).location).toBe('/login?error=sso_identity_conflict');

    // An account linked to another issuer only: the same address here is someone else.
    const other = await createTestUser('admin', { email: 'kim@acme.test' });
    await getDb()
      .insertInto('user_identities')
      .values({ user_id: other.id, issuer: 'https://other-idp.example', subject: 'kim' })
      .execute();
    idp.setAccount('kim', { email: 'kim@acme.test', email_verified: true, groups: ['ats-admins'] });
    expect((await signInThroughIssuer(idp.issuer, 'kim')).location).toBe('/login?error=sso_identity_conflict');
    expect((await auditOf('kim@acme.test')).at(-1)?.details).toMatchObject({ reason: 'identity_conflict' });

    // After a move to this issuer an admin unlinks the old account; the next sign-in links this one.
    const out: string[] = [];
    const output = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    expect(await runCli(['user', 'unlink-sso', '--email', 'kim@acme.test'], { db: getDb, output })).toBe(0);
    expect(out.join('\n')).toContain('no longer linked to https://other-idp.example');
    const relinked = await signInThroughIssuer(idp.issuer, 'kim');
    expect((await whoAmI(relinked.sessionCookie)).body).toMatchObject({ id: other.id, role: 'admin' });
    expect((await auditOf('kim@acme.test')).map((a) => a.action)).toEqual(
      expect.arrayContaining(['user.sso_unlinked', 'user.sso_linked']),
    );
  });

  it('a password sign-in of an SSO-created user fails like a wrong password', async () => {
    idp.setAccount('sol', { email: 'sol@acme.test', email_verified: true, groups: ['ats-recruiters'] });
    await signInThroughIssuer(idp.issuer, 'sol');
    const { authenticateWithPassword } = await import('@/lib/users/service');
    expect(await authenticateWithPassword(getDb(), 'sol@acme.test', 'anything-at-all', null)).toBeNull();
    expect((await auditOf('sol@acme.test')).at(-1)?.details).toMatchObject({ reason: 'no_password' });
  });

  it('with the issuer down, the sign-in goes back to /login with the unreachable message', async () => {
    await idp.close();
    const result = await signInThroughIssuer(idp.issuer, 'ada');
    expect(result.sessionCookie).toBeNull();
    expect(new URL(result.location, TEST_ORIGIN).searchParams.get('error')).toBe('OAuthSignin');
  });
});
