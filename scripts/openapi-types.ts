/** `npm run openapi:types`: writes the operations' token scopes, then client/api-types.ts from the OpenAPI document. */
import { writeFileSync } from 'node:fs';

// The scopes first, and the document only then: it reads them when it is built.
const { ROUTE_SCOPES_FILE, renderRouteScopes } = await import('./lib/route-scopes');
writeFileSync(ROUTE_SCOPES_FILE, renderRouteScopes());
console.log(`wrote ${ROUTE_SCOPES_FILE}`);
const { API_TYPES_FILE, renderApiTypes } = await import('./lib/openapi-types');
writeFileSync(API_TYPES_FILE, await renderApiTypes());
console.log(`wrote ${API_TYPES_FILE}`);
