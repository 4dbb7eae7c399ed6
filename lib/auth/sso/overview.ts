import type { Database } from '@/db/client';
import { type Actor, requireAdminReader } from '@/lib/auth/actor';
import type { Env } from '@/lib/env';
import { countLinkedUsers } from '@/lib/users/repository';
import { passwordSignInEnabled, type SsoConfig, ssoConfigOf } from './config';

/** The sign-in configuration as admins and viewers may read it: everything but the client secret. */
export type SsoOverview = {
  passwordSignIn: boolean;
  sso: (Omit<SsoConfig, 'clientSecret'> & { linkedUsers: number }) | null;
};

export async function getSsoOverview(db: Database, actor: Actor, env: Env): Promise<SsoOverview> {
  requireAdminReader(actor, 'users');
  const config = ssoConfigOf(env);
  if (!config) return { passwordSignIn: passwordSignInEnabled(env), sso: null };
  const { clientSecret: _secret, ...visible } = config;
  return {
    passwordSignIn: passwordSignInEnabled(env),
    sso: { ...visible, linkedUsers: await countLinkedUsers(db, config.issuer) },
  };
}
