import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** What an account's claims say; `sub` defaults to the login name. */
export type TestOidcAccount = Record<string, unknown> & {
  email?: string;
  email_verified?: boolean | string;
  name?: string;
  groups?: string[];
};

export type TestOidcIssuer = {
  issuer: string;
  port: number;
  /** Adds or changes an account (the IdP's directory changes between sign-ins). */
  setAccount: (login: string, claims: TestOidcAccount) => void;
  /** Requests that reached the issuer, by path (discovery, jwks, token, userinfo...). */
  requests: () => string[];
  close: () => Promise<void>;
};

export const TEST_OIDC_CLIENT = {
  client_id: 'ats-sync-test',
  client_secret: 'test-oidc-client-secret-0123456789abcdef',
};

/**
 * A real OpenID Connect provider (the `oidc-provider` package, certified by the OpenID
 * Foundation) on 127.0.0.1, with its development login and consent pages: the login form takes
 * the account's login name (any password). Scope claims go to userinfo, as oidc-provider does by
 * default; `claimsInIdToken` puts them in the ID token too, as Keycloak and Entra ID do.
 */
export async function startOidcIssuer(
  options: {
    port?: number;
    host?: string;
    redirectUris: string[];
    accounts?: Record<string, TestOidcAccount>;
    claimsInIdToken?: boolean;
  } = { redirectUris: [] },
): Promise<TestOidcIssuer> {
  const accounts = new Map(Object.entries(options.accounts ?? {}));
  const seen: string[] = [];
  let handler: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | null = null;
  const server = http.createServer((req, res) => {
    seen.push(new URL(req.url ?? '/', 'http://x').pathname);
    if (handler) handler(req, res);
    else res.writeHead(503).end();
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://${host}:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        ...TEST_OIDC_CLIENT,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
      groups: ['groups'],
    },
    conformIdTokenClaims: !options.claimsInIdToken,
    pkce: { required: () => true },
    // Explicit lifetimes (the defaults print a notice each time one is used).
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx: unknown, id: string) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ ...account, sub: String(account.sub ?? id) }) };
    },
    // Cookies of an http issuer on loopback: not Secure, or Chromium drops them.
    cookies: { keys: ['test-oidc-cookie-key-0123456789'] },
  });
  // The provider logs refused requests to stderr by default; the tests read the answers.
  provider.on('server_error', () => {});
  handler = provider.callback();
  return {
    issuer,
    port,
    setAccount: (login, claims) => accounts.set(login, claims),
    requests: () => [...seen],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
