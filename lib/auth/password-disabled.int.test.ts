import { describe, expect, it } from 'vitest';
import * as me from '@/app/api/v1/me/route';
import * as submit from '@/app/login/submit/route';
import { runCli } from '@/lib/cli/run-cli';
import { getDb } from '@/lib/db';
import { callRoute, createTestToken, createTestUser, TEST_ORIGIN } from '@/test/fixtures';
import { callNextAuth, type Jar } from '@/test/oidc-sign-in-flow';

// Passwords off, SSO on (the issuer is never asked in this file).
Object.assign(process.env, {
  PASSWORD_SIGN_IN: 'disabled',
  OIDC_ISSUER: 'https://idp.acme.test',
  OIDC_CLIENT_ID: 'ats-sync',
  OIDC_CLIENT_SECRET: 'client-secret-value',
  OIDC_DEFAULT_ROLE: 'recruiter',
});

const authRows = () => getDb().selectFrom('audit_events').select('action').where('action', 'like', 'auth.%').execute();

describe('PASSWORD_SIGN_IN=disabled', () => {
  it('the login form route refuses a right password without checking it, with the sentence for the page', async () => {
    const user = await createTestUser('admin');
    const res = await callRoute(submit.POST, {
      method: 'POST',
      path: '/login/submit',
      rawBody: new URLSearchParams({
        email: user.email,
        password: user.password,
        callbackUrl: '/admin/users',
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: TEST_ORIGIN },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?callbackUrl=%2Fadmin%2Fusers&error=password_disabled');
    expect(res.headers.getSetCookie().join()).not.toContain('session-token');
    expect(await authRows()).toEqual([]);
  });

  it("next-auth's credentials provider is gone: a direct POST gets no session", async () => {
    const user = await createTestUser('admin');
    const jar: Jar = new Map();
    const { csrfToken } = JSON.parse((await callNextAuth(jar, 'GET', '/api/auth/csrf')).body) as { csrfToken: string };
    const res = await callNextAuth(jar, 'POST', '/api/auth/callback/credentials', {
      csrfToken,
      email: user.email,
      password: user.password,
    });
    expect(res.status).toBeGreaterThanOrEqual(300);
    expect([...jar.keys()].some((k) => k.endsWith('session-token'))).toBe(false);
    const providers = JSON.parse((await callNextAuth(jar, 'GET', '/api/auth/providers')).body);
    expect(Object.keys(providers)).toEqual(['oidc']);
    expect(await authRows()).toEqual([]);
  });

  it('API tokens keep working, and the CLI still creates users and resets passwords (break-glass)', async () => {
    const user = await createTestUser('recruiter');
    const token = await createTestToken(user);
    expect(await callRoute(me.GET, { auth: { token } })).toMatchObject({ status: 200, body: { email: user.email } });
    const out: string[] = [];
    const output = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const argv = ['user', 'create', '--email', 'root@acme.test', '--name', 'Root', '--role', 'admin'];
    expect(await runCli([...argv, '--password', 'long-enough-pw'], { db: getDb, output })).toBe(0);
    expect(
      await runCli(['user', 'set-password', '--email', 'root@acme.test', '--password', 'another-long-pw'], {
        db: getDb,
        output,
      }),
    ).toBe(0);
  });
});
