import { withHsts } from '@/lib/auth/cookies';

/**
 * JSON answers load nothing and run nothing: a fixed policy that allows nothing. The route
 * wrapper sets it (with HSTS on https) on every API answer, because proxy.ts does not run for
 * /api/ paths or the seed's two URL contracts: per-page work (a nonce, rewritten request headers,
 * the CSRF cookie) has no use there, and running the proxy at all costs every status poll.
 */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export function withApiSecurityHeaders<R extends Response>(response: R): R {
  response.headers.set('content-security-policy', API_CSP);
  return withHsts(response);
}
