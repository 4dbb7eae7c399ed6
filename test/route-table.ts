import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The app's route files as the URL templates and methods they answer, read from the files
 * themselves: the folder names give the path (`[id]` -> `{id}`, route groups dropped), and the
 * `otherMethods('GET', 'POST')` line every route file ends with gives its methods.
 */
export type RouteEntry = { file: string; template: string; methods: string[] };

// next-auth's own handler and the API's catch-all 404 (not ours); the sign-in form's POST (an HTML
// form that answers redirects, not an API); the API reference page's script bundle.
export const UNDOCUMENTED_ROUTES = new Set([
  'app/api/auth/[...nextauth]/route.ts',
  'app/api/[...path]/route.ts',
  'app/login/submit/route.ts',
  'app/docs/api/scalar.js/route.ts',
]);

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(p);
    return e.name === 'route.ts' ? [p] : [];
  });
}

export function templateOf(file: string): string {
  const segments = path
    .dirname(file)
    .split(path.sep)
    .slice(1)
    .filter((s) => !/^\(.*\)$/.test(s))
    .map((s) => s.replace(/^\[(\w+)\]$/, '{$1}'));
  return `/${segments.join('/')}`;
}

export function listRoutes(root = 'app'): RouteEntry[] {
  return routeFiles(root)
    .filter((f) => !UNDOCUMENTED_ROUTES.has(f))
    .map((file) => {
      const text = readFileSync(file, 'utf8');
      const call = /otherMethods\(([^)]*)\)/.exec(text);
      if (!call) throw new Error(`${file} has no otherMethods(...) line`);
      const methods = [...call[1].matchAll(/'([A-Z]+)'/g)].map((m) => m[1].toLowerCase());
      return { file, template: templateOf(file), methods };
    });
}

/** A document path without its trailing slash (the seed URLs are answered with and without it). */
export const withoutTrailingSlash = (p: string) => (p.length > 1 ? p.replace(/\/$/, '') : p);

/**
 * The token scope each method of a route file asks for, read from its text: the `scope: '…'` of the
 * route() call exported as that method, or of the file a thin re-export points at. Methods without
 * route() (health, metrics, this document) have none. route-scopes.int.test.ts checks this reading
 * against the handlers themselves.
 */
export function routeScopesOf(file: string): Record<string, string> {
  const text = readFileSync(file, 'utf8');
  const scopes: Record<string, string> = {};
  for (const m of text.matchAll(/export \{ (\w+) \} from '@\/(app\/[^']+)\/route';/g)) {
    const target = routeScopesOf(`${m[2]}/route.ts`);
    if (target[m[1]]) scopes[m[1]] = target[m[1]];
  }
  const exports = [...text.matchAll(/export const (GET|POST|PUT|PATCH|DELETE) = route\(/g)];
  exports.forEach((m, i) => {
    const end = exports[i + 1]?.index ?? text.length;
    const scope = /scope: '([^']+)'/.exec(text.slice(m.index, end));
    if (scope) scopes[m[1]] = scope[1];
  });
  return scopes;
}
