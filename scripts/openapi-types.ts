/** `npm run openapi:types`: writes client/api-types.ts from the OpenAPI document. */
import { writeFileSync } from 'node:fs';
import { API_TYPES_FILE, renderApiTypes } from './lib/openapi-types';

writeFileSync(API_TYPES_FILE, await renderApiTypes());
console.log(`wrote ${API_TYPES_FILE}`);
