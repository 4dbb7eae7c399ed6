import { z } from 'zod';
import { type Scope, scopeSchema } from './scopes';

const DAY_MS = 86_400_000;
/** A token made without an expiry lasts this long. */
export const DEFAULT_EXPIRY_DAYS = 90;
/**
 * The latest expiry a new token can have. A token that never expires is the one nobody remembers
 * when it leaks; a year still lets a script be renewed once a year. (Tokens made before scopes
 * existed may have none and keep it.)
 */
export const MAX_EXPIRY_DAYS = 366;
/** The tokens page and the API's `expires_soon` warn this long before a token ends. */
export const EXPIRY_WARNING_DAYS = 7;

export const createTokenSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  scopes: z
    .array(scopeSchema, { error: 'choose at least one scope (an array of scope names)' })
    .min(1, 'choose at least one scope')
    .max(50)
    .refine((s) => new Set(s).size === s.length, 'lists a scope twice'),
  expires_at: z.iso
    .datetime({ offset: true, error: 'must be a date and time with its offset, e.g. 2027-03-01T00:00:00Z' })
    .optional()
    .refine((v) => !v || new Date(v).getTime() > Date.now(), 'must be in the future')
    .refine(
      (v) => !v || new Date(v).getTime() <= Date.now() + MAX_EXPIRY_DAYS * DAY_MS,
      `must be at most ${MAX_EXPIRY_DAYS} days ahead`,
    ),
});
export type CreateTokenInput = z.infer<typeof createTokenSchema>;

/** What the service takes: the API's body, or the CLI's and the fixtures' (scopes default to the role's). */
export type NewToken = { name: string; scopes?: Scope[]; expires_at?: string };

export type PublicToken = {
  id: string;
  name: string;
  prefix: string;
  /** What the token may do now: its scopes cut down to its owner's current role. */
  scopes: Scope[];
  /** True for a token made before scopes existed: it has all of its owner's role's scopes. */
  scopes_from_role: boolean;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  /** An active token that ends within EXPIRY_WARNING_DAYS. */
  expires_soon: boolean;
  revoked_at: string | null;
  status: 'active' | 'expired' | 'revoked';
};
