import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Database } from '@/db/client';
import { decryptSecret, encryptSecret, type Keyring } from '@/lib/crypto/secret-box';
import {
  type HttpResult,
  type HttpTarget,
  type OutboundRequest,
  parseRetryAfter,
  sendRequest,
} from './outbound-client';
import { deleteOAuth2Token, findOAuth2Token, lockOAuth2TokenKey, saveOAuth2Token } from './oauth2-token-repository';

/**
 * OAuth2 client credentials (RFC 6749 §4.4) as a source auth type (issue 20, item 3).
 *
 * Why here, in lib/http: this is a credential we present to other systems, on the one outbound
 * path (the token request goes through the same client and destination guard as every delivery),
 * while lib/auth is about who may call us. The token is cached in the database (oauth2_tokens),
 * encrypted like the other secrets, so every worker uses the one token; a process keeps a copy in
 * memory so a delivery does not read the table. One fetch at a time across workers: the fetch runs
 * under a transaction-scoped advisory lock on the cache key, and whoever gets the lock second
 * finds the first one's token.
 */

export const OAUTH_TOKEN_FAILED = 'oauth_token_failed';

/**
 * The OAuth2 part of a source's settings (the source form and API store it; the client secret is
 * the source's write-only auth secret and the client id its auth username, as for Basic).
 */
export const oauth2ClientCredentialsSettingsSchema = z.strictObject({
  /** Absolute, or relative to the source's base URL (a connector's documented token path). */
  token_url: z.string().trim().min(1).max(2000),
  scope: z.string().trim().max(1000).optional(),
  /** RFC 6749 §2.3.1: client id and secret in the form body (post) or as HTTP Basic (basic). */
  client_auth: z.enum(['client_secret_post', 'client_secret_basic']).default('client_secret_post'),
});
export type OAuth2ClientCredentialsSettings = z.infer<typeof oauth2ClientCredentialsSettingsSchema>;

/** Everything needed to ask for a token. */
export type OAuth2Client = {
  sourceId: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string | null;
  clientAuth: 'client_secret_post' | 'client_secret_basic';
  /** The pool the token request goes through: its timeout applies. */
  target: HttpTarget;
};

/** What a source needs for the token request. */
export type OAuth2SourceFields = {
  id: string;
  baseUrl: string;
  authUsername: string | null;
  authSecret: string | null;
  timeoutMs: number;
  updatedAt: string;
};

/**
 * Why there is no token. `retryable`: the endpoint was unreachable, overloaded or rate limited, so
 * a later attempt may succeed; otherwise only a configuration change helps. The message carries
 * the endpoint's own `error`/`error_description` and never a secret.
 */
export class OAuth2TokenError extends Error {
  readonly code = OAUTH_TOKEN_FAILED;
  constructor(
    message: string,
    readonly retryable: boolean,
    /** refused: the endpoint said no (credentials, scope, grant); blocked: the destination guard; else unavailable/invalid. */
    readonly reason: 'refused' | 'unavailable' | 'blocked' | 'invalid' | 'not_configured',
    readonly oauthError: string | null = null,
    readonly httpStatus: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'OAuth2TokenError';
  }
}

export function oauth2ClientOf(source: OAuth2SourceFields, settings: OAuth2ClientCredentialsSettings): OAuth2Client {
  if (!source.authUsername || !source.authSecret) {
    throw new OAuth2TokenError(
      `${OAUTH_TOKEN_FAILED}: the source has no client id or client secret`,
      false,
      'not_configured',
    );
  }
  let tokenUrl: string;
  try {
    // A relative token URL keeps the base URL's path, so a proxy at https://proxy/personio serves
    // the token endpoint under the same prefix as the API (new URL(path, base) would drop it).
    const joined = /^https?:\/\//i.test(settings.token_url)
      ? settings.token_url
      : `${source.baseUrl.replace(/\/+$/, '')}/${settings.token_url.replace(/^\/+/, '')}`;
    tokenUrl = new URL(joined).toString();
  } catch {
    throw new OAuth2TokenError(`${OAUTH_TOKEN_FAILED}: the token URL is not a valid URL`, false, 'not_configured');
  }
  return {
    sourceId: source.id,
    tokenUrl,
    clientId: source.authUsername,
    clientSecret: source.authSecret,
    scope: settings.scope || null,
    clientAuth: settings.client_auth,
    // Its own pool: a token request never queues behind the source's deliveries.
    target: { id: `oauth2:${source.id}`, updatedAt: source.updatedAt, maxConcurrency: 1, timeoutMs: source.timeoutMs },
  };
}

/** The cache key: a different client (URL, id, scope, authentication) never gets another's token. */
export function oauth2ConfigHash(client: OAuth2Client): string {
  return createHash('sha256')
    .update(JSON.stringify([client.tokenUrl, client.clientId, client.scope, client.clientAuth]))
    .digest('hex');
}

/** The token request of RFC 6749 §4.4.2, with the client authenticated as §2.3.1 says. */
export function tokenRequest(client: OAuth2Client): OutboundRequest {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (client.scope) form.set('scope', client.scope);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (client.clientAuth === 'client_secret_basic') {
    // §2.3.1: both parts form-urlencoded before they are joined.
    const basic = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  } else {
    form.set('client_id', client.clientId);
    form.set('client_secret', client.clientSecret);
  }
  return { url: client.tokenUrl, method: 'POST', headers, body: form.toString() };
}

const tokenAnswerSchema = z.object({
  access_token: z.string().min(1).max(16_000),
  token_type: z.string().min(1).max(100).optional(),
  expires_in: z.coerce.number().positive().optional(),
});

const errorAnswerSchema = z.object({
  error: z.string().max(200),
  error_description: z.string().max(500).optional(),
});

export type IssuedToken = { accessToken: string; tokenType: string; expiresInMs: number };

/** Without expires_in (it is only RECOMMENDED), a token is trusted this long, then fetched again. */
const DEFAULT_LIFETIME_MS = 3600_000;

/** What the token endpoint's answer means. Text from the endpoint is cut and never echoes the secret. */
export function readTokenAnswer(client: OAuth2Client, result: HttpResult): IssuedToken {
  const secretFree = (text: string) =>
    [client.clientSecret, encodeURIComponent(client.clientSecret)].reduce(
      (t, s) => (s.length >= 4 ? t.replaceAll(s, '[redacted]') : t),
      text,
    );
  if (!result.ok) {
    throw new OAuth2TokenError(
      `${OAUTH_TOKEN_FAILED}: token endpoint not reached (${result.errorCode}: ${secretFree(result.message)})`,
      result.errorCode !== 'destination_blocked',
      result.errorCode === 'destination_blocked' ? 'blocked' : 'unavailable',
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(result.body);
  } catch {
    body = undefined;
  }
  if (result.status >= 200 && result.status < 300) {
    const parsed = tokenAnswerSchema.safeParse(body);
    if (!parsed.success) {
      throw new OAuth2TokenError(
        `${OAUTH_TOKEN_FAILED}: token endpoint answered without an access_token`,
        false,
        'invalid',
        null,
        result.status,
      );
    }
    const type = parsed.data.token_type ?? 'Bearer';
    if (type.toLowerCase() !== 'bearer') {
      throw new OAuth2TokenError(
        `${OAUTH_TOKEN_FAILED}: token type ${type} is not supported (only Bearer)`,
        false,
        'invalid',
        null,
        result.status,
      );
    }
    const expiresIn = parsed.data.expires_in;
    return {
      accessToken: parsed.data.access_token,
      tokenType: 'Bearer',
      expiresInMs: expiresIn ? expiresIn * 1000 : DEFAULT_LIFETIME_MS,
    };
  }
  const retryable = result.status === 429 || result.status >= 500;
  const standard = errorAnswerSchema.safeParse(body);
  const what = standard.success
    ? `${standard.data.error}${standard.data.error_description ? ` (${standard.data.error_description})` : ''}`
    : 'no standard OAuth2 error in the answer';
  throw new OAuth2TokenError(
    `${OAUTH_TOKEN_FAILED}: token endpoint answered HTTP ${result.status}: ${secretFree(what)}`,
    retryable,
    retryable ? 'unavailable' : 'refused',
    standard.success ? standard.data.error : null,
    result.status,
    retryable ? parseRetryAfter(result.headers['retry-after']) : null,
  );
}

export type OAuth2TokenCacheOptions = {
  db: Database;
  keyring: Keyring;
  log: Logger;
  /** A token is renewed this long before it expires (at most half its lifetime). */
  refreshMarginMs?: number;
  now?: () => number;
  /** Called with every token this process fetches or reads, so redaction can hide it. */
  onToken?: (sourceId: string, token: string) => void;
};

export type OAuth2TokenCache = {
  /** A valid token for the client: from memory, the shared table, or (one worker at a time) the endpoint. */
  getToken(client: OAuth2Client): Promise<string>;
  /** The target refused `token` (401): forget it everywhere, unless another worker already replaced it. */
  invalidate(client: OAuth2Client, token: string): Promise<void>;
};

/**
 * How long a process trusts its copy before reading the shared row again: a token another worker
 * replaced (after a 401, or a connection test after the admin granted a scope) reaches every worker
 * within this time, for one small read per source and interval.
 */
const RECHECK_MS = 30_000;

type Cached = { token: string; usableUntil: number; recheckAt: number };

export function createOAuth2TokenCache(options: OAuth2TokenCacheOptions): OAuth2TokenCache {
  const { db, keyring, log } = options;
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? 60_000;
  const memory = new Map<string, Cached>();
  // Concurrent deliveries of one process wait for one lookup instead of queueing on the lock.
  const inFlight = new Map<string, Promise<string>>();

  // The memory key is the configuration itself (no hashing on the path every delivery takes).
  const keyOf = (client: OAuth2Client) =>
    `${client.sourceId}\n${client.tokenUrl}\n${client.clientId}\n${client.scope ?? ''}\n${client.clientAuth}`;
  const usableUntil = (expiresAt: number, lifetimeMs: number) => expiresAt - Math.min(margin, lifetimeMs / 2);

  async function lookup(client: OAuth2Client, key: string): Promise<string> {
    const configHash = oauth2ConfigHash(client);
    return db.transaction().execute(async (trx) => {
      // The fetch below runs while the lock is held (bounded by the source's timeout): the workers
      // that wait for it then read its token instead of asking for their own.
      await lockOAuth2TokenKey(trx, client.sourceId, configHash);
      const row = await findOAuth2Token(trx, client.sourceId, configHash);
      if (row) {
        const expiresAt = row.expires_at.getTime();
        const until = usableUntil(expiresAt, expiresAt - row.fetched_at.getTime());
        if (until > now()) {
          const token = decryptSecret(keyring, row.access_token_encrypted);
          memory.set(key, { token, usableUntil: until, recheckAt: now() + RECHECK_MS });
          options.onToken?.(client.sourceId, token);
          return token;
        }
      }
      const issued = readTokenAnswer(client, await sendRequest(client.target, tokenRequest(client)));
      const fetchedAt = now();
      const expiresAt = fetchedAt + issued.expiresInMs;
      await saveOAuth2Token(trx, {
        source_id: client.sourceId,
        config_hash: configHash,
        access_token_encrypted: encryptSecret(keyring, issued.accessToken),
        token_type: issued.tokenType,
        expires_at: new Date(expiresAt),
        fetched_at: new Date(fetchedAt),
      });
      memory.set(key, {
        token: issued.accessToken,
        usableUntil: usableUntil(expiresAt, issued.expiresInMs),
        recheckAt: fetchedAt + RECHECK_MS,
      });
      options.onToken?.(client.sourceId, issued.accessToken);
      log.info(
        { source_id: client.sourceId, expires_in_s: Math.round(issued.expiresInMs / 1000) },
        'oauth2 token fetched',
      );
      return issued.accessToken;
    });
  }

  return {
    async getToken(client) {
      const key = keyOf(client);
      const cached = memory.get(key);
      if (cached && cached.usableUntil > now() && cached.recheckAt > now()) return cached.token;
      let pending = inFlight.get(key);
      if (!pending) {
        pending = lookup(client, key).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
    async invalidate(client, token) {
      const key = keyOf(client);
      if (memory.get(key)?.token === token) memory.delete(key);
      const configHash = oauth2ConfigHash(client);
      await db.transaction().execute(async (trx) => {
        await lockOAuth2TokenKey(trx, client.sourceId, configHash);
        const row = await findOAuth2Token(trx, client.sourceId, configHash);
        if (row && decryptSecret(keyring, row.access_token_encrypted) === token) {
          await deleteOAuth2Token(trx, client.sourceId, configHash);
        }
      });
      log.info({ source_id: client.sourceId }, 'oauth2 token refused by the target, forgotten');
    },
  };
}

/** A request with an access token, as the target gets it (also the step the source form's preview shows, masked). */
export function withBearerToken(request: OutboundRequest, token: string): OutboundRequest {
  return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
}

/**
 * Sends a request with the client's token; on a 401 the token is forgotten, a new one fetched and
 * the request sent once more (never more: a second 401 is the target's answer to report).
 * A connection test also refreshes on 403: a token keeps the scopes it was issued with, so after the
 * admin grants a missing scope only a new token shows it.
 * Throws OAuth2TokenError when there is no token to send.
 */
export async function sendWithOAuth2(
  cache: OAuth2TokenCache,
  client: OAuth2Client,
  target: HttpTarget,
  request: OutboundRequest,
  options: { refreshOn?: readonly number[] } = {},
): Promise<HttpResult> {
  const refreshOn = options.refreshOn ?? [401];
  const withToken = (token: string) => withBearerToken(request, token);
  const token = await cache.getToken(client);
  const first = await sendRequest(target, withToken(token));
  if (!first.ok || !refreshOn.includes(first.status)) return first;
  await cache.invalidate(client, token);
  return sendRequest(target, withToken(await cache.getToken(client)));
}
