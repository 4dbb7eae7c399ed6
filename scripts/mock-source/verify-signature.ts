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
