import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, renderApiTypes } from './lib/openapi-types';
import { ROUTE_SCOPES_FILE, renderRouteScopes } from './lib/route-scopes';

describe('the checked-in API types (client/api-types.ts)', () => {
  it("and the operations' token scopes are those of the route files (run `npm run openapi:types` after a change)", () => {
    expect(readFileSync(ROUTE_SCOPES_FILE, 'utf8')).toBe(renderRouteScopes());
  });

  it('are what openapi-typescript makes of the served document (run `npm run openapi:types` after an API change)', async () => {
    expect(readFileSync(API_TYPES_FILE, 'utf8')).toBe(await renderApiTypes());
  });
});
