import { listRoutes, routeScopesOf, withoutTrailingSlash } from '@/test/route-table';

export const ROUTE_SCOPES_FILE = 'lib/api/openapi/route-scopes.generated.ts';

/**
 * The token scope of every documented operation, read from the route files (the one place a scope
 * is chosen), for the document: a checked-in file, since the document is built where the route
 * files are not at hand (a production build).
 */
export function renderRouteScopes(): string {
  const entries = listRoutes()
    .flatMap((r) =>
      Object.entries(routeScopesOf(r.file)).map(
        ([m, scope]) => `  '${m} ${withoutTrailingSlash(r.template)}': '${scope}',`,
      ),
    )
    .sort();
  return `/**
 * The token scope each operation asks for, generated from the route files' route({ scope }) by
 * \`npm run openapi:types\`. Do not edit; \`npm run openapi:check\` fails when it is stale.
 */
import type { RouteScope } from '@/lib/tokens/scopes';

export const ROUTE_SCOPES: Readonly<Record<string, RouteScope>> = {
${[...new Set(entries)].join('\n')}
};
`;
}
