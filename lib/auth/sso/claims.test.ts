import { describe, expect, it } from 'vitest';
import { judgeClaims, mapRole, readClaimPath } from './claims';
import type { SsoConfig } from './config';

const config: SsoConfig = {
  issuer: 'https://idp.acme.test',
  clientId: 'c',
  clientSecret: 's',
  displayName: 'Acme',
  scopes: 'openid email profile',
  allowedDomains: ['acme.test'],
  roleClaim: 'realm_access.roles',
  roleMap: [
    { group: 'ats-admins', role: 'admin' },
    { group: 'ats-recruiters', role: 'recruiter' },
    { group: 'auditors', role: 'viewer' },
  ],
  defaultRole: null,
  createUsers: true,
};

const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'u-1',
  email: 'Ada@Acme.test',
  email_verified: true,
  name: 'Ada Lovelace',
  realm_access: { roles: ['offline_access', 'ats-recruiters'] },
  ...extra,
});

describe('judgeClaims: who the IdP says this is, and whether the configuration lets them in', () => {
  it('reads the role through a dot path, the highest mapped role winning', () => {
    expect(judgeClaims(claims(), config)).toEqual({
      ok: true,
      identity: {
        issuer: 'https://idp.acme.test',
        subject: 'u-1',
        email: 'ada@acme.test',
        name: 'Ada Lovelace',
        role: 'recruiter',
        roleManaged: true,
      },
    });
    const both = claims({ realm_access: { roles: ['auditors', 'ats-admins', 'ats-recruiters'] } });
    expect(judgeClaims(both, config)).toMatchObject({ identity: { role: 'admin' } });
    // One group sent as a string (some IdPs do), and a claim whose own name has a dot.
    expect(judgeClaims(claims({ realm_access: { roles: 'auditors' } }), config)).toMatchObject({
      identity: { role: 'viewer' },
    });
    expect(
      readClaimPath({ 'realm_access.roles': ['x'], realm_access: { roles: ['y'] } }, 'realm_access.roles'),
    ).toEqual(['x']);
  });

  it('refuses an unverified email, a domain outside the list, and no role without a default', () => {
    expect(judgeClaims(claims({ email_verified: false }), config)).toMatchObject({
      ok: false,
      reason: 'email_unverified',
    });
    expect(judgeClaims(claims({ email_verified: undefined }), config)).toMatchObject({ reason: 'email_unverified' });
    expect(judgeClaims(claims({ email: 'ada@acme.test.evil.example' }), config)).toMatchObject({
      reason: 'domain_not_allowed',
    });
    expect(judgeClaims(claims({ email: 'ada@sub.acme.test' }), config)).toMatchObject({ reason: 'domain_not_allowed' });
    expect(judgeClaims(claims({ realm_access: { roles: ['staff'] } }), config)).toMatchObject({ reason: 'no_role' });
    expect(judgeClaims(claims({ realm_access: undefined }), config)).toMatchObject({ reason: 'no_role' });
    expect(judgeClaims(claims({ realm_access: undefined }), { ...config, defaultRole: 'viewer' })).toMatchObject({
      identity: { role: 'viewer', roleManaged: true },
    });
  });

  it('accepts the verified forms other IdPs send: "true" as a string, Entra ID\'s xms_edov', () => {
    expect(judgeClaims(claims({ email_verified: 'true' }), config).ok).toBe(true);
    expect(judgeClaims(claims({ email_verified: undefined, xms_edov: true }), config).ok).toBe(true);
    expect(judgeClaims(claims({ email_verified: 'false', xms_edov: true }), config).ok).toBe(false);
  });

  it("without OIDC_ROLE_CLAIM the role is not the IdP's: none is read, any verified email of the list passes", () => {
    const result = judgeClaims(claims(), { ...config, roleClaim: null, roleMap: [] });
    expect(result).toMatchObject({ ok: true, identity: { role: null, roleManaged: false } });
  });

  it('treats hostile claims as data: no prototype walk, control characters refused', () => {
    const hostile = JSON.parse(
      '{"sub":"u-2","email":"eve@acme.test","email_verified":true,"__proto__":{"roles":["ats-admins"]}}',
    );
    expect(judgeClaims(hostile, { ...config, roleClaim: '__proto__.roles' })).toMatchObject({ reason: 'no_role' });
    expect(readClaimPath({}, 'constructor.name')).toBeUndefined();
    expect(judgeClaims(claims({ sub: 'u\u0000x' }), config)).toMatchObject({ reason: 'invalid_claims' });
    expect(judgeClaims(claims({ email: 'not-an-email' }), config)).toMatchObject({ reason: 'invalid_claims' });
    expect(judgeClaims(null, config)).toMatchObject({ reason: 'invalid_claims' });
    // A name with control characters falls back to the email's local part.
    expect(judgeClaims(claims({ name: 'Ada\u0007' }), config)).toMatchObject({ identity: { name: 'ada' } });
  });

  it('mapRole: first match by precedence admin > recruiter > viewer, whatever the order of the map', () => {
    const map = [...config.roleMap].reverse();
    expect(mapRole(['auditors', 'ats-admins'], map)).toBe('admin');
    expect(mapRole(['x'], map)).toBeNull();
  });
});
