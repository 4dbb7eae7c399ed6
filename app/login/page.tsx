import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { SIGN_IN_ERRORS, safeCallbackUrl } from '@/lib/auth/callback-url';
import { LOGIN_EMAIL_COOKIE } from '@/lib/auth/form-sign-in';
import { getCurrentActor } from '@/lib/auth/session';
import { passwordSignInEnabled, SSO_PROVIDER_ID, ssoConfigOf } from '@/lib/auth/sso/config';
import { appUrl, getEnv } from '@/lib/env';
import { SsoButton } from './sso-button-client';

export const metadata: Metadata = { title: 'Sign in' };

function errorMessage(value: string | string[] | undefined): string | null {
  const code = Array.isArray(value) ? value[0] : value;
  if (!code) return null;
  // next-auth's own error codes (from /api/auth/*) land here too.
  return Object.hasOwn(SIGN_IN_ERRORS, code)
    ? SIGN_IN_ERRORS[code as keyof typeof SIGN_IN_ERRORS]
    : 'Sign-in did not work. Try again.';
}

export default async function LoginPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const searchParams = await props.searchParams;
  // next-auth sends its own errors (an issuer that could not be reached) back with the callback as
  // an absolute URL on our origin: kept, as the path it names.
  const origin = new URL(appUrl()).origin;
  const requested = [searchParams.callbackUrl].flat()[0];
  const callbackUrl = safeCallbackUrl(requested?.startsWith(`${origin}/`) ? requested.slice(origin.length) : requested);
  if (await getCurrentActor()) redirect(callbackUrl);
  const error = errorMessage(searchParams.error);
  const email = error ? (await cookies()).get(LOGIN_EMAIL_COOKIE)?.value : undefined;
  // Only what the page needs from the configuration: never the client secret.
  const env = getEnv();
  const ssoName = ssoConfigOf(env)?.displayName ?? null;
  const passwords = passwordSignInEnabled(env);
  const alert = error && (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
      {error}
    </div>
  );
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-slate-50 to-brand-50 px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <div className="mx-auto flex h-11 w-11 items-center justify-center rounded-xl bg-brand-600 text-lg font-bold text-white">
            A
          </div>
          <h1 className="mt-4 text-2xl font-semibold tracking-tight">Sign in to ATS Sync</h1>
          <p className="mt-1 text-sm text-slate-600">Sync hired candidates to every system that needs them.</p>
        </div>
        {passwords ? (
          <>
            {/* A plain POST to a route handler: it works the same before, after or without the page's
                script, so the credentials can never end up in a URL (a GET form would put them there). */}
            <form method="post" action="/login/submit" className="card space-y-4 p-6">
              {alert}
              <input type="hidden" name="callbackUrl" value={callbackUrl} />
              <div>
                <label htmlFor="email" className="label">
                  Email
                </label>
                <input
                  id="email"
                  name="email"
                  type="email"
                  autoComplete="username"
                  required
                  defaultValue={email}
                  className="input"
                />
              </div>
              <div>
                <label htmlFor="password" className="label">
                  Password
                </label>
                <input
                  id="password"
                  name="password"
                  type="password"
                  autoComplete="current-password"
                  required
                  className="input"
                />
              </div>
              <button type="submit" className="btn-primary w-full">
                Sign in
              </button>
            </form>
            {ssoName && (
              <div className="card mt-4 space-y-3 p-6">
                <p className="text-center text-sm text-slate-600">Or use your organisation's account</p>
                <SsoButton
                  providerId={SSO_PROVIDER_ID}
                  displayName={ssoName}
                  callbackUrl={callbackUrl}
                  primary={false}
                />
              </div>
            )}
          </>
        ) : (
          <div className="card space-y-4 p-6">
            {alert}
            <SsoButton
              providerId={SSO_PROVIDER_ID}
              displayName={ssoName ?? 'single sign-on'}
              callbackUrl={callbackUrl}
              primary
            />
          </div>
        )}
      </div>
    </main>
  );
}
