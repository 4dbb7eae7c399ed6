import type { Logger } from 'pino';
import type { Database } from '@/db/client';
import type { Keyring } from '@/lib/crypto/secret-box';
import {
  createOAuth2TokenCache,
  type OAuth2ClientCredentialsSettings,
  type OAuth2TokenCache,
  OAuth2TokenError,
  oauth2ClientCredentialsSettingsSchema,
  oauth2ClientOf,
  sendWithOAuth2,
  withBearerToken,
} from '@/lib/http/oauth2-client-credentials';
import { sendRequest } from '@/lib/http/outbound-client';
import { addSourceToken } from '../redact-secrets';
import type { ConnectorAuth } from './contract';
import { perSourceVersion } from './per-source-version';
import type { HttpResult, OutboundRequest, Outcome, SourceConfig } from './types';

/**
 * Credentials for the requests connectors build (the contract: connectors never add them). For an
 * `oauth2_client_credentials` source the engine calls `send` instead of sendRequest: it adds the
 * shared token, and on a 401 forgets it, fetches a new one and sends once more. `authorize` and
 * `onUnauthorized` are the same two steps for callers that send themselves (the connection test).
 */
export type SourceAuthorizer = {
  authorize(
    source: SourceConfig,
    oauth2: OAuth2ClientCredentialsSettings,
    request: OutboundRequest,
  ): Promise<OutboundRequest>;
  /** The target answered 401 to `request`: its token is forgotten by every worker (unless already replaced). */
  onUnauthorized(
    source: SourceConfig,
    oauth2: OAuth2ClientCredentialsSettings,
    request: OutboundRequest,
  ): Promise<void>;
  send(
    source: SourceConfig,
    oauth2: OAuth2ClientCredentialsSettings | null,
    request: OutboundRequest,
    options?: { connectionTest?: boolean },
  ): Promise<HttpResult>;
};

export function createSourceAuthorizer(options: {
  db: Database;
  keyring: Keyring;
  log: Logger;
  now?: () => number;
}): SourceAuthorizer {
  const cache: OAuth2TokenCache = createOAuth2TokenCache({ ...options, onToken: addSourceToken });
  return {
    async authorize(source, oauth2, request) {
      return withBearerToken(request, await cache.getToken(oauth2ClientOf(source, oauth2)));
    },
    async onUnauthorized(source, oauth2, request) {
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (token) await cache.invalidate(oauth2ClientOf(source, oauth2), token);
    },
    send(source, oauth2, request, sendOptions = {}) {
      if (!oauth2) return sendRequest(source, request);
      const refreshOn = sendOptions.connectionTest ? [401, 403] : [401];
      return sendWithOAuth2(cache, oauth2ClientOf(source, oauth2), source, request, { refreshOn });
    },
  };
}

/**
 * A source's OAuth2 settings: the connector's documented token endpoint and scope, overridden by
 * what the source stores (the generic connectors have no default, so the source must say).
 * null when the source does not use OAuth2 client credentials.
 */
export function oauth2SettingsOf(
  auth: ConnectorAuth,
  stored: Partial<OAuth2ClientCredentialsSettings> | null | undefined,
): OAuth2ClientCredentialsSettings | null {
  if (auth.type !== 'oauth2_client_credentials' && !stored?.token_url) return null;
  const defaults = auth.type === 'oauth2_client_credentials' ? { token_url: auth.tokenUrl, scope: auth.scope } : {};
  const parsed = oauth2ClientCredentialsSettingsSchema.safeParse({ ...defaults, ...stripUndefined(stored ?? {}) });
  return parsed.success ? parsed.data : null;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The source's OAuth2 client-credentials settings (its own, else its connector's documented ones); null without OAuth2. */
export function oauth2Of(module: { id: string; auth: ConnectorAuth }, source: SourceConfig) {
  if (source.authType !== 'oauth2_client_credentials') return null;
  // Parsed once per source version, not for every request the engine sends.
  return oauth2Settings(source, module.id, () =>
    oauth2SettingsOf(module.auth, {
      token_url: source.authTokenUrl ?? undefined,
      scope: source.authScope ?? undefined,
      client_auth: source.authClientAuth ?? undefined,
    }),
  );
}

const oauth2Settings = perSourceVersion<OAuth2ClientCredentialsSettings | null>();

/** What a missing token is called: refused credentials, a token URL the guard blocks, or an endpoint that did not answer. */
export function tokenErrorCode(err: OAuth2TokenError): 'auth_failed' | 'destination_blocked' | 'oauth_token_failed' {
  if (err.reason === 'refused' || err.reason === 'not_configured') return 'auth_failed';
  return err.reason === 'blocked' ? 'destination_blocked' : 'oauth_token_failed';
}

/**
 * What a missing token means for each candidate of the request: credentials the token endpoint
 * refused fail at once as auth_failed (the source turns auth_failed, nothing is retried); an
 * unreachable or overloaded endpoint is retried like any network failure.
 */
export function tokenErrorOutcomes(items: readonly { deliveryId: string }[], err: OAuth2TokenError): Outcome[] {
  const errorCode = tokenErrorCode(err);
  return items.map((item) => ({
    deliveryId: item.deliveryId,
    kind: err.retryable ? 'retry' : 'failed',
    httpStatus: null,
    errorCode,
    errorMessage: err.message,
    externalId: null,
    responseExcerpt: null,
    retryAfterMs: err.retryAfterMs,
    durationMs: 0,
  }));
}

export { OAuth2TokenError };
