import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { STANDARD_SECRET_PREFIX, type SigningMode } from './webhook-secret';

export type { SigningMode } from './webhook-secret';

/**
 * The one signer of our outgoing requests: completion webhooks and source deliveries.
 *
 * `standard` is Standard Webhooks 1.0 (https://www.standardwebhooks.com, spec/standard-webhooks.md
 * "Signature scheme" and "Webhook headers"): `webhook-id`, `webhook-timestamp` (unix seconds) and
 * `webhook-signature: v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`, the key being the
 * base64 after `whsec_`. Every secret signs, space-separated, so a receiver keeps verifying while a
 * secret is rotated.
 *
 * `legacy` is what receivers verified before (`X-ATS-Timestamp`, `X-ATS-Signature:
 * v1=<hex HMAC-SHA256(secret, "{timestamp}.{body}")>`, comma-separated during a rotation) plus the
 * Standard Webhooks headers keyed with the secret's own text (the libraries' "raw" format), as the
 * spec's "Migrating to Standard Webhooks" advises: headers added, none removed, the same secret, so a
 * receiver can move to a Standard Webhooks library before its sender changes mode.
 */

// The signed content is dot-delimited: an id with a dot could make two different messages sign
// alike (the spec forbids it), and a space or control character cannot travel in a header. Ours
// are uuids and hashes; anything else is a bug, refused loudly.
const SAFE_ID = /^[^.\s\p{Cc}]{1,255}$/u;

export type SignedMessage = { id: string; timestamp: number; body: string };

/**
 * The headers that sign `msg` with every secret in `secrets` (current first, then any still valid
 * during a rotation); none without a secret. Secrets are checked when they are stored
 * (standardSecretProblem): here a standard secret is decoded as it is.
 */
export function signatureHeaders(
  mode: SigningMode,
  secrets: readonly string[],
  msg: SignedMessage,
): Record<string, string> {
  if (secrets.length === 0) return {};
  if (!SAFE_ID.test(msg.id))
    throw new Error('webhook-id must be 1-255 characters without dots, spaces or control characters');
  if (!Number.isSafeInteger(msg.timestamp) || msg.timestamp < 0) throw new Error('timestamp must be unix seconds');
  const content = `${msg.id}.${msg.timestamp}.${msg.body}`;
  // Legacy: the secret's text is the key (UTF-8), as for X-ATS-Signature.
  const keyOf = mode === 'standard' ? standardKey : (secret: string) => secret;
  const headers: Record<string, string> = {
    'webhook-id': msg.id,
    'webhook-timestamp': String(msg.timestamp),
    'webhook-signature': secrets
      .map((s) => `v1,${createHmac('sha256', keyOf(s)).update(content).digest('base64')}`)
      .join(' '),
  };
  if (mode === 'legacy') {
    headers['x-ats-timestamp'] = String(msg.timestamp);
    headers['x-ats-signature'] = secrets.map((s) => legacySignature(s, msg.timestamp, msg.body)).join(',');
  }
  return headers;
}

/** `v1=<hex HMAC-SHA256(secret, "{timestamp}.{raw body}")>`, the scheme from before Standard Webhooks. */
function legacySignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

// A KeyObject, not the Buffer: Node's createHmac with a Buffer key took ~6x as long as with a string
// or KeyObject here (scripts/bench-signing.ts).
function standardKey(secret: string): KeyObject {
  const encoded = secret.startsWith(STANDARD_SECRET_PREFIX) ? secret.slice(STANDARD_SECRET_PREFIX.length) : secret;
  return createSecretKey(Buffer.from(encoded, 'base64'));
}
