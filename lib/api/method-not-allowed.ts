import { NextResponse } from 'next/server';
import { withApiSecurityHeaders } from './security-headers';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];
type Handler = () => Promise<Response>;

/**
 * Handlers for the methods a route does not take, so that they answer like every other refusal of
 * the API: 405 with `Allow` and `{"error":{"code":"method_not_allowed",…}}`. Without them Next.js
 * answers 405 with an empty body and no `Allow`. Every route file ends with
 * `export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');` naming what it takes;
 * OPTIONS answers with the same `Allow` (HEAD is Next.js's own, from GET).
 */
export function otherMethods<const A extends readonly Method[]>(
  ...allowed: A
): Record<Exclude<Method, A[number]> | 'OPTIONS', Handler> {
  const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  const refuse: Handler = async () =>
    withApiSecurityHeaders(
      NextResponse.json(
        { error: { code: 'method_not_allowed', message: `this URL takes ${allowed.join(', ')}` } },
        { status: 405, headers: { allow, 'cache-control': 'no-store' } },
      ),
    );
  const handlers = Object.create(null) as Record<Method | 'OPTIONS', Handler>;
  for (const m of METHODS) if (!allowed.includes(m)) handlers[m] = refuse;
  // Next.js's own OPTIONS would list the refusing handlers as methods the URL takes.
  handlers.OPTIONS = async () => new Response(null, { status: 204, headers: { allow } });
  return handlers;
}
