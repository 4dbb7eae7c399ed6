import { describe, expect, it } from 'vitest';
import { REDACTED } from '@/lib/logger';
import { secretRedactor, storableText } from './redact-secrets';

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
