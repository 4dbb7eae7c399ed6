import { z } from 'zod';
import { type Same, shapes } from '@/lib/api/openapi/same-shape';
import type { PublicToken } from './schemas';
import { scopeSchema } from './scopes';

// The answers of the tokens API as zod schemas, for the OpenAPI document (lib/api/openapi/users.ts).
export const publicTokenSchema = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    name: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the token, to recognise it.' }),
    scopes: z
      .array(scopeSchema)
      .meta({ description: "What the token may do now: its scopes cut down to its owner's current role." }),
    scopes_from_role: z
      .boolean()
      .meta({ description: "A token made before scopes existed: it has every scope of its owner's role." }),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    expires_at: z.string().nullable(),
    expires_soon: z.boolean().meta({ description: 'An active token that ends within 7 days.' }),
    revoked_at: z.string().nullable(),
    status: z.enum(['active', 'expired', 'revoked']),
  })
  .meta({ id: 'ApiToken' });
shapes<Same<z.output<typeof publicTokenSchema>, PublicToken>>();

export const createdTokenSchema = z
  .object({
    token: z
      .string()
      .meta({ description: 'The token itself, shown this once: send it as `Authorization: Bearer <token>`.' }),
    record: publicTokenSchema,
  })
  .meta({ id: 'CreatedApiToken' });
