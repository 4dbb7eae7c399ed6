import { randomBytes } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import { NextRequest } from 'next/server';
import type { UserRole } from '@/db/types';
import { hashPassword } from '@/lib/auth/password';
import { sessionCookieName } from '@/lib/auth/cookies';
import { CSRF_COOKIE, CSRF_HEADER } from '@/lib/auth/csrf';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import type { Scope } from '@/lib/tokens/scopes';
import { createApiToken } from '@/lib/tokens/service';

export const TEST_ORIGIN = 'http://localhost:3000';

export type TestUser = {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  password: string;
  sessionVersion: number;
};

let counter = 0;

/** Inserts a user straight into the test database (a fixture, not the code under test). */
export async function createTestUser(
  role: UserRole = 'recruiter',
  overrides: { email?: string; password?: string } = {},
): Promise<TestUser> {
  counter += 1;
  const email = overrides.email ?? `${role}-${counter}-${randomBytes(3).toString('hex')}@example.test`;
  const password = overrides.password ?? `pw-${randomBytes(8).toString('hex')}`;
  const row = await getDb()
    .insertInto('users')
    .values({ email, name: `Test ${role} ${counter}`, role, password_hash: await hashPassword(password) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { id: row.id, email, name: row.name, role, password, sessionVersion: row.session_version };
}

/** A token of the user; with all of the role's scopes unless `scopes` are given. */
export async function createTestToken(user: TestUser, expiresAt?: string, scopes?: Scope[]): Promise<string> {
  const { token } = await createApiToken(
    getDb(),
    { kind: 'user', id: user.id, email: user.email, name: user.name, role: user.role, via: 'cli' },
    { name: `test token ${randomBytes(2).toString('hex')}`, expires_at: expiresAt, scopes },
  );
  return token;
}

/** A session cookie exactly as next-auth would set it after a credentials sign-in. */
export async function sessionCookie(user: TestUser): Promise<string> {
  const jwt = await encode({
    token: { sub: user.id, email: user.email, name: user.name, role: user.role, sv: user.sessionVersion },
    secret: getEnv().NEXTAUTH_SECRET ?? '',
  });
  return `${sessionCookieName()}=${jwt}`;
}

export type Auth = { token: string } | { session: TestUser; csrf?: 'valid' | 'missing' | 'cross-site' } | null;

type Handler = (
  req: NextRequest,
  ctx: { params: Promise<Record<string, string | string[] | undefined>> },
) => Promise<Response>;

/** Calls a route handler with a real Request, as Next would. */
export async function callRoute(
  handler: Handler,
  options: {
    method?: string;
    path?: string;
    params?: Record<string, string | string[]>;
    auth?: Auth;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const method = options.method ?? 'GET';
  const headers = new Headers(options.headers);
  const auth = options.auth;
  if (auth && 'token' in auth) headers.set('authorization', `Bearer ${auth.token}`);
  if (auth && 'session' in auth) {
    const csrf = 'csrf-test-token';
    headers.set('cookie', `${await sessionCookie(auth.session)}; ${CSRF_COOKIE}=${csrf}`);
    const mode = auth.csrf ?? 'valid';
    if (mode === 'valid') {
      headers.set('origin', TEST_ORIGIN);
      headers.set(CSRF_HEADER, csrf);
    } else if (mode === 'cross-site') {
      headers.set('origin', 'https://evil.example');
      headers.set(CSRF_HEADER, csrf);
    }
  }
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  headers.set('host', 'localhost:3000');
  const req = new NextRequest(`${TEST_ORIGIN}${options.path ?? '/'}`, { method, headers, body });
  const res = await handler(req, { params: Promise.resolve(options.params ?? {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
