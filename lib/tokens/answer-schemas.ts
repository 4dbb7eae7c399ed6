import { z } from 'zod';
import { type Same, shapes } from '@/lib/api/openapi/same-shape';
import type { PublicToken } from './schemas';

// The answers of the tokens API as zod schemas, for the OpenAPI document (lib/api/openapi/users.ts).
export const publicTokenSchema = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    name: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the token, to recognise it.' }),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    expires_at: z.string().nullable(),
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
