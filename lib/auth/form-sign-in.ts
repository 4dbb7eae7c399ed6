import 'server-only';
import { randomUUID } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import { type NextRequest, NextResponse } from 'next/server';
import type { User } from '@/db/types';
import { clientIp } from '@/lib/api/client-ip';
import { errorResponse } from '@/lib/api/error-response';
import { readCappedText } from '@/lib/api/read-capped-body';
import { loginPath, safeCallbackUrl, type SignInError } from '@/lib/auth/callback-url';
import { sessionCookieName, usesSecureCookies, withHsts } from '@/lib/auth/cookies';
import { checkSameOrigin } from '@/lib/auth/csrf';
import { getAuthOptions, SESSION_MAX_AGE_SECONDS } from '@/lib/auth/options';
import { passwordSignInEnabled } from '@/lib/auth/sso/config';
import { getDb } from '@/lib/db';
import { appUrl, getEnv } from '@/lib/env';
import { AppError, isAppError } from '@/lib/errors';
import { getLogger } from '@/lib/logger';
import { authenticateWithPassword } from '@/lib/users/service';
import { signInSchema } from '@/lib/users/schemas';
import { hasControlCharacter } from '@/lib/security/hostile-input';

/** The email of the last failed attempt, for the login page to fill in again (path /login only). */
export const LOGIN_EMAIL_COOKIE = 'ats_login_email';
const LOGIN_EMAIL_COOKIE_OPTIONS = { httpOnly: true, sameSite: 'lax', path: '/login', maxAge: 600 } as const;

/** A sign-in form holds an email, a password and a path: far below this. */
export const AUTH_BODY_MAX_BYTES = 16 * 1024;

/**
 * The login form's POST (it works before any script runs, so credentials never go into a URL):
 * same-origin check, the same password check, limits and audit as next-auth's credentials
 * provider, then the session cookie next-auth itself would set, and a 303 to the callback path.
 * A wrong password or a limit goes back to /login with an error code, never with what was typed.
 */
export async function signInWithForm(req: NextRequest): Promise<Response> {
  // Only the path: the query of an auth URL is never logged.
  const log = getLogger().child({ requestId: randomUUID(), method: req.method, path: req.nextUrl.pathname });
  try {
    const crossSite = checkSameOrigin({
      origin: req.headers.get('origin'),
      referer: req.headers.get('referer'),
      host: req.headers.get('x-forwarded-host') ?? req.headers.get('host'),
      appOrigin: new URL(appUrl()).origin,
    });
    if (crossSite) throw new AppError('csrf_failed', `cross-site sign-in refused: ${crossSite}`);
    const type = req.headers.get('content-type') ?? '';
    if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
      throw new AppError('unsupported_media_type', 'send the sign-in form as application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(await readCappedText(req, AUTH_BODY_MAX_BYTES));
    const callbackUrl = safeCallbackUrl(form.get('callbackUrl'));
    // sso: with passwords off no password is even looked at (nothing counted, nothing audited).
    if (!passwordSignInEnabled(getEnv())) return seeOther(loginPath({ callbackUrl, error: 'password_disabled' }));
    const secure = usesSecureCookies();
    const back = (error: SignInError) => {
      const res = seeOther(loginPath({ callbackUrl, error }));
      // The page fills the email in again from this cookie, so a retry needs only the password;
      // it never goes into the URL.
      const email = (form.get('email') ?? '').trim().slice(0, 320);
      if (email && !hasControlCharacter(email))
        res.cookies.set(LOGIN_EMAIL_COOKIE, email, { ...LOGIN_EMAIL_COOKIE_OPTIONS, secure });
      return res;
    };

    const parsed = signInSchema.safeParse({ email: form.get('email') ?? '', password: form.get('password') ?? '' });
    if (!parsed.success) return back('missing');
    let user: User | null;
    try {
      user = await authenticateWithPassword(getDb(), parsed.data.email, parsed.data.password, clientIp(req.headers));
    } catch (err) {
      if (isAppError(err) && err.code === 'rate_limited') return back('rate_limited');
      throw err;
    }
    if (!user) return back('credentials');

    const res = seeOther(callbackUrl);
    res.cookies.set(LOGIN_EMAIL_COOKIE, '', { ...LOGIN_EMAIL_COOKIE_OPTIONS, secure, maxAge: 0 });
    res.cookies.set(sessionCookieName(secure), await sessionToken(user), {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure,
      expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
    });
    return res;
  } catch (err) {
    return withHsts(errorResponse(err, log));
  }
}

function seeOther(location: string): NextResponse {
  return withHsts(new NextResponse(null, { status: 303, headers: { location, 'cache-control': 'no-store' } }));
}

/** The JWT next-auth's credentials callback would build for this user: same claims, secret and lifetime. */
async function sessionToken(user: User): Promise<string> {
  const options = getAuthOptions();
  const authUser = { id: user.id, email: user.email, name: user.name, role: user.role, sv: user.session_version };
  const base = { name: user.name, email: user.email, sub: user.id };
  const token = options.callbacks?.jwt
    ? await options.callbacks.jwt({
        token: base,
        user: authUser,
        account: { provider: 'credentials', type: 'credentials', providerAccountId: user.id },
        isNewUser: false,
        trigger: 'signIn',
      })
    : base;
  return encode({ token, secret: getEnv().NEXTAUTH_SECRET ?? '', maxAge: SESSION_MAX_AGE_SECONDS });
}
