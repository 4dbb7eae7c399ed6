import type { UserRole } from '@/db/types';
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
