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

export default withAuth(
  (req) => {
    const res = NextResponse.next();
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
