import { hasControlCharacter, UNSAFE_KEYS } from '@/lib/security/hostile-input';
import type { SsoConfig, SsoRole } from './config';

/** Why an OpenID Connect sign-in is refused; each has its sentence on the login page. */
export type SsoRefusal =
  | 'invalid_claims'
  | 'email_unverified'
  | 'domain_not_allowed'
  | 'no_role'
  | 'inactive'
  | 'not_provisioned'
  | 'identity_conflict';

/** What a sign-in may act on, read from the ID token and userinfo claims of one person. */
export type SsoIdentity = {
  issuer: string;
  subject: string;
  email: string;
  name: string;
  /** Null when OIDC_ROLE_CLAIM is unset: the role is not the IdP's to decide. */
  role: SsoRole | null;
  /** Whether the role came from the IdP's claim (every sign-in applies it) or is the default. */
  roleManaged: boolean;
};

export type ClaimsJudgement = { ok: true; identity: SsoIdentity } | { ok: false; reason: SsoRefusal; email?: string };

const RANK: Record<SsoRole, number> = { admin: 3, recruiter: 2, viewer: 1 };
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/** An own property only: claims are parsed JSON from outside, and a path must never walk a prototype. */
function own(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || UNSAFE_KEYS.has(key)) return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** The value at a dot path ("realm_access.roles"); a claim whose own name holds a dot wins over the path. */
export function readClaimPath(claims: unknown, path: string): unknown {
  const whole = own(claims, path);
  if (whole !== undefined) return whole;
  return path.split('.').reduce<unknown>((value, key) => own(value, key), claims);
}

/** The groups or roles a claim lists: an array of strings, or one string (some IdPs send a single group). */
export function claimValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The highest role (admin > recruiter > viewer) any listed group maps to, or null. */
export function mapRole(groups: readonly string[], roleMap: SsoConfig['roleMap']): SsoRole | null {
  let best: SsoRole | null = null;
  for (const { group, role } of roleMap) if (groups.includes(group) && (!best || RANK[role] > RANK[best])) best = role;
  return best;
}

/**
 * Whether the IdP vouches for the address. `email_verified` is the standard claim (some IdPs send
 * it as the string "true"); Microsoft Entra ID sends none and marks an address of a domain the
 * tenant verified with `xms_edov` instead.
 */
function emailVerified(claims: unknown): boolean {
  const verified = own(claims, 'email_verified');
  if (verified !== undefined) return verified === true || verified === 'true';
  const edov = own(claims, 'xms_edov');
  return edov === true || edov === 'true' || edov === '1' || edov === 1;
}

function text(value: unknown, max: number): string | null {
  return typeof value === 'string' && value.trim() && value.length <= max && !hasControlCharacter(value)
    ? value.trim()
    : null;
}

/**
 * The pure half of an SSO sign-in: who the claims say this is, and whether the configuration lets
 * them in (verified email, allowed domain, a role). The database half is lib/users/sso-sign-in.ts.
 */
export function judgeClaims(claims: unknown, config: SsoConfig): ClaimsJudgement {
  const subject = text(own(claims, 'sub'), 255);
  const rawEmail = text(own(claims, 'email'), 320)?.toLowerCase() ?? null;
  if (!subject || !rawEmail || !EMAIL.test(rawEmail)) return { ok: false, reason: 'invalid_claims' };
  const email = rawEmail;
  if (!emailVerified(claims)) return { ok: false, reason: 'email_unverified', email };
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (config.allowedDomains.length && !config.allowedDomains.includes(domain))
    return { ok: false, reason: 'domain_not_allowed', email };
  let role: SsoRole | null = null;
  let roleManaged = false;
  if (config.roleClaim) {
    role = mapRole(claimValues(readClaimPath(claims, config.roleClaim)), config.roleMap) ?? config.defaultRole;
    roleManaged = true;
    if (!role) return { ok: false, reason: 'no_role', email };
  }
  const given = text(own(claims, 'given_name'), 100);
  const family = text(own(claims, 'family_name'), 100);
  const name =
    text(own(claims, 'name'), 200) ??
    (given || family ? [given, family].filter(Boolean).join(' ') : null) ??
    email.slice(0, email.indexOf('@'));
  return { ok: true, identity: { issuer: config.issuer, subject, email, name, role, roleManaged } };
}
