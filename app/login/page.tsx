import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getCurrentActor } from '@/lib/auth/session';
import { LoginForm } from './login-client';

export const metadata: Metadata = { title: 'Sign in' };

function safeCallback(value: string | string[] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  // Only same-site paths: an open redirect after sign-in would be a phishing aid.
  if (!v) return '/recruitment/jobs';
  try {
    const url = new URL(v, 'http://x');
    return url.origin === 'http://x' && url.pathname.startsWith('/') && !url.pathname.startsWith('//')
      ? `${url.pathname}${url.search}`
      : '/recruitment/jobs';
  } catch {
    return '/recruitment/jobs';
  }
}

export default async function LoginPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const searchParams = await props.searchParams;
  const callbackUrl = safeCallback(searchParams.callbackUrl);
  if (await getCurrentActor()) redirect(callbackUrl);
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
        <LoginForm callbackUrl={callbackUrl} />
      </div>
    </main>
  );
}
