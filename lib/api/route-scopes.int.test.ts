import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTE_SCOPES } from '@/lib/api/openapi/route-scopes.generated';
import { SCOPES, SCOPE_NAMES, type RouteScope, type Scope } from '@/lib/tokens/scopes';
import { templateOf, UNDOCUMENTED_ROUTES, withoutTrailingSlash } from '@/test/route-table';

const METHODS = ['GET', 'POST', 'PATCH', 'DELETE'] as const;
// Handlers not built by route(), each with why it takes no user's scoped token.
const NOT_ROUTE_WRAPPED = new Map([
  ['app/api/auth/[...nextauth]/route.ts', "next-auth's own handler (sign-in, session)"],
  ['app/api/[...path]/route.ts', "the API's catch-all 404"],
  ['app/api/health/route.ts', 'liveness: no credentials at all'],
  ['app/api/health/ready/route.ts', 'readiness: statuses for everyone, details for admins and METRICS_TOKEN'],
  ['app/api/metrics/route.ts', 'its Bearer token is METRICS_TOKEN, not an API token'],
  ['app/login/submit/route.ts', 'the sign-in form'],
  ['app/api/openapi.json/route.ts', 'the API document: public, it describes routes, never data'],
  ['app/docs/api/scalar.js/route.ts', "the API reference page's script, behind sign-in like the page"],
]);

type Wrapped = { access?: 'public' | 'user' | 'admin'; scope?: RouteScope };

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(p);
    return e.name === 'route.ts' ? [p] : [];
  });
}

async function handlers(): Promise<{ name: string; handler: Wrapped }[]> {
  const found: { name: string; handler: Wrapped }[] = [];
  for (const file of routeFiles('app').filter((f) => !NOT_ROUTE_WRAPPED.has(f))) {
    const mod = (await import(/* @vite-ignore */ path.resolve(file))) as Record<string, unknown>;
    // Methods a route does not take share one refusing handler (otherMethods), which PUT always is.
    for (const m of METHODS) if (mod[m] !== mod.PUT) found.push({ name: `${m} ${file}`, handler: mod[m] as Wrapped });
  }
  return found;
}

describe('every route names what it asks of an API token', () => {
  it('has a known scope, `any` or `session` on each handler (a route without one fails here)', async () => {
    const all = await handlers();
    expect(all.length).toBeGreaterThan(60);
    const known = new Set<string>([...SCOPE_NAMES, 'any', 'session']);
    const missing = all.filter(({ handler }) => !known.has(String(handler.scope))).map((h) => h.name);
    expect(missing).toEqual([]);
  });

  it("asks on a route every role may call only for scopes every role may hold, so no recruiter's token is shut out", async () => {
    const unreachable = (await handlers())
      .filter(({ handler }) => handler.access === 'user' && handler.scope && handler.scope in SCOPES)
      .filter(({ handler }) => (SCOPES[handler.scope as Scope].roles as readonly string[]).length < 2)
      .map((h) => h.name);
    expect(unreachable).toEqual([]);
  });

  it('is what the OpenAPI document says each operation needs (lib/api/openapi/route-scopes.generated.ts)', async () => {
    const differ = (await handlers())
      .map(({ name, handler }) => {
        const [method, file] = name.split(' ');
        return { file, key: `${method} ${withoutTrailingSlash(templateOf(file))}`, scope: handler.scope };
      })
      .filter(({ file }) => !UNDOCUMENTED_ROUTES.has(file))
      .filter(({ key, scope }) => ROUTE_SCOPES[key] !== scope)
      .map(({ key, scope }) => `${key}: route ${scope}, document ${ROUTE_SCOPES[key]}`);
    expect(differ, 'run `npm run openapi:types`').toEqual([]);
  });

  it('uses every scope somewhere (a scope no route asks for would be a promise the API does not keep)', async () => {
    const used = new Set((await handlers()).map(({ handler }) => handler.scope));
    expect(SCOPE_NAMES.filter((s) => !used.has(s))).toEqual([]);
  });

  it('lists only route files that exist among those without route()', () => {
    const files = new Set(routeFiles('app'));
    for (const file of NOT_ROUTE_WRAPPED.keys()) expect(files.has(file), file).toBe(true);
  });
});
