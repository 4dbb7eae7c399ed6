/**
 * Signing modes and Standard Webhooks secrets, without Node's crypto: the source form checks and
 * generates secrets in the browser with the same rules the API applies (the signer is
 * lib/http/webhook-signing.ts).
 */

export const SIGNING_MODES = ['standard', 'legacy'] as const;
export type SigningMode = (typeof SIGNING_MODES)[number];

export const STANDARD_SECRET_PREFIX = 'whsec_';
/** The spec's bounds for a symmetric key (standard-webhooks.md, "Signature scheme"). */
export const STANDARD_SECRET_MIN_BYTES = 24;
export const STANDARD_SECRET_MAX_BYTES = 64;
// 32 bytes: as many as HMAC-SHA256's output, inside the spec's bounds.
const GENERATED_SECRET_BYTES = 32;

// Padded standard base64, the one alphabet every Standard Webhooks library decodes.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A new signing secret, `whsec_` + base64 of 32 random bytes: valid in both modes. */
export function generateSigningSecret(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(GENERATED_SECRET_BYTES));
  return `${STANDARD_SECRET_PREFIX}${btoa(String.fromCharCode(...bytes))}`;
}

/** Why `secret` cannot sign in standard mode, or null when it can. */
export function standardSecretProblem(secret: string): string | null {
  if (!secret.startsWith(STANDARD_SECRET_PREFIX)) {
    return `must start with ${STANDARD_SECRET_PREFIX} for Standard Webhooks signing`;
  }
  const encoded = secret.slice(STANDARD_SECRET_PREFIX.length);
  if (!BASE64.test(encoded)) return `must be ${STANDARD_SECRET_PREFIX} followed by padded standard base64`;
  const bytes = (encoded.length / 4) * 3 - (encoded.match(/=+$/)?.[0].length ?? 0);
  if (bytes < STANDARD_SECRET_MIN_BYTES || bytes > STANDARD_SECRET_MAX_BYTES) {
    return `must encode ${STANDARD_SECRET_MIN_BYTES} to ${STANDARD_SECRET_MAX_BYTES} bytes (this one has ${bytes})`;
  }
  return null;
}
