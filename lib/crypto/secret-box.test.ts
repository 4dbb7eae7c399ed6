import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  decryptSecret,
  encryptSecret,
  getKeyring,
  maskSecret,
  needsReencryption,
  parseKeyring,
  SecretDecryptError,
} from './secret-box';

const newKey = () => randomBytes(32).toString('base64');
const SECRET = 'sk_live_correct-horse-battery-staple';

function flipFirstByte(stored: string, partIndex: number): string {
  const parts = stored.split(':');
  const bytes = Buffer.from(parts[partIndex], 'base64url');
  bytes[0] ^= 0x01;
  parts[partIndex] = bytes.toString('base64url');
  return parts.join(':');
}

function decryptError(fn: () => unknown): SecretDecryptError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SecretDecryptError);
    return err as SecretDecryptError;
  }
  throw new Error('expected decryption to fail');
}

describe('encryptSecret / decryptSecret', () => {
  const keyring = parseKeyring(newKey());

  it('round-trips text, including empty and non-ASCII strings', () => {
    for (const text of [SECRET, '', 'mot de passe: çà 🔑', 'x'.repeat(10_000)]) {
      expect(decryptSecret(keyring, encryptSecret(keyring, text))).toBe(text);
    }
  });

  it('writes the documented format and never the plaintext', () => {
    const stored = encryptSecret(keyring, SECRET);
    expect(stored).toMatch(/^v1:[0-9a-f]{8}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(stored.split(':')[1]).toBe(keyring.current.id);
    expect(stored).not.toContain(SECRET);
  });

  it('uses a fresh IV for every encryption', () => {
    const values = Array.from({ length: 20 }, () => encryptSecret(keyring, SECRET));
    expect(new Set(values.map((v) => v.split(':')[2])).size).toBe(20);
    expect(new Set(values).size).toBe(20);
  });

  it('detects tampering with the ciphertext, the tag or the IV', () => {
    const stored = encryptSecret(keyring, SECRET);
    for (const part of [2, 3, 4]) {
      const err = decryptError(() => decryptSecret(keyring, flipFirstByte(stored, part)));
      expect(err.reason).toBe('authentication_failed');
      expect(err.message).not.toContain(SECRET);
    }
  });

  it('rejects a truncated tag instead of accepting a weaker check', () => {
    const parts = encryptSecret(keyring, SECRET).split(':');
    parts[3] = Buffer.from(parts[3], 'base64url').subarray(0, 4).toString('base64url');
    expect(decryptError(() => decryptSecret(keyring, parts.join(':'))).reason).toBe('malformed');
  });

  it('rejects values that are not in the v1 format', () => {
    for (const bad of ['', SECRET, 'v2:abcdef01:a:b:c', 'v1:abcdef01:a:b', 'v1:nothex!!:aaaa:bbbb:cccc']) {
      const err = decryptError(() => decryptSecret(keyring, bad));
      expect(err.reason).toBe('malformed');
      expect(err.message).not.toContain(SECRET);
    }
  });

  it('fails with a wrong key, naming the key id but never a key or the plaintext', () => {
    const key = newKey();
    const stored = encryptSecret(keyring, SECRET);
    const err = decryptError(() => decryptSecret(parseKeyring(key), stored));
    expect(err.reason).toBe('unknown_key');
    expect(err.message).toContain(keyring.current.id);
    expect(err.message).toContain('APP_ENCRYPTION_KEY_PREVIOUS');
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain(key);
  });
});

describe('key rotation', () => {
  const oldKey = newKey();
  const olderKey = randomBytes(32).toString('hex');
  const before = parseKeyring(oldKey);
  const after = parseKeyring(newKey(), `${oldKey}, ${olderKey}`);

  it('reads values written with a previous key and flags them for re-encryption', () => {
    const stored = encryptSecret(before, SECRET);
    expect(decryptSecret(after, stored)).toBe(SECRET);
    expect(needsReencryption(after, stored)).toBe(true);
    const rewritten = encryptSecret(after, decryptSecret(after, stored));
    expect(needsReencryption(after, rewritten)).toBe(false);
    expect(decryptSecret(after, rewritten)).toBe(SECRET);
  });

  it('reads values written with any key of the previous list', () => {
    const stored = encryptSecret(parseKeyring(olderKey), SECRET);
    expect(decryptSecret(after, stored)).toBe(SECRET);
    expect(needsReencryption(after, stored)).toBe(true);
  });

  it('does not flag values of the current key or of unknown keys', () => {
    expect(needsReencryption(before, encryptSecret(before, SECRET))).toBe(false);
    expect(needsReencryption(before, encryptSecret(parseKeyring(newKey()), SECRET))).toBe(false);
  });

  it('ignores the current key repeated in the previous list, and empty entries', () => {
    const key = newKey();
    expect(parseKeyring(key, ` ${key},, `).previous).toEqual([]);
  });
});

describe('parseKeyring', () => {
  it('accepts base64, base64url and hex keys of 32 bytes', () => {
    const bytes = randomBytes(32);
    const ids = [
      bytes.toString('base64'),
      bytes.toString('base64url'),
      bytes.toString('hex'),
      ` ${bytes.toString('hex')}\n`,
    ].map((k) => parseKeyring(k).current.id);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}$/);
  });

  it('rejects other formats, naming the variable but not the value', () => {
    const tooShort = randomBytes(16).toString('base64');
    const cases: [string, string | undefined, RegExp][] = [
      ['', undefined, /^APP_ENCRYPTION_KEY is empty/],
      [tooShort, undefined, /^APP_ENCRYPTION_KEY must be 32 random bytes/],
      [randomBytes(48).toString('base64'), undefined, /^APP_ENCRYPTION_KEY must be/],
      ['correct horse battery staple', undefined, /^APP_ENCRYPTION_KEY must be/],
      ['z'.repeat(64), undefined, /^APP_ENCRYPTION_KEY must be/],
      [newKey(), tooShort, /^APP_ENCRYPTION_KEY_PREVIOUS must be/],
      [newKey(), `${newKey()},${tooShort}`, /^APP_ENCRYPTION_KEY_PREVIOUS \(entry 2\) must be/],
    ];
    for (const [current, previous, message] of cases) {
      expect(() => parseKeyring(current, previous)).toThrow(message);
      try {
        parseKeyring(current, previous);
      } catch (err) {
        expect((err as Error).message).not.toContain(tooShort);
      }
    }
  });

  it('does not show key bytes when a keyring is logged or serialised', () => {
    const bytes = randomBytes(32);
    const keyring = parseKeyring(bytes.toString('hex'));
    const shown = `${inspect(keyring, { depth: 5 })} ${JSON.stringify(keyring)}`;
    expect(shown).not.toContain(bytes.toString('hex'));
    expect(shown).not.toContain(bytes.toString('base64'));
    expect(shown).not.toMatch(/<Buffer/);
  });
});

describe('getKeyring', () => {
  it('explains how to get a key when APP_ENCRYPTION_KEY is unset', () => {
    expect(() => getKeyring({ APP_ENCRYPTION_KEY: undefined, APP_ENCRYPTION_KEY_PREVIOUS: undefined })).toThrow(
      'APP_ENCRYPTION_KEY is not set: npm start generates one under .data/; set it for other deployments',
    );
  });

  it('builds the keyring from both variables', () => {
    const [current, previous] = [newKey(), newKey()];
    const keyring = getKeyring({ APP_ENCRYPTION_KEY: current, APP_ENCRYPTION_KEY_PREVIOUS: previous });
    expect(keyring.current.id).toBe(parseKeyring(current).current.id);
    expect(keyring.previous.map((k) => k.id)).toEqual([parseKeyring(previous).current.id]);
    const next = newKey();
    expect(getKeyring({ APP_ENCRYPTION_KEY: next, APP_ENCRYPTION_KEY_PREVIOUS: undefined }).current.id).toBe(
      parseKeyring(next).current.id,
    );
  });
});

describe('maskSecret', () => {
  it('shows only the last 4 characters of secrets of 8 or more characters', () => {
    expect(maskSecret('sk_live_abcd1234')).toBe('••••1234');
    expect(maskSecret('12345678')).toBe('••••5678');
  });

  it('reveals nothing of short secrets', () => {
    for (const short of ['', 'a', '1234', '1234567']) expect(maskSecret(short)).toBe('••••');
  });

  it('does not split characters outside the basic plane', () => {
    expect(maskSecret('password🔑🔑')).toBe('••••rd🔑🔑');
  });
});
