import { SSO_SIGN_IN_ERRORS } from '@/lib/auth/sso/errors';

export const DEFAULT_CALLBACK = '/recruitment/jobs';

/** Only same-site paths: an open redirect after sign-in would be a phishing aid. */
export function safeCallbackUrl(value: string | string[] | null | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return DEFAULT_CALLBACK;
  try {
    const url = new URL(v, 'http://x');
    return url.origin === 'http://x' && url.pathname.startsWith('/') && !url.pathname.startsWith('//')
      ? `${url.pathname}${url.search}`
      : DEFAULT_CALLBACK;
  } catch {
    return DEFAULT_CALLBACK;
  }
}

/** Sign-in errors the login page explains; anything else in `?error=` shows the generic message. */
export const SIGN_IN_ERRORS = {
  credentials: 'Wrong email or password. Check both and try again.',
  rate_limited:
    'Too many sign-in attempts for this account. Wait 15 minutes and try again, or ask an admin to reset your password.',
  missing: 'Enter your email address and your password.',
  // sso: OpenID Connect refusals and next-auth's own codes.
  ...SSO_SIGN_IN_ERRORS,
} as const;

export type SignInError = keyof typeof SIGN_IN_ERRORS;

/** The login page's own URL, keeping only what it is allowed to carry (never an email or a password). */
export function loginPath(options: { callbackUrl?: string; error?: SignInError } = {}): string {
  const params = new URLSearchParams();
  if (options.callbackUrl && options.callbackUrl !== DEFAULT_CALLBACK) params.set('callbackUrl', options.callbackUrl);
  if (options.error) params.set('error', options.error);
  const query = params.toString();
  return query ? `/login?${query}` : '/login';
}
