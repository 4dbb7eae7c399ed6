import type { Env } from '@/lib/env';

export type SsoRole = 'admin' | 'recruiter' | 'viewer';

/** The OpenID Connect sign-in as configured, or null when it is off (no OIDC_ISSUER). */
export type SsoConfig = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  displayName: string;
  scopes: string;
  /** Lower-case domains; empty: any verified email. */
  allowedDomains: string[];
  /** Dot path into the claims; null: the IdP does not manage roles (existing users keep theirs). */
  roleClaim: string | null;
  roleMap: { group: string; role: SsoRole }[];
  /** For a user whose claims map to no role; null refuses them. */
  defaultRole: Exclude<SsoRole, 'admin'> | null;
  createUsers: boolean;
};

/** The id next-auth knows the provider by: /api/auth/signin/oidc, /api/auth/callback/oidc. */
export const SSO_PROVIDER_ID = 'oidc';

export function ssoConfigOf(env: Env): SsoConfig | null {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET) return null;
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    displayName: env.OIDC_DISPLAY_NAME,
    scopes: env.OIDC_SCOPES,
    allowedDomains: env.OIDC_ALLOWED_DOMAINS,
    roleClaim: env.OIDC_ROLE_CLAIM ?? null,
    roleMap: env.OIDC_ROLE_MAP,
    defaultRole: env.OIDC_DEFAULT_ROLE === 'none' ? null : env.OIDC_DEFAULT_ROLE,
    createUsers: env.OIDC_CREATE_USERS,
  };
}

export function passwordSignInEnabled(env: Env): boolean {
  return env.PASSWORD_SIGN_IN === 'enabled';
}

export function discoveryUrl(issuer: string): string {
  return `${issuer}/.well-known/openid-configuration`;
}
