import { withAuth } from 'next-auth/middleware';
import { NextResponse } from 'next/server';
import { CSRF_COOKIE } from '@/lib/auth/csrf';

// API-style paths answer 401 JSON themselves (from the route wrapper) instead of redirecting.
const SELF_AUTHENTICATING = [
  /^\/api\//,
  /^\/login$/,
  /^\/recruitment\/jobs\/[^/]+\/sync-hired-candidates\/?$/,
  /^\/recruitment\/sync\/task\//,
  /^\/sync-admin\/api\//,
];

function isSelfAuthenticating(pathname: string): boolean {
  return SELF_AUTHENTICATING.some((re) => re.test(pathname));
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

export default withAuth(
  (req) => {
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
        secure: req.nextUrl.protocol === 'https:',
        path: '/',
      });
    }
    return res;
  },
  {
    callbacks: { authorized: ({ req, token }) => isSelfAuthenticating(req.nextUrl.pathname) || !!token?.sub },
    pages: { signIn: '/login' },
  },
);

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/auth|api/health).*)'],
};
