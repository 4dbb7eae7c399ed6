import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, renderApiTypes } from './lib/openapi-types';

describe('the checked-in API types (client/api-types.ts)', () => {
  it('are what openapi-typescript makes of the served document (run `npm run openapi:types` after an API change)', async () => {
    expect(readFileSync(API_TYPES_FILE, 'utf8')).toBe(await renderApiTypes());
  });
});
