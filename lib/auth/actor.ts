import type { UserRole } from '@/db/types';
import { AppError } from '@/lib/errors';
import type { Scope } from '@/lib/tokens/scopes';

/** Who is doing something. Services take one explicitly instead of reading a session. */
export type Actor =
  | {
      kind: 'user';
      id: string;
      email: string;
      name: string;
      role: UserRole;
      via: 'session' | 'token' | 'cli';
      tokenId?: string;
      /** A token's scopes as its owner's role allows them now; absent for sessions and the CLI. */
      scopes?: readonly Scope[];
      /** When a token stops working (ISO 8601), null for one made before expiry was required; absent for sessions. */
      tokenExpiresAt?: string | null;
      ip?: string | null;
    }
  | { kind: 'system'; name: string; ip?: null };

export const systemActor = (name: string): Actor => ({ kind: 'system', name });

export function isAdmin(actor: Actor): boolean {
  return actor.kind === 'system' || actor.role === 'admin';
}

/** Whether the actor may read what admins read: admins and viewers (auditors read everything). */
export function canReadAdmin(actor: Actor): boolean {
  return actor.kind === 'system' || actor.role === 'admin' || actor.role === 'viewer';
}

/**
 * Whether the actor may change anything at all. The one check behind every write a viewer is
 * refused: route() for the API, and the pages, which leave out the controls that would write.
 */
export function canWrite(actor: { role: UserRole } | Actor): boolean {
  return !('role' in actor) || actor.role !== 'viewer';
}

/** Refuses an admin page's reads to everyone but admins and viewers. */
export function requireAdminReader(actor: Actor, what: string): void {
  if (!canReadAdmin(actor)) throw new AppError('forbidden', `only admins and viewers can read ${what}`);
}
