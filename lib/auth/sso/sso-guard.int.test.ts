import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { guardedNodeAgent, isDestinationBlocked } from '@/lib/http/destination-guard';
import { TEST_ORIGIN } from '@/test/fixtures';
import { startOidcIssuer, TEST_OIDC_CLIENT } from '@/test/oidc-issuer';
import { signInThroughIssuer } from '@/test/oidc-sign-in-flow';

// The issuer listens on what the guard knows as the app's own port: loopback is open to the tests
// (OUTBOUND_ALLOW_CIDRS), our own ports never are, so every request to it must be refused.
const idp = await startOidcIssuer({
  redirectUris: [`${TEST_ORIGIN}/api/auth/callback/oidc`],
  accounts: { ada: { email: 'ada@acme.test', email_verified: true } },
});
Object.assign(process.env, {
  PORT: String(idp.port),
  OIDC_ISSUER: idp.issuer,
  OIDC_CLIENT_ID: TEST_OIDC_CLIENT.client_id,
  OIDC_CLIENT_SECRET: TEST_OIDC_CLIENT.client_secret,
  OIDC_DEFAULT_ROLE: 'recruiter',
});

afterAll(() => idp.close());

function get(url: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

describe('the OpenID Connect requests go through the outbound destination guard', () => {
  it('discovery of an issuer the guard refuses never reaches it, and the sign-in comes back as unreachable', async () => {
    const result = await signInThroughIssuer(idp.issuer, 'ada');
    expect(new URL(result.location, TEST_ORIGIN).searchParams.get('error')).toBe('OAuthSignin');
    expect(idp.requests()).toEqual([]);
  });

  it('the node agent refuses blocked IP literals and host names before connecting, and lets allowed ones through', async () => {
    const agent = guardedNodeAgent('http:');
    for (const url of [`${idp.issuer}/.well-known/openid-configuration`, `http://localhost:${idp.port}/x`]) {
      const err = await get(url, agent).catch((e: unknown) => e);
      expect(isDestinationBlocked(err), String(err)).toBe(true);
    }
    expect(await get('http://169.254.169.254/latest/meta-data/', agent).catch(isDestinationBlocked)).toBe(true);
    expect(idp.requests()).toEqual([]);

    const open = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => open.listen(0, '127.0.0.1', resolve));
    const { port } = open.address() as { port: number };
    expect(await get(`http://127.0.0.1:${port}/`, agent)).toBe(200);
    open.close();
  });
});
