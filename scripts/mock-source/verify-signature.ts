import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE = /^v1=([0-9a-f]{64})$/i;

/**
 * Checks `X-ATS-Signature: v1=<hex HMAC-SHA256(secret, "<X-ATS-Timestamp>.<raw body>")>`.
 * Several comma-separated signatures are accepted (any one may match) so a sender can sign with
 * the old and the new secret while a receiver's secret is being rotated.
 */
export function verifySignature(
  secret: string,
  timestamp: string | null | undefined,
  rawBody: string | Buffer,
  header: string | null | undefined,
): boolean {
  if (!secret || !timestamp || !header) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  let valid = false;
  for (const part of header.split(',')) {
    const match = SIGNATURE.exec(part.trim());
    // No early return: the time taken does not tell which of several signatures matched.
    if (match && timingSafeEqual(Buffer.from(match[1], 'hex'), expected)) valid = true;
  }
  return valid;
}

const STANDARD_SIGNATURE = /^v1,([A-Za-z0-9+/]{43}=)$/;
// Standard Webhooks' tolerance, as its libraries apply it.
const TOLERANCE_SECONDS = 5 * 60;

/**
 * Checks Standard Webhooks headers (standardwebhooks.com, spec "Signature scheme"): `webhook-signature`
 * holds space-separated `v1,<base64 HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{raw body}")>`,
 * the key being the base64 after `whsec_`; a timestamp more than 5 minutes from `now` is refused.
 */
export function verifyStandardSignature(
  secret: string,
  headers: Record<string, string | undefined>,
  rawBody: string | Buffer,
  now = Date.now(),
): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const header = headers['webhook-signature'];
  if (!secret.startsWith('whsec_') || !id || !timestamp || !header || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(rawBody).digest();
  let valid = false;
  for (const part of header.split(' ')) {
    const match = STANDARD_SIGNATURE.exec(part);
    if (match && timingSafeEqual(Buffer.from(match[1], 'base64'), expected)) valid = true;
  }
  return valid;
}
