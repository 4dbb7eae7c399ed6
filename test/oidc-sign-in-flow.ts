import { createRequire } from 'node:module';
import path from 'node:path';
import type { AuthOptions } from 'next-auth';
import { getAuthOptions } from '@/lib/auth/options';
import { TEST_ORIGIN } from './fixtures';

export type Jar = Map<string, string>;

type InternalResponse = {
  status?: number;
  redirect?: string;
  body?: unknown;
  cookies?: { name: string; value: string; options?: { maxAge?: number } }[];
};

// next-auth's core handler, which its package exports do not list: loaded by file.
const { AuthHandler } = createRequire(import.meta.url)(path.resolve('node_modules/next-auth/core/index.js')) as {
  AuthHandler: (params: { req: Record<string, unknown>; options: AuthOptions }) => Promise<InternalResponse>;
};

function keepCookies(jar: Jar, setCookies: string[]): void {
  for (const line of setCookies) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1);
    if (/max-age=0\b/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line) || value === '') jar.delete(name);
    else jar.set(name, value);
  }
}

const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/**
 * One request to next-auth as its App Router handler makes it (next-auth/next reads cookies and
 * headers through next/headers, which only exist inside Next's request scope): the same core
 * AuthHandler with our getAuthOptions, cookies kept in `jar`.
 */
export async function callNextAuth(
  jar: Jar,
  method: 'GET' | 'POST',
  url: string,
  form?: Record<string, string>,
): Promise<{ status: number; location: string | null; body: string }> {
  const parsed = new URL(url, TEST_ORIGIN);
  const [action, providerId] = parsed.pathname.replace(/^\/api\/auth\//, '').split('/');
  const query = Object.fromEntries(parsed.searchParams);
  const res = await AuthHandler({
    req: {
      method,
      action: action as 'signin',
      providerId,
      error: query.error ?? providerId,
      query,
      body: form,
      cookies: Object.fromEntries(jar),
      headers: { host: 'localhost:3000', 'content-type': 'application/x-www-form-urlencoded' },
    },
    options: getAuthOptions({ ip: '127.0.0.1' }),
  });
  for (const c of res.cookies ?? []) {
    if (c.options?.maxAge === 0 || c.value === '') jar.delete(c.name);
    else jar.set(c.name, c.value);
  }
  return {
    status: res.status ?? (res.redirect ? 302 : 200),
    location: res.redirect ?? null,
    body: JSON.stringify(res.body ?? null),
  };
}

export type SsoFlowResult = {
  /** Where the app sends the browser at the end: the callback path, or /login?error=... */
  location: string;
  /** The app's cookies after the flow (the session cookie when it worked). */
  sessionCookie: string | null;
};

/**
 * The whole OpenID Connect sign-in as a browser does it, without one: next-auth's CSRF token, the
 * POST that starts the sign-in, the issuer's real login and consent forms (oidc-provider's
 * development pages, answered by their own form fields), and the callback to the app.
 */
export async function signInThroughIssuer(
  issuer: string,
  login: string,
  callbackUrl = '/recruitment/jobs',
): Promise<SsoFlowResult> {
  const jar: Jar = new Map();
  const csrf = await callNextAuth(jar, 'GET', '/api/auth/csrf');
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const start = await callNextAuth(jar, 'POST', '/api/auth/signin/oidc', { csrfToken, callbackUrl });
  let url = start.location ?? '';
  if (!url) throw new Error(`sign-in start answered ${start.status} ${start.body.slice(0, 300)}`);
  const idpJar: Jar = new Map();
  for (let step = 0; step < 20 && url.startsWith(issuer); step += 1) {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: cookieHeader(idpJar) } });
    keepCookies(idpJar, res.headers.getSetCookie());
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location') ?? '', url).toString();
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`the issuer answered ${res.status} without a form: ${html.slice(0, 300)}`);
    const fields: Record<string, string> = html.includes('name="login"')
      ? { prompt: 'login', login, password: 'any' }
      : { prompt: 'consent' };
    const post = await fetch(new URL(action, url), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookieHeader(idpJar), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    keepCookies(idpJar, post.headers.getSetCookie());
    url = new URL(post.headers.get('location') ?? '', url).toString();
  }
  let location = url;
  if (url.startsWith(`${TEST_ORIGIN}/api/auth/`)) {
    const callback = await callNextAuth(jar, 'GET', url);
    location = callback.location ?? '';
    // next-auth's error page redirects once more, to /login?error=...
    if (location.startsWith(`${TEST_ORIGIN}/api/auth/`))
      location = (await callNextAuth(jar, 'GET', location)).location ?? '';
  }
  const session = [...jar].find(([name]) => name.endsWith('next-auth.session-token'));
  return {
    location: location.replace(TEST_ORIGIN, ''),
    sessionCookie: session ? `${session[0]}=${session[1]}` : null,
  };
}
