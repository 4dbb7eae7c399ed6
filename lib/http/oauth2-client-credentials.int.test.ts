import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Database } from '@/db/client';
import { getKeyring } from '@/lib/crypto/secret-box';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { createLogger } from '@/lib/logger';
import { startOAuth2Server, type TestOAuth2Server } from '@/test/oauth2-provider';
import {
  createOAuth2TokenCache,
  type OAuth2Client,
  type OAuth2TokenCache,
  OAuth2TokenError,
  oauth2ClientOf,
  sendWithOAuth2,
} from './oauth2-client-credentials';

const SECRET = `s3cret-${randomBytes(12).toString('hex')}`;
const BASIC_SECRET = `b4sic-${randomBytes(12).toString('hex')}`;
const TTL_SECONDS = 600;

let oauth: TestOAuth2Server;
let resource: http.Server;
let resourceUrl: string;
let resourceRequests = 0;
// Two "workers": separate pools (separate connections) on the one database, no shared memory.
let dbA: Database;
let dbB: Database;
let clock = Date.now();
const logLines: string[] = [];
const issuedTokens: string[] = [];

function cacheOn(db: Database): OAuth2TokenCache {
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  return createOAuth2TokenCache({
    db,
    keyring: getKeyring(),
    log: createLogger({ ...getEnv(), LOG_LEVEL: 'debug', LOG_FILE: undefined }, sink),
    now: () => clock,
    onToken: (_source, token) => issuedTokens.push(token),
  });
}

async function newSource(): Promise<string> {
  const row = await getDb()
    .insertInto('sources')
    .values({ name: `oauth-${randomBytes(3).toString('hex')}`, connector: 'generic_webhook', base_url: oauth.issuer })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function clientFor(
  sourceId: string,
  overrides: { secret?: string; clientId?: string; basic?: boolean } = {},
): OAuth2Client {
  return oauth2ClientOf(
    {
      id: sourceId,
      baseUrl: oauth.issuer,
      authUsername: overrides.clientId ?? (overrides.basic ? 'ats-basic' : 'ats-sync'),
      authSecret: overrides.secret ?? (overrides.basic ? BASIC_SECRET : SECRET),
      timeoutMs: 10_000,
      updatedAt: 'v1',
    },
    {
      token_url: '/token',
      scope: 'hr:write',
      client_auth: overrides.basic ? 'client_secret_basic' : 'client_secret_post',
    },
  );
}

const target = { id: 'resource', updatedAt: 'v1', maxConcurrency: 4, timeoutMs: 10_000 };
const get = () => ({ url: `${resourceUrl}/employees`, method: 'GET', headers: {}, body: '' });

beforeAll(async () => {
  oauth = await startOAuth2Server(
    [
      {
        client_id: 'ats-sync',
        client_secret: SECRET,
        token_endpoint_auth_method: 'client_secret_post',
        scope: 'hr:write',
      },
      {
        client_id: 'ats-basic',
        client_secret: BASIC_SECRET,
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'hr:write',
      },
    ],
    { ttlSeconds: TTL_SECONDS },
  );
  // A resource server that accepts exactly the tokens the authorization server still honours.
  resource = http.createServer(async (req, res) => {
    resourceRequests += 1;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const valid = token ? await oauth.isValid(token) : false;
    res.writeHead(valid ? 200 : 401, { 'content-type': 'application/json' });
    res.end(valid ? '{"ok":true}' : '{"error":"invalid_token"}');
  });
  await new Promise<void>((resolve) => resource.listen(0, '127.0.0.1', resolve));
  resourceUrl = `http://127.0.0.1:${(resource.address() as AddressInfo).port}`;
  dbA = createDb(process.env.DATABASE_URL as string, { max: 2 });
  dbB = createDb(process.env.DATABASE_URL as string, { max: 2 });
});

afterAll(async () => {
  await dbA?.destroy();
  await dbB?.destroy();
  await new Promise<void>((resolve) => resource?.close(() => resolve()));
  await oauth?.close();
});

describe('OAuth2 client credentials against a real authorization server', () => {
  it('fetches one token for two workers at once, stores it encrypted, and both use it', async () => {
    const sourceId = await newSource();
    const before = oauth.tokenRequests();
    const [a, b] = [cacheOn(dbA), cacheOn(dbB)];
    const [tokenA, tokenB] = await Promise.all([a.getToken(clientFor(sourceId)), b.getToken(clientFor(sourceId))]);

    expect(oauth.tokenRequests() - before).toBe(1);
    expect(tokenA).toBe(tokenB);
    expect(await oauth.isValid(tokenA)).toBe(true);
    const row = await getDb()
      .selectFrom('oauth2_tokens')
      .selectAll()
      .where('source_id', '=', sourceId)
      .executeTakeFirstOrThrow();
    expect(row.access_token_encrypted.startsWith('v1:')).toBe(true);
    expect(row.access_token_encrypted).not.toContain(tokenA);

    // A third worker started later reads the shared row instead of asking again.
    expect(await cacheOn(dbB).getToken(clientFor(sourceId))).toBe(tokenA);
    expect(oauth.tokenRequests() - before).toBe(1);
  });

  it('fetches a new token shortly before the old one expires', async () => {
    const sourceId = await newSource();
    const cache = cacheOn(dbA);
    const before = oauth.tokenRequests();
    const first = await cache.getToken(clientFor(sourceId));
    clock += (TTL_SECONDS - 120) * 1000;
    expect(await cache.getToken(clientFor(sourceId))).toBe(first);
    clock += 90 * 1000;
    const second = await cache.getToken(clientFor(sourceId));
    expect(second).not.toBe(first);
    expect(oauth.tokenRequests() - before).toBe(2);
    // The other worker sees the renewed token, not the old one.
    expect(await cacheOn(dbB).getToken(clientFor(sourceId))).toBe(second);
  });

  it('a worker picks up a token another worker replaced within the recheck interval, not at expiry', async () => {
    const sourceId = await newSource();
    const [a, b] = [cacheOn(dbA), cacheOn(dbB)];
    const first = await a.getToken(clientFor(sourceId));
    expect(await b.getToken(clientFor(sourceId))).toBe(first);
    await b.invalidate(clientFor(sourceId), first);
    const second = await b.getToken(clientFor(sourceId));
    expect(second).not.toBe(first);
    clock += 31_000;
    expect(await a.getToken(clientFor(sourceId))).toBe(second);
  });

  it('authenticates with HTTP Basic when the client is registered for client_secret_basic', async () => {
    const sourceId = await newSource();
    const token = await cacheOn(dbA).getToken(clientFor(sourceId, { basic: true }));
    expect(await oauth.isValid(token)).toBe(true);
  });

  it('on a 401 forgets the token, fetches a new one and retries once', async () => {
    const sourceId = await newSource();
    const [a, b] = [cacheOn(dbA), cacheOn(dbB)];
    const first = await a.getToken(clientFor(sourceId));
    await oauth.revoke(first);
    const tokensBefore = oauth.tokenRequests();
    const sentBefore = resourceRequests;

    const result = await sendWithOAuth2(a, clientFor(sourceId), target, get());
    expect(result.ok && result.status).toBe(200);
    expect(resourceRequests - sentBefore).toBe(2);
    expect(oauth.tokenRequests() - tokensBefore).toBe(1);
    // The replacement is what the other worker gets too.
    const second = await b.getToken(clientFor(sourceId));
    expect(second).not.toBe(first);
    expect(await oauth.isValid(second)).toBe(true);
  });

  it('retries a 401 only once: a target that refuses every token gets two requests', async () => {
    const sourceId = await newSource();
    const cache = cacheOn(dbA);
    const refusing = http.createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
    });
    let refused = 0;
    refusing.on('request', () => {
      refused += 1;
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/employees`;
      const tokensBefore = oauth.tokenRequests();
      const result = await sendWithOAuth2(cache, clientFor(sourceId), target, { ...get(), url });
      expect(result.ok && result.status).toBe(401);
      expect(refused).toBe(2);
      expect(oauth.tokenRequests() - tokensBefore).toBe(2);
    } finally {
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });

  it('a wrong secret fails with oauth_token_failed and the endpoint invalid_client, not retryable', async () => {
    const sourceId = await newSource();
    const wrong = `wrong-${randomBytes(10).toString('hex')}`;
    const error = await cacheOn(dbA)
      .getToken(clientFor(sourceId, { secret: wrong }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuth2TokenError);
    const e = error as OAuth2TokenError;
    expect(e.code).toBe('oauth_token_failed');
    expect(e.oauthError).toBe('invalid_client');
    expect(e.retryable).toBe(false);
    expect(e.reason).toBe('refused');
    expect(e.message).toContain('oauth_token_failed');
    expect(e.message).toContain('invalid_client');
    expect(e.message).not.toContain(wrong);
    expect(await getDb().selectFrom('oauth2_tokens').selectAll().where('source_id', '=', sourceId).execute()).toEqual(
      [],
    );
  });

  it('asks a token endpoint only through the destination guard', async () => {
    const sourceId = await newSource();
    const client = oauth2ClientOf(
      {
        id: sourceId,
        baseUrl: oauth.issuer,
        authUsername: 'ats-sync',
        authSecret: SECRET,
        timeoutMs: 5000,
        updatedAt: 'v1',
      },
      { token_url: 'http://169.254.169.254/latest/token', client_auth: 'client_secret_post' },
    );
    const error = (await cacheOn(dbA)
      .getToken(client)
      .catch((e: unknown) => e)) as OAuth2TokenError;
    expect(error).toBeInstanceOf(OAuth2TokenError);
    expect(error).toMatchObject({ reason: 'blocked', retryable: false });
    expect(error.message).toContain('destination_blocked');
  });

  it('never writes a secret or a token to the log', async () => {
    expect(logLines.length).toBeGreaterThan(0);
    const log = logLines.join('');
    expect(log).toContain('oauth2 token fetched');
    for (const secret of [SECRET, BASIC_SECRET, ...issuedTokens]) expect(log).not.toContain(secret);
  });
});
