import { z } from 'zod';
import { scopeSchema } from '@/lib/tokens/scopes';
import { type Same, shapes } from '@/lib/api/openapi/same-shape';
import { type PublicUser, USER_ROLES, type UpdatedUser } from './schemas';

// The answers of the users API as zod schemas, for the OpenAPI document (lib/api/openapi/users.ts).
export const publicUserSchema = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    email: z.string(),
    name: z.string(),
    role: z.enum(USER_ROLES),
    is_active: z.boolean(),
    last_sign_in_at: z.string().nullable(),
    created_at: z.string(),
    password_set: z
      .boolean()
      .meta({ description: 'The user has a password (SSO-created users have none until an admin sets one).' }),
    sso_linked: z.boolean().meta({ description: "An identity provider's account is linked (single sign-on)." }),
  })
  .meta({ id: 'User' });
shapes<Same<z.output<typeof publicUserSchema>, PublicUser>>();

export const updatedUserSchema = publicUserSchema
  .extend({ tokens_revoked: z.number().int().optional().meta({ description: 'Only when a new password was set.' }) })
  .meta({ id: 'UpdatedUser' });
shapes<Same<z.output<typeof updatedUserSchema>, UpdatedUser>>();

export const meSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(USER_ROLES),
    via: z.enum(['session', 'token', 'cli']).meta({ description: 'How this request was authenticated.' }),
    scopes: z
      .array(scopeSchema)
      .optional()
      .meta({ description: 'With a token: what it may do now (its scopes cut down to the role).' }),
    expires_at: z.string().nullable().optional().meta({ description: 'With a token: when it ends.' }),
  })
  .meta({ id: 'Me' });
