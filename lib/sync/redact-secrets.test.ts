import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from '@/lib/logger';
import type { SourceConfig } from './connectors/types';
import { addSourceToken, requestRecord, secretRedactor, sourceRedactor, storableText } from './redact-secrets';

const SECRET = 'pa"ss\\word-1234567890';

describe('secretRedactor', () => {
  const r = secretRedactor([SECRET, 'abc', null]);

  it('finds a secret raw, JSON-escaped once and twice, and URL-encoded', () => {
    const escaped = JSON.stringify(SECRET).slice(1, -1);
    const text = [
      SECRET,
      JSON.stringify({ echo: SECRET }),
      JSON.stringify(JSON.stringify({ echo: SECRET })),
      `?t=${encodeURIComponent(SECRET)}`,
      `?t=${new URLSearchParams({ t: SECRET }).toString()}`,
      encodeURIComponent(SECRET).toLowerCase(),
    ].join(' | ');
    const out = r.text(text);
    for (const form of [SECRET, escaped, encodeURIComponent(SECRET), 'pa"ss', 'pa\\"ss', 'pa%22ss']) {
      expect(out).not.toContain(form);
    }
    expect(out.split(REDACTED)).toHaveLength(7);
  });

  it('finds it in the escapes other JSON encoders and HTML pages use', () => {
    const odd = secretRedactor([`a/b"é'<x>-secret`]);
    for (const form of [
      'a\\/b\\"\\u00e9\'<x>-secret',
      'a/b&quot;é&#39;&lt;x&gt;-secret',
      'a/b&quot;é&#x27;&lt;x&gt;-secret',
    ]) {
      expect(odd.text(`<p>${form}</p>`)).toBe(`<p>${REDACTED}</p>`);
    }
  });

  it('redacts inside values before they are serialised, and leaves short secrets alone', () => {
    const out = r.value({ headers: { 'x-key': `k=${SECRET}`, n: 3 }, list: [SECRET, 'abc'] });
    expect(out).toEqual({ headers: { 'x-key': `k=${REDACTED}`, n: 3 }, list: [REDACTED, 'abc'] });
    expect(JSON.stringify(out)).not.toContain('word-123');
  });

  it('cuts an excerpt after redacting, and leaves no start of a secret at the cut', () => {
    const body = `${'x'.repeat(95)}${SECRET}${'y'.repeat(50)}`;
    expect(r.excerpt(body, 100)).toBe(`${'x'.repeat(95)}${REDACTED}… [truncated]`);
    // The answer itself ends inside the secret (the receiver or its proxy cut it).
    const cut = `${'x'.repeat(95)}${SECRET.slice(0, 10)}`;
    expect(r.excerpt(`${cut}${'z'.repeat(10)}`, 105)).toBe(`${'x'.repeat(95)}${REDACTED}… [truncated]`);
    // Fewer than 4 characters of it are not a secret's start but ordinary text.
    expect(r.excerpt(`${'x'.repeat(97)}pa"zzzz`, 100)).toBe(`${'x'.repeat(97)}pa"… [truncated]`);
    expect(r.excerpt('', 100)).toBeNull();
    expect(r.excerpt('short answer', 100)).toBe('short answer');
  });

  it('makes excerpts storable even when the cut splits a surrogate pair', () => {
    const out = r.excerpt(`${'x'.repeat(99)}😀 and more`, 100);
    expect(out).toBe(`${'x'.repeat(99)}\uFFFD… [truncated]`);
  });
});

describe('storableText', () => {
  it('replaces NUL and lone surrogates, keeps pairs', () => {
    expect(storableText('a\u0000b\uD800c\uDC00d😀')).toBe('a\uFFFDb\uFFFDc\uFFFDd😀');
  });
});

describe('requestRecord', () => {
  const source: SourceConfig = {
    id: '00000000-0000-4000-8000-000000000001',
    name: 'HRIS',
    connector: 'generic_webhook',
    baseUrl: 'https://hris.example.test',
    syncEndpoint: '/hired',
    httpMethod: 'POST',
    authType: 'bearer',
    authHeaderName: null,
    authUsername: null,
    authTokenUrl: null,
    authScope: null,
    authClientAuth: null,
    authSecret: 'bearer-secret-0123456789',
    signingSecret: 'whsec_signing_0123456789',
    signingMode: 'legacy',
    headers: { 'X-Tenant': 'acme', 'X-Api-Key': 'custom-key-0123456789' },
    fieldMapping: {},
    settings: {},
    timeoutMs: 5000,
    maxConcurrency: 4,
    batchSize: 1,
    maxAttempts: 3,
    maxRequestsPerMinute: null,
    updatedAt: '2026-12-06T00:00:00.000Z',
  };
  // What every request record was before it was cached per source: the whole record redacted.
  const whole = (request: { method: string; url: string; headers: Record<string, string> }) =>
    redactSecrets(sourceRedactor(source).value(request));
  const request = (n: number, extra: Record<string, string> = {}) => ({
    method: 'POST',
    url: 'https://hris.example.test/hired?token=bearer-secret-0123456789',
    headers: {
      authorization: 'Bearer bearer-secret-0123456789',
      'x-tenant': 'acme',
      'x-api-key': 'custom-key-0123456789',
      'idempotency-key': `key-${n}`,
      'x-ats-delivery-id': `delivery-${n}`,
      'x-ats-timestamp': String(1_800_000_000 + n),
      'x-ats-signature': `t=${n},v1=abcdef${n}`,
      ...extra,
    },
  });

  it('is the whole record redacted, for every request of a source, also when only some headers change', () => {
    for (let n = 0; n < 3; n++) expect(requestRecord(source, request(n))).toEqual(whole(request(n)));
    // A header whose value comes to carry the secret is redacted again, not taken from the last request.
    const echo = request(3, { 'x-tenant': 'acme bearer-secret-0123456789' });
    expect(requestRecord(source, echo)).toEqual(whole(echo));
    expect(JSON.stringify(requestRecord(source, echo))).not.toContain('bearer-secret-0123456789');
    expect(JSON.stringify(requestRecord(source, request(4)))).not.toContain('custom-key-0123456789');
  });

  it('hides the OAuth2 tokens the source was given after its redactor was built (issue 20)', () => {
    const oauthSource = { ...source, id: '00000000-0000-4000-8000-000000000002', authType: 'basic' as const };
    const answer = (token: string) => `{"echo":"${token}","path":"/x?access_token=${encodeURIComponent(token)}"}`;
    expect(sourceRedactor(oauthSource).text(answer('tok/first+0123456789'))).toContain('tok/first+0123456789');
    addSourceToken(oauthSource.id, 'tok/first+0123456789');
    addSourceToken(oauthSource.id, 'tok/second+0123456789');
    for (const token of ['tok/first+0123456789', 'tok/second+0123456789']) {
      const text = sourceRedactor(oauthSource).text(answer(token));
      expect(text).not.toContain(token);
      expect(text).not.toContain(encodeURIComponent(token));
      expect(sourceRedactor(oauthSource).excerpt(answer(token), 2048)).not.toContain(token);
    }
    const record = requestRecord(oauthSource, {
      ...request(9),
      url: `https://hris.example.test/x?t=tok/second+0123456789`,
    });
    expect(JSON.stringify(record)).not.toContain('tok/second+0123456789');
  });
});
