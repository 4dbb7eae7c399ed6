import { z } from 'zod';
import type { UserRole } from '@/db/types';

const BOTH: readonly UserRole[] = ['recruiter', 'admin'];
const ADMIN: readonly UserRole[] = ['admin'];
// A viewer (issue 23) may hold the read scope of everything an admin reads, and no write scope.
const EVERY_ROLE: readonly UserRole[] = ['recruiter', 'admin', 'viewer'];
const ADMIN_READERS: readonly UserRole[] = ['admin', 'viewer'];

/**
 * Every scope an API token can carry, named `<resource>:read` / `<resource>:write` as GitHub's
 * fine-grained tokens and Stripe's restricted keys name their permissions, and like theirs `write`
 * includes `read`. `roles` are the roles that may hold it: a token never gets more than its owner's
 * role, and a role taken away takes the scope with it at the token's next request.
 */
export const SCOPES = {
  'jobs:read': { group: 'Recruiting', label: 'Read job postings', roles: EVERY_ROLE },
  'jobs:write': { group: 'Recruiting', label: 'Create and edit job postings', roles: BOTH },
  'candidates:read': { group: 'Recruiting', label: 'Read candidates', roles: EVERY_ROLE },
  'candidates:write': { group: 'Recruiting', label: 'Add, import, edit and delete candidates', roles: BOTH },
  'syncs:read': {
    group: 'Syncs',
    label: 'Follow syncs: status, sync state, the tasks list and statistics',
    roles: EVERY_ROLE,
  },
  'syncs:write': { group: 'Syncs', label: 'Start, cancel, retry and rerun syncs', roles: BOTH },
  'sources:read': {
    group: 'Sync administration',
    label: 'Read sources (targets) and their health',
    roles: ADMIN_READERS,
  },
  'sources:write': {
    group: 'Sync administration',
    label: 'Create, edit, pause, test and delete sources',
    roles: ADMIN,
  },
  'schedules:read': { group: 'Sync administration', label: 'Read schedules', roles: ADMIN_READERS },
  'schedules:write': { group: 'Sync administration', label: 'Create, edit and delete schedules', roles: ADMIN },
  'webhooks:read': {
    group: 'Sync administration',
    label: 'Read webhook endpoints and their delivery log',
    roles: ADMIN_READERS,
  },
  'webhooks:write': {
    group: 'Sync administration',
    label: 'Create, change, test and delete webhook endpoints',
    roles: ADMIN,
  },
  // alerts (issue 23 item 1): channels, rules, incidents; the test buttons send, so they are writes.
  'alerts:read': {
    group: 'Sync administration',
    label: 'Read alert channels, rules and incidents',
    roles: ADMIN_READERS,
  },
  'alerts:write': {
    group: 'Sync administration',
    label: 'Create, change, test and delete alert channels and rules',
    roles: ADMIN,
  },
  'audit:read': { group: 'Administration', label: 'Read the audit trail', roles: ADMIN_READERS },
  'users:read': { group: 'Administration', label: 'Read users and the list of their tokens', roles: ADMIN_READERS },
  'users:write': { group: 'Administration', label: 'Create, change and deactivate users', roles: ADMIN },
  'tokens:read': { group: 'Account', label: 'List your own API tokens', roles: EVERY_ROLE },
} as const satisfies Record<string, { group: string; label: string; roles: readonly UserRole[] }>;

export type Scope = keyof typeof SCOPES;

export const SCOPE_NAMES = Object.keys(SCOPES) as Scope[];

export const SCOPE_GROUPS = ['Recruiting', 'Syncs', 'Sync administration', 'Administration', 'Account'] as const;

export const scopeSchema = z.enum(SCOPE_NAMES as [Scope, ...Scope[]], {
  error: (issue) => `unknown scope ${JSON.stringify(issue.input)}; the scopes are ${SCOPE_NAMES.join(', ')}`,
});

/**
 * What a route asks of an API token: a scope; `any` for what every token may do whatever its
 * scopes (say who it is, revoke itself, list connector types); `session` for what no token may do
 * (create tokens). Sessions are never limited by scopes, only by role.
 */
export type RouteScope = Scope | 'any' | 'session';

/** The scopes a role may hold, in the order of SCOPES. */
export function scopesOfRole(role: UserRole): Scope[] {
  return SCOPE_NAMES.filter((s) => (SCOPES[s].roles as readonly UserRole[]).includes(role));
}

/** The read scopes a role may hold: the "read only" preset. */
export function readScopesOfRole(role: UserRole): Scope[] {
  return scopesOfRole(role).filter((s) => s.endsWith(':read'));
}

/**
 * What a token may do now: its stored scopes cut down to its owner's current role. `null` is a
 * token made before scopes existed, which keeps acting with its owner's role, as it always did.
 */
export function effectiveScopes(stored: readonly string[] | null, role: UserRole): Scope[] {
  const allowed = scopesOfRole(role);
  if (stored === null) return allowed;
  return allowed.filter((s) => stored.includes(s));
}

/** The presets offered when a token is made. */
export const SCOPE_PRESETS = [
  { value: 'read', label: 'Read only' },
  { value: 'full', label: 'Full access' },
] as const;

/** Which preset of the role scopes are exactly: `full` (all of the role's), `read` (its read scopes) or neither. */
export function presetOf(scopes: readonly Scope[], role: UserRole): 'full' | 'read' | null {
  const same = (a: readonly Scope[]) => a.length === scopes.length && a.every((s) => scopes.includes(s));
  if (same(scopesOfRole(role))) return 'full';
  if (same(readScopesOfRole(role))) return 'read';
  return null;
}

/** Whether scopes grant `needed`; a `write` scope grants its `read`. */
export function grants(scopes: readonly Scope[], needed: Scope): boolean {
  if (scopes.includes(needed)) return true;
  return needed.endsWith(':read') && scopes.includes(needed.replace(/:read$/, ':write') as Scope);
}
