import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export type TestOAuth2Client = {
  client_id: string;
  client_secret: string;
  token_endpoint_auth_method: 'client_secret_post' | 'client_secret_basic';
  scope: string;
};

export type TestOAuth2Server = {
  issuer: string;
  tokenUrl: string;
  /** Token requests that reached the token endpoint (any outcome). */
  tokenRequests: () => number;
  /** Whether the provider still knows this access token (issued, not expired, not revoked). */
  isValid: (token: string) => Promise<boolean>;
  revoke: (token: string) => Promise<void>;
  close: () => Promise<void>;
};

/**
 * A real OAuth2 authorization server (oidc-provider, client_credentials grant) on 127.0.0.1: the
 * token endpoint our client talks to in tests is a standard implementation, not our own reading of
 * RFC 6749.
 */
export async function startOAuth2Server(
  clients: TestOAuth2Client[],
  options: { ttlSeconds?: number } = {},
): Promise<TestOAuth2Server> {
  let requests = 0;
  let handler: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | null = null;
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url?.startsWith('/token')) requests += 1;
    if (handler) handler(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const scopes = [...new Set(clients.flatMap((c) => c.scope.split(' ')))];
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      ...c,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    })),
    scopes,
    features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
    ttl: { ClientCredentials: options.ttlSeconds ?? 3600 },
  });
  // The provider logs failed client authentications to stderr by default; the tests read the answers.
  provider.on('server_error', () => {});
  handler = provider.callback();
  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    tokenRequests: () => requests,
    isValid: async (token) => !!(await provider.ClientCredentials.find(token)),
    revoke: async (token) => {
      await (await provider.ClientCredentials.find(token))?.destroy();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
