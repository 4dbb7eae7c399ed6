import type { UserRole } from '@/db/types';
import { z } from 'zod';

// An empty email is a missing one: "is required" alone, not also "must be a valid email address".
export const emailSchema = z
  .string()
  .trim()
  .min(1, { error: 'is required', abort: true })
  .max(254, 'must be at most 254 characters')
  .email('must be a valid email address')
  .transform((v) => v.toLowerCase());
export const passwordSchema = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(200, 'must be at most 200 characters');
export const personNameSchema = z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters');
// A viewer (issue 23) reads everything an admin reads and changes nothing: the role for auditors.
export const USER_ROLES = ['admin', 'recruiter', 'viewer'] as const;
export const userRoleSchema = z.enum(USER_ROLES);

export const createUserSchema = z.strictObject({
  email: emailSchema,
  name: personNameSchema,
  role: userRoleSchema,
  password: passwordSchema,
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const updateUserSchema = z
  .strictObject({
    name: personNameSchema.optional(),
    role: userRoleSchema.optional(),
    is_active: z.boolean().optional(),
    password: passwordSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export const signInSchema = z.object({ email: emailSchema, password: z.string().min(1).max(200) });

export type PublicUser = {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  is_active: boolean;
  last_sign_in_at: string | null;
  created_at: string;
  /** How they can sign in: a password of ours, an identity provider's account (SSO), or both. */
  password_set: boolean;
  sso_linked: boolean;
};

/** The answer to an update; `tokens_revoked` only when a new password was set (a reset revokes them all). */
export type UpdatedUser = PublicUser & { tokens_revoked?: number };
