import { describe, expect, it } from 'vitest';
import { createTokenSchema } from '@/lib/tokens/schemas';
import { includedByWrite, presetLabel, presetScopes, scopeGroups, toggleScope } from './token-scopes';

describe('choosing token scopes', () => {
  it('offers a recruiter only the scopes of the recruiter role, grouped', () => {
    const groups = scopeGroups('recruiter');
    expect(groups.map((g) => g.group)).toEqual(['Recruiting', 'Syncs', 'Account']);
    expect(groups.flatMap((g) => g.scopes)).not.toContain('sources:read');
    expect(scopeGroups('admin').flatMap((g) => g.scopes)).toContain('users:write');
  });

  it('checks the read scope with its write scope, and keeps it when write is unchecked', () => {
    const withWrite = toggleScope([], 'syncs:write', true);
    expect(withWrite).toEqual(['syncs:read', 'syncs:write']);
    expect(includedByWrite(withWrite, 'syncs:read')).toBe(true);
    expect(toggleScope(withWrite, 'syncs:write', false)).toEqual(['syncs:read']);
    expect(toggleScope(['tokens:read'], 'tokens:read', false)).toEqual([]);
  });

  it('names the presets back from a token’s scopes', () => {
    expect(presetLabel(presetScopes('full', 'recruiter'), 'recruiter')).toBe('Full access');
    expect(presetLabel(presetScopes('read', 'admin'), 'admin')).toBe('Read only');
    expect(presetLabel(['jobs:read'], 'admin')).toBeNull();
  });

  it('sends what the API accepts for every preset', () => {
    for (const role of ['recruiter', 'admin'] as const) {
      for (const preset of ['read', 'full'] as const) {
        expect(createTokenSchema.safeParse({ name: 'x', scopes: presetScopes(preset, role) }).success).toBe(true);
      }
    }
  });
});
