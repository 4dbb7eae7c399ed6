import { describe, expect, it } from 'vitest';
import { type OAuth2TokenError, oauth2ClientOf, readTokenAnswer, tokenRequest } from './oauth2-client-credentials';
import type { HttpResult } from './outbound-client';

const source = {
  id: 'src',
  baseUrl: 'https://proxy.example.test/personio/',
  authUsername: 'client:1',
  authSecret: 'se cret/+&=',
  timeoutMs: 5000,
  updatedAt: 'v1',
};
const answer = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  ok: true,
  status,
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  durationMs: 1,
});
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as OAuth2TokenError;
  }
  throw new Error('no error');
};

describe('OAuth2 client credentials, without a server', () => {
  it('resolves a relative token URL under the base URL, path prefix included; an absolute one as it is', () => {
    const relative = oauth2ClientOf(source, { token_url: '/v2/auth/token', client_auth: 'client_secret_post' });
    expect(relative.tokenUrl).toBe('https://proxy.example.test/personio/v2/auth/token');
    const absolute = oauth2ClientOf(source, {
      token_url: 'https://idp.example.test/token',
      client_auth: 'client_secret_post',
    });
    expect(absolute.tokenUrl).toBe('https://idp.example.test/token');
  });

  it('sends the credentials in the form body, or form-encoded inside HTTP Basic (RFC 6749 §2.3.1)', () => {
    const post = tokenRequest(
      oauth2ClientOf(source, { token_url: '/t', scope: 'a b', client_auth: 'client_secret_post' }),
    );
    expect(post.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(post.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'a b',
      client_id: 'client:1',
      client_secret: 'se cret/+&=',
    });
    const basic = tokenRequest(oauth2ClientOf(source, { token_url: '/t', client_auth: 'client_secret_basic' }));
    expect(basic.body).toBe('grant_type=client_credentials');
    const decoded = Buffer.from(basic.headers.authorization.replace('Basic ', ''), 'base64').toString();
    expect(decoded).toBe(`${encodeURIComponent('client:1')}:${encodeURIComponent('se cret/+&=')}`);
  });

  it('reads a token answer; refuses answers that are not Bearer tokens', () => {
    const client = oauth2ClientOf(source, { token_url: '/t', client_auth: 'client_secret_post' });
    expect(
      readTokenAnswer(client, answer(200, { access_token: 'abc', token_type: 'bearer', expires_in: '120' })),
    ).toEqual({
      accessToken: 'abc',
      tokenType: 'Bearer',
      expiresInMs: 120_000,
    });
    expect(readTokenAnswer(client, answer(200, { access_token: 'abc' })).expiresInMs).toBe(3600_000);
    expect(
      failure(() => readTokenAnswer(client, answer(200, { access_token: 'abc', token_type: 'mac' }))),
    ).toMatchObject({
      reason: 'invalid',
      retryable: false,
    });
    expect(failure(() => readTokenAnswer(client, answer(200, '<html>')))).toMatchObject({ reason: 'invalid' });
  });

  it('an overloaded endpoint is retryable with its Retry-After; an echoed secret never reaches the message', () => {
    const client = oauth2ClientOf(source, { token_url: '/t', client_auth: 'client_secret_post' });
    const busy = failure(() =>
      readTokenAnswer(client, answer(503, { error: 'temporarily_unavailable' }, { 'retry-after': '7' })),
    );
    expect(busy).toMatchObject({
      retryable: true,
      reason: 'unavailable',
      retryAfterMs: 7000,
      oauthError: 'temporarily_unavailable',
    });
    const echo = failure(() =>
      readTokenAnswer(client, answer(401, { error: 'invalid_client', error_description: 'bad secret se cret/+&=' })),
    );
    expect(echo).toMatchObject({ retryable: false, reason: 'refused', oauthError: 'invalid_client', httpStatus: 401 });
    expect(echo.message).toContain('invalid_client (bad secret [redacted])');
    expect(echo.message).not.toContain('se cret');
  });
});
