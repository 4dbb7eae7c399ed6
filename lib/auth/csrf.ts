/** Double-submit CSRF: proxy.ts sets the cookie, client code echoes it in the header. */
export const CSRF_COOKIE = 'ats_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function timingSafeEqualStrings(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

type OriginInput = { origin: string | null; referer: string | null; host: string | null; appOrigin: string };

/**
 * A browser's POST names the page it comes from (Origin, else Referer); it must be ours. Alone it
 * guards forms that carry no session yet (sign-in: a login CSRF would sign the victim into the
 * attacker's account). Returns the reason it fails, or null when it passes.
 */
export function checkSameOrigin(input: OriginInput): string | null {
  const claimed = input.origin ?? (input.referer ? safeOrigin(input.referer) : null);
  if (!claimed) return 'the request has no Origin header';
  const allowed = new Set([input.appOrigin]);
  if (input.host) {
    allowed.add(`http://${input.host}`);
    allowed.add(`https://${input.host}`);
  }
  if (!allowed.has(claimed)) return 'the request comes from another site';
  return null;
}

/**
 * A cookie-authenticated state change must come from our own origin and carry the token.
 * Returns the reason it fails, or null when it passes.
 */
export function checkCsrf(
  input: OriginInput & { cookieToken: string | undefined; headerToken: string | null },
): string | null {
  const origin = checkSameOrigin(input);
  if (origin) return origin;
  if (!input.cookieToken || !input.headerToken) return 'the CSRF token is missing';
  if (!timingSafeEqualStrings(input.cookieToken, input.headerToken)) return 'the CSRF token does not match';
  return null;
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
