import type { UserRole } from '@/db/types';

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
      ip?: string | null;
    }
  | { kind: 'system'; name: string; ip?: null };

export const systemActor = (name: string): Actor => ({ kind: 'system', name });

export function isAdmin(actor: Actor): boolean {
  return actor.kind === 'system' || actor.role === 'admin';
}
