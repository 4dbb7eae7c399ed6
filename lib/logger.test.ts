import pino from 'pino';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
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

  it('keeps counts about secrets, but only as numbers', () => {
    expect(redactSecrets({ tokens_revoked: 2, token_count: 3 })).toEqual({ tokens_revoked: 2, token_count: 3 });
    expect(redactSecrets({ tokens_revoked: 'ats_x', token_count: '3' })).toEqual({
      tokens_revoked: REDACTED,
      token_count: REDACTED,
    });
  });

  it('scrubs API tokens and credentials from free text', () => {
    const token = `ats_${'x'.repeat(43)}`;
    expect(scrubString(`failed for ${token} now`)).toBe(`failed for ${REDACTED} now`);
    expect(scrubString('Authorization: Bearer abc.def-ghi')).toBe(`Authorization: ${REDACTED}`);
    expect(scrubString('Basic dXNlcjpwYXNzd29yZA==')).toBe(REDACTED);
  });

  it('scrubs a bearer token with quotes and backslashes whole from JSON text', () => {
    const json = JSON.stringify({ authorization: 'Bearer pa"ss\\word-1234567890', tenant: 'acme' });
    expect(scrubString(json)).toBe(`{"authorization":"${REDACTED}","tenant":"acme"}`);
  });

  it('masks emails for logs', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j***@example.com');
    expect(maskEmail('broken')).toBe('***');
  });
});

describe('createLogger with LOG_FILE', () => {
  it('writes redacted JSON lines to the rotated file as well', async () => {
    const { mkdtempSync, readdirSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { createLogger } = await import('./logger');
    const dir = mkdtempSync(path.join(tmpdir(), 'ats-log-'));
    const log = createLogger({
      LOG_LEVEL: 'info',
      LOG_FILE: path.join(dir, 'app.log'),
      LOG_FILE_SIZE: '1m',
      LOG_FILE_FREQUENCY: 'daily',
    });
    // Also when the test fails: the transport's thread is ended (so it writes nothing more) and the folder removed.
    onTestFinished(async () => {
      const stream = (log as unknown as Record<symbol, NodeJS.WritableStream>)[pino.symbols.streamSym];
      stream.on('error', () => {});
      await new Promise<void>((resolve) => {
        stream.once('close', () => resolve());
        stream.end();
      });
      rmSync(dir, { recursive: true, force: true });
    });
    log.info({ headers: { authorization: 'Bearer abc' }, user: 'a@b.c' }, 'hello with ats_0123456789abcdefghijklmnop');
    // The file is written by the transport's own thread: wait for the whole line to be there.
    const line = await vi.waitFor(
      () => {
        const text = readdirSync(dir)
          .map((f) => readFileSync(path.join(dir, f), 'utf8'))
          .join('');
        const found = text.split('\n').find((l) => l.includes('hello'));
        expect(found).toBeDefined();
        return JSON.parse(found!);
      },
      { timeout: 30_000, interval: 50 },
    );
    expect(line).toMatchObject({
      level: 'info',
      user: 'a@b.c',
      headers: { authorization: REDACTED },
      msg: `hello with ${REDACTED}`,
    });
  });
});
