import { type NextRequest, NextResponse } from 'next/server';
import { loginPath, safeCallbackUrl } from '@/lib/auth/callback-url';
import { readSessionToken, usesSecureCookies, withHsts } from '@/lib/auth/cookies';
import { API_CSP } from '@/lib/api/security-headers';
import { CSRF_COOKIE } from '@/lib/auth/csrf';

// JSON route handlers all live under /api/ and the matcher below keeps them out of the proxy; the
// check stays so that a matcher widened by mistake still gives them their 401 JSON, not a redirect.
// The login form's POST is public, answers redirects itself and renders no page.
function isApiPath(pathname: string): boolean {
  return pathname.startsWith('/api/') || /^\/login\/submit\/?$/.test(pathname);
}

/**
 * A fresh nonce per page: Next puts it on its own scripts when it finds the policy in the request
 * headers, so no inline script without it runs. Inline style attributes stay allowed (progress
 * bars set widths); they cannot run code.
 */
function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === 'development';
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? ' ws:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Signed-out visitors of app pages go to /login (and come back after); every page gets the
 * security policy and the CSRF cookie — /login included, which next-auth's withAuth would skip.
 * API paths authenticate themselves (401 JSON from the route wrapper) and get the API policy.
 */
export default async function proxy(req: NextRequest) {
  const { pathname, search, searchParams } = req.nextUrl;
  if (isApiPath(pathname)) {
    const res = NextResponse.next();
    res.headers.set('content-security-policy', API_CSP);
    return withHsts(res);
  }
  if (pathname === '/login') {
    // A form submitted as GET before its script ran (or a hand-made link) puts an email or a password
    // in the URL: drop everything but what the page itself uses, before anything renders or logs it.
    const error = searchParams.get('error');
    const allowed = [...searchParams.keys()].every((k) => k === 'callbackUrl' || k === 'error');
    if (!allowed) {
      const callback = searchParams.get('callbackUrl');
      const target = new URL(loginPath({ callbackUrl: callback ? safeCallbackUrl(callback) : undefined }), req.url);
      if (error) target.searchParams.set('error', error);
      return withHsts(NextResponse.redirect(target, 303));
    }
  } else {
    const token = await readSessionToken(req, process.env.NEXTAUTH_SECRET);
    if (!token?.sub) {
      const login = new URL('/login', req.url);
      login.searchParams.set('callbackUrl', `${pathname}${search}`);
      return withHsts(NextResponse.redirect(login));
    }
  }
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set('content-security-policy', csp);
  requestHeaders.set('x-nonce', nonce);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set('content-security-policy', csp);
  if (!req.cookies.get(CSRF_COOKIE)) {
    res.cookies.set(CSRF_COOKIE, crypto.randomUUID(), {
      httpOnly: false,
      sameSite: 'lax',
      secure: usesSecureCookies() || req.nextUrl.protocol === 'https:',
      path: '/',
    });
  }
  return withHsts(res);
}

/**
 * The proxy runs for pages only. Left out: static files, every /api/ path, and the seed's two URL
 * contracts (POST /recruitment/jobs/{slug}/sync-hired-candidates/, GET
 * /recruitment/sync/task/{task_id}/status/, each with or without the trailing slash), which scripts
 * poll with tokens: the route wrapper authenticates them and sets their headers
 * (lib/api/security-headers.ts).
 */
export const config = {
  matcher: [
    '/((?!_next/static|_next/image|favicon.ico|api/|recruitment/jobs/[^/]+/sync-hired-candidates/?$|recruitment/sync/task/[^/]+/status/?$).*)',
  ],
};
