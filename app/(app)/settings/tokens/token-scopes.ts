import type { UserRole } from '@/db/types';
import {
  SCOPES,
  SCOPE_GROUPS,
  SCOPE_PRESETS,
  type Scope,
  presetOf,
  readScopesOfRole,
  scopesOfRole,
} from '@/lib/tokens/scopes';

export type ScopePreset = (typeof SCOPE_PRESETS)[number]['value'];

/** "Full access" / "Read only" when scopes are exactly a preset of the role, else null. */
export function presetLabel(scopes: readonly Scope[], role: UserRole): string | null {
  const preset = presetOf(scopes, role);
  return SCOPE_PRESETS.find((p) => p.value === preset)?.label ?? null;
}

export function presetScopes(preset: ScopePreset, role: UserRole): Scope[] {
  return preset === 'full' ? scopesOfRole(role) : readScopesOfRole(role);
}

/** The scopes a role may choose, by group, in the order of SCOPES; groups the role has none of are left out. */
export function scopeGroups(role: UserRole): { group: string; scopes: Scope[] }[] {
  const allowed = scopesOfRole(role);
  return SCOPE_GROUPS.map((group) => ({ group, scopes: allowed.filter((s) => SCOPES[s].group === group) })).filter(
    (g) => g.scopes.length > 0,
  );
}

/** The read scope a write scope includes, if the role has such a read scope. */
export function readOf(scope: Scope): Scope | null {
  if (!scope.endsWith(':write')) return null;
  const read = scope.replace(/:write$/, ':read');
  return read in SCOPES ? (read as Scope) : null;
}

/**
 * Checking a write scope checks its read scope too (write includes read, so the box shows what the
 * token will be able to do); unchecking a write scope leaves its read scope checked.
 */
export function toggleScope(selected: readonly Scope[], scope: Scope, on: boolean): Scope[] {
  const next = new Set(selected);
  if (on) {
    next.add(scope);
    const read = readOf(scope);
    if (read) next.add(read);
  } else {
    next.delete(scope);
  }
  return Object.keys(SCOPES).filter((s) => next.has(s as Scope)) as Scope[];
}

/** A read scope is shown checked and locked while its write scope is chosen. */
export function includedByWrite(selected: readonly Scope[], scope: Scope): boolean {
  return scope.endsWith(':read') && selected.includes(scope.replace(/:read$/, ':write') as Scope);
}
