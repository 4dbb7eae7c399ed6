import { describe, expect, it } from 'vitest';
import { maskEmail, REDACTED, redactSecrets, scrubString } from './logger';

describe('redactSecrets', () => {
  it('replaces secret-looking keys at any depth and keeps the rest', () => {
    const out = redactSecrets({
      user: 'a@b.c',
      password: 'hunter2',
      nested: { headers: { authorization: 'Bearer abc', cookie: 'sid=1', accept: 'json' }, apiKey: 'k', api_key: 'k2' },
      list: [{ token: 't' }],
      secret_set: true,
    });
    expect(out).toEqual({
      user: 'a@b.c',
      password: REDACTED,
      nested: {
        headers: { authorization: REDACTED, cookie: REDACTED, accept: 'json' },
        apiKey: REDACTED,
        api_key: REDACTED,
      },
      list: [{ token: REDACTED }],
      secret_set: true,
    });
  });

  it('scrubs API tokens and credentials from free text', () => {
    const token = `ats_${'x'.repeat(43)}`;
    expect(scrubString(`failed for ${token} now`)).toBe(`failed for ${REDACTED} now`);
    expect(scrubString('Authorization: Bearer abc.def-ghi')).toBe(`Authorization: ${REDACTED}`);
    expect(scrubString('Basic dXNlcjpwYXNzd29yZA==')).toBe(REDACTED);
  });

  it('masks emails for logs', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j***@example.com');
    expect(maskEmail('broken')).toBe('***');
  });
});
