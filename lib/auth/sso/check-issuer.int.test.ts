import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '@/lib/cli/run-cli';
import { getDb } from '@/lib/db';
import { startOidcIssuer, TEST_OIDC_CLIENT } from '@/test/oidc-issuer';
import { checkIssuer } from './check-issuer';
import type { SsoConfig } from './config';

const idp = await startOidcIssuer({ redirectUris: ['http://localhost:3000/api/auth/callback/oidc'] });
afterAll(() => idp.close());

const config = (issuer: string): SsoConfig => ({
  issuer,
  clientId: TEST_OIDC_CLIENT.client_id,
  clientSecret: TEST_OIDC_CLIENT.client_secret,
  displayName: 'Acme',
  scopes: 'openid email',
  allowedDomains: [],
  roleClaim: null,
  roleMap: [],
  defaultRole: 'viewer',
  createUsers: true,
});

async function doctorLine(env: Record<string, string>): Promise<{ line: string; out: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const out: string[] = [];
  try {
    await runCli(['doctor'], { db: getDb, output: { out: (l) => out.push(l), err: (l) => out.push(l) } });
  } finally {
    for (const key of Object.keys(env)) if (saved[key] === undefined) delete process.env[key];
    Object.assign(process.env, saved);
  }
  const text = out.join('\n');
  return { line: out.find((l) => l.slice(6).startsWith('single sign-on ')) ?? '(no line)', out: text };
}

const oidcEnv = (issuer: string) => ({
  OIDC_ISSUER: issuer,
  OIDC_CLIENT_ID: TEST_OIDC_CLIENT.client_id,
  OIDC_CLIENT_SECRET: TEST_OIDC_CLIENT.client_secret,
});

describe("the issuer's discovery document, for the admin page and cli doctor", () => {
  it('a live issuer is reachable; a wrong path or another issuer name says what is wrong', async () => {
    expect(await checkIssuer(config(idp.issuer))).toEqual({ reachable: true });
    expect(await checkIssuer(config(`${idp.issuer}/realms/acme`))).toMatchObject({
      reachable: false,
      problem: expect.stringMatching(/answered HTTP 404$/),
    });
    expect(await checkIssuer(config(`http://localhost:${idp.port}`))).toMatchObject({
      problem: `the discovery document names issuer ${idp.issuer}, not http://localhost:${idp.port}`,
    });
  });

  it('doctor: OK when the issuer answers, WARN when it does not, FAIL when passwords are off too; never the secret', async () => {
    const ok = await doctorLine(oidcEnv(idp.issuer));
    expect(ok.line).toMatch(/^OK +single sign-on +http:\/\/127\.0\.0\.1:\d+ answers its discovery document$/);
    const none = await doctorLine({});
    expect(none.line).toMatch(/^OK +single sign-on +not configured/);

    await idp.close();
    const down = await doctorLine(oidcEnv(idp.issuer));
    expect(down.line).toMatch(/^WARN +single sign-on +.*openid-configuration: connection refused/);
    expect(down.out).toContain('check OIDC_ISSUER');
    const locked = await doctorLine({ ...oidcEnv(idp.issuer), PASSWORD_SIGN_IN: 'disabled' });
    expect(locked.line).toMatch(/^FAIL +single sign-on .*nobody can sign in/);
    expect(ok.out + down.out + locked.out).not.toContain(TEST_OIDC_CLIENT.client_secret);
  });
});
