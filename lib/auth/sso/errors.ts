import type { SsoRefusal } from './claims';

export const SSO_UNREACHABLE_MESSAGE =
  'The identity provider could not be reached. Try again, or ask an administrator.';

/**
 * The sentences the login page shows for `?error=`: our refusals (sso_*) and the codes next-auth
 * itself sends back from /api/auth/* (OAuthSignin when the issuer's discovery document could not
 * be read, OAuthCallback when the code exchange or the ID token check failed).
 */
export const SSO_SIGN_IN_ERRORS = {
  sso_invalid_claims:
    'The identity provider did not send a usable account (a subject and an email address). Ask an administrator.',
  sso_email_unverified:
    'The identity provider has not verified your email address. Verify it there, then sign in again.',
  sso_domain_not_allowed:
    'Your email domain is not allowed to sign in here. Use your work account, or ask an administrator.',
  sso_no_role: 'Your account has no role in ATS Sync. Ask an administrator to add you to a group that grants access.',
  sso_inactive: 'Your ATS Sync account is deactivated. Ask an administrator to reactivate it.',
  sso_not_provisioned: 'There is no ATS Sync account for your email address. Ask an administrator to create one.',
  sso_identity_conflict:
    'An ATS Sync account with your email address is linked to another sign-in. Ask an administrator.',
  sso_failed: 'Signing in with the identity provider did not work. Try again, or ask an administrator.',
  OAuthSignin: SSO_UNREACHABLE_MESSAGE,
  OAuthCallback: 'The identity provider could not complete the sign-in. Try again, or ask an administrator.',
  AccessDenied: 'Sign-in was refused. Ask an administrator.',
  password_disabled: 'Password sign-in is turned off here. Use the single sign-on button.',
} as const;

export type SsoErrorCode = keyof typeof SSO_SIGN_IN_ERRORS;

export function ssoErrorCode(reason: SsoRefusal | 'failed'): SsoErrorCode {
  return `sso_${reason}`;
}
