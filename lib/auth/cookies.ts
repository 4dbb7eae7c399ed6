import { type JWT, getToken } from 'next-auth/jwt';
import type { NextRequest } from 'next/server';
import { appUrl } from '@/lib/env';
import { credentialCache } from './credential-cache';

/** Two years, subdomains included: once seen over https, browsers never try plain http again. */
export const HSTS_HEADER_VALUE = 'max-age=63072000; includeSubDomains';

/**
 * Whether the app is served over https, decided from APP_URL (or NEXTAUTH_URL) and not from the
 * request: behind a TLS-terminating proxy every request arrives as plain http. It decides the
 * session cookie's `__Secure-` name and Secure flag, and Strict-Transport-Security, the same way
 * under `npm start`, `next start` and the standalone server.
 */
export function usesSecureCookies(): boolean {
  return appUrl().startsWith('https://');
}

/** The name next-auth gives the session cookie (it must match for getToken and getServerSession). */
export function sessionCookieName(secure: boolean = usesSecureCookies()): string {
  return `${secure ? '__Secure-' : ''}next-auth.session-token`;
}

/** Adds Strict-Transport-Security when the app is served over https. */
export function withHsts<R extends Response>(response: R): R {
  if (usesSecureCookies()) response.headers.set('strict-transport-security', HSTS_HEADER_VALUE);
  return response;
}

// By the session cookie's text: decoding it costs a key derivation and a decryption on every
// request (most of a cookie poll's CPU under load), and the same text always decodes the same way.
const decodedSessions = credentialCache<JWT>();
const MAX_CACHED_COOKIE_CHARS = 8192;

/**
 * The session's JWT from the request's cookie, read the way next-auth names it for this
 * deployment (the page proxy and the route wrapper must agree); null when signed out. A cookie
 * decoded in the last second is not decoded again; its expiry is still checked.
 */
export async function readSessionToken(req: NextRequest, secret: string | undefined): Promise<JWT | null> {
  const secureCookie = usesSecureCookies();
  const cookieName = sessionCookieName(secureCookie);
  // next-auth splits a large session over `<name>.0`, `<name>.1`, …: the key is all of them.
  const key = req.cookies
    .getAll()
    .filter((c) => c.name === cookieName || c.name.startsWith(`${cookieName}.`))
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
  const decode = () => getToken({ req, secret, secureCookie, cookieName });
  if (key === '' || key.length > MAX_CACHED_COOKIE_CHARS) return decode();
  const token = await decodedSessions.getOrLoad(key, decode);
  // getToken refuses an expired session; one decoded before it expired is refused here.
  return token && (typeof token.exp !== 'number' || token.exp * 1000 > Date.now()) ? token : null;
}
