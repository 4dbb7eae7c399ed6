import type { OAuthConfig } from 'next-auth/providers/oauth';
import type { TokenSet } from 'openid-client';
import { guardedNodeAgent } from '@/lib/http/destination-guard';
import { discoveryUrl, SSO_PROVIDER_ID, type SsoConfig } from './config';

/** The claims of one sign-in: the ID token's, completed by the userinfo endpoint's. */
export type SsoClaims = Record<string, unknown> & { sub: string };

// openid-client keeps its HTTP defaults per process; one agent per protocol is enough. No
// keep-alive: sign-ins are rare, and a pooled socket the issuer closed would fail one of them.
const agents = new Map<string, ReturnType<typeof guardedNodeAgent>>();

function agentFor(issuer: string) {
  const protocol = new URL(issuer).protocol as 'http:' | 'https:';
  let agent = agents.get(protocol);
  if (!agent) {
    agent = guardedNodeAgent(protocol);
    agents.set(protocol, agent);
  }
  return agent;
}

/** Seconds an issuer gets to answer discovery, JWKS, token and userinfo requests. */
export const SSO_HTTP_TIMEOUT_MS = 5000;

/**
 * next-auth's generic OpenID Connect provider for any issuer (Google, Entra ID, Okta, Keycloak):
 * discovery, authorization code with PKCE, state and nonce, the ID token verified against the
 * issuer's JWKS. Every request openid-client makes goes through an agent that obeys the outbound
 * destination guard; the agent serves the issuer's scheme, so an issuer whose endpoints use
 * another scheme is refused (OpenID Connect requires https for all of them).
 */
export function ssoProvider(config: SsoConfig): OAuthConfig<SsoClaims> {
  return {
    id: SSO_PROVIDER_ID,
    name: config.displayName,
    type: 'oauth',
    wellKnown: discoveryUrl(config.issuer),
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorization: { params: { scope: config.scopes } },
    idToken: true,
    checks: ['pkce', 'state', 'nonce'],
    httpOptions: { agent: agentFor(config.issuer), timeout: SSO_HTTP_TIMEOUT_MS },
    userinfo: {
      // Groups are often only in userinfo (oidc-provider and Okta put scope claims there by
      // default). openid-client refuses a userinfo answer whose `sub` is not the ID token's.
      async request({ tokens, client }) {
        // With idToken: true next-auth hands over openid-client's TokenSet (claims() checked the ID token).
        const tokenSet = tokens as unknown as TokenSet;
        const idClaims = tokenSet.claims() as SsoClaims;
        if (!client.issuer.metadata.userinfo_endpoint || !tokenSet.access_token) return idClaims;
        const userinfo = (await client.userinfo(tokenSet)) as Record<string, unknown>;
        // The signed ID token wins where both say something.
        return { ...userinfo, ...idClaims };
      },
    },
    profile(claims) {
      const email = typeof claims.email === 'string' ? claims.email : null;
      const name = typeof claims.name === 'string' ? claims.name : null;
      return { id: String(claims.sub), email, name };
    },
  };
}
