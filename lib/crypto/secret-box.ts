import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { type Env, getEnv } from '@/lib/env';

/**
 * Encryption at rest for source credentials and signing secrets: AES-256-GCM with a keyring so
 * keys can be rotated without a flag day. Stored values look like
 * `v1:<keyId>:<iv b64url>:<tag b64url>:<ciphertext b64url>`.
 */

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CURRENT_VAR = 'APP_ENCRYPTION_KEY';
const PREVIOUS_VAR = 'APP_ENCRYPTION_KEY_PREVIOUS';

// A KeyObject rather than a Buffer: logging or serialising a keyring then shows no key bytes.
export type KeyringKey = { readonly id: string; readonly key: KeyObject };
export type Keyring = { readonly current: KeyringKey; readonly previous: readonly KeyringKey[] };

export type SecretDecryptReason = 'malformed' | 'unknown_key' | 'authentication_failed';

/** Why a stored secret could not be read. The message never carries the plaintext, the key or the stored value. */
export class SecretDecryptError extends Error {
  constructor(
    readonly reason: SecretDecryptReason,
    message: string,
  ) {
    super(message);
    this.name = 'SecretDecryptError';
  }
}

const HEX_KEY = /^[0-9a-f]{64}$/i;
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=?$/;
const BASE64URL_KEY = /^[A-Za-z0-9_-]{43}$/;

function decodeKey(value: string, label: string): Buffer {
  const text = value.trim();
  let bytes: Buffer | undefined;
  // Hex first: 64 hex characters are also valid base64 characters, but decode to 48 bytes there.
  if (HEX_KEY.test(text)) bytes = Buffer.from(text, 'hex');
  else if (BASE64_KEY.test(text)) bytes = Buffer.from(text, 'base64');
  else if (BASE64URL_KEY.test(text)) bytes = Buffer.from(text, 'base64url');
  if (bytes?.length !== KEY_BYTES) {
    throw new Error(
      `${label} must be ${KEY_BYTES} random bytes as base64 (44 characters) or hex (64 characters); ` +
        `got ${text.length} characters. Generate one with: openssl rand -base64 32`,
    );
  }
  return bytes;
}

function toKeyringKey(bytes: Buffer): KeyringKey {
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), key: createSecretKey(bytes) };
}

/** Builds a keyring from the two variables' values; errors name the variable, never the value. */
export function parseKeyring(current: string, previous?: string): Keyring {
  if (!current?.trim()) throw new Error(`${CURRENT_VAR} is empty`);
  const currentKey = toKeyringKey(decodeKey(current, CURRENT_VAR));
  const seen = new Set([currentKey.id]);
  const previousKeys: KeyringKey[] = [];
  const entries = (previous ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  entries.forEach((entry, index) => {
    const label = entries.length > 1 ? `${PREVIOUS_VAR} (entry ${index + 1})` : PREVIOUS_VAR;
    const key = toKeyringKey(decodeKey(entry, label));
    // Tolerate the current key left in the old list during a rotation.
    if (seen.has(key.id)) return;
    seen.add(key.id);
    previousKeys.push(key);
  });
  return { current: currentKey, previous: previousKeys };
}

let cachedKeyring: { current: string; previous?: string; keyring: Keyring } | undefined;

/** The process keyring from APP_ENCRYPTION_KEY and APP_ENCRYPTION_KEY_PREVIOUS. */
export function getKeyring(env: Pick<Env, 'APP_ENCRYPTION_KEY' | 'APP_ENCRYPTION_KEY_PREVIOUS'> = getEnv()): Keyring {
  const current = env.APP_ENCRYPTION_KEY;
  if (!current) {
    throw new Error(`${CURRENT_VAR} is not set: npm start generates one under .data/; set it for other deployments`);
  }
  const previous = env.APP_ENCRYPTION_KEY_PREVIOUS;
  if (cachedKeyring?.current !== current || cachedKeyring.previous !== previous) {
    cachedKeyring = { current, previous, keyring: parseKeyring(current, previous) };
  }
  return cachedKeyring.keyring;
}

// The header is authenticated too, so a value cannot be relabelled with another version or key id.
function additionalData(keyId: string): Buffer {
  return Buffer.from(`${VERSION}:${keyId}`);
}

export function encryptSecret(keyring: Keyring, plaintext: string): string {
  const { id, key } = keyring.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(id));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, id, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join(':');
}

type ParsedSecret = { keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer };

const B64URL = /^[A-Za-z0-9_-]*$/;

function parseStored(stored: string): ParsedSecret {
  const parts = typeof stored === 'string' ? stored.split(':') : [];
  const malformed = () =>
    new SecretDecryptError('malformed', `cannot decrypt secret: not a ${VERSION} encrypted value`);
  if (parts.length !== 5 || parts[0] !== VERSION || !/^[0-9a-f]{8}$/.test(parts[1])) throw malformed();
  if (!parts.slice(2).every((p) => B64URL.test(p))) throw malformed();
  const [, keyId, iv, tag, ciphertext] = parts;
  const parsed = {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
  };
  // GCM would accept shorter tags, which weakens authentication; insist on the full length.
  if (parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES) throw malformed();
  return parsed;
}

function allKeys(keyring: Keyring): KeyringKey[] {
  return [keyring.current, ...keyring.previous];
}

export function decryptSecret(keyring: Keyring, stored: string): string {
  const parsed = parseStored(stored);
  // Ids are 32 bits of a hash: two keys could share one, so try every match and let GCM decide.
  const candidates = allKeys(keyring).filter((k) => k.id === parsed.keyId);
  if (candidates.length === 0) {
    throw new SecretDecryptError(
      'unknown_key',
      `cannot decrypt secret: it was encrypted with key ${parsed.keyId}, which is neither ${CURRENT_VAR} nor in ${PREVIOUS_VAR}`,
    );
  }
  for (const { key } of candidates) {
    try {
      const decipher = createDecipheriv(ALGORITHM, key, parsed.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData(parsed.keyId));
      decipher.setAuthTag(parsed.tag);
      return Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // Node's message here is generic, but drop it anyway: ours is the one callers should see.
    }
  }
  throw new SecretDecryptError(
    'authentication_failed',
    `cannot decrypt secret encrypted with key ${parsed.keyId}: the value was altered or the key is wrong`,
  );
}

/** True when the value is readable but was encrypted with a previous key, so `secrets rotate` should rewrite it. */
export function needsReencryption(keyring: Keyring, stored: string): boolean {
  const { keyId } = parseStored(stored);
  return keyId !== keyring.current.id && keyring.previous.some((k) => k.id === keyId);
}

const MASK = '••••';
const MIN_LENGTH_TO_REVEAL = 8;

/** For display: `••••` plus the last 4 characters, or only `••••` for short secrets, which 4 characters would half reveal. */
export function maskSecret(plaintext: string): string {
  // By code point, so an emoji or other astral character is never cut in half.
  const chars = Array.from(plaintext ?? '');
  return chars.length < MIN_LENGTH_TO_REVEAL ? MASK : `${MASK}${chars.slice(-4).join('')}`;
}
