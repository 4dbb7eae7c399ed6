import type { Transaction } from 'kysely';
import type { Database } from '@/db/client';
import type { DB, User } from '@/db/types';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { type Actor, isAdmin } from '@/lib/auth/actor';
import type { SsoIdentity, SsoRefusal } from '@/lib/auth/sso/claims';
import type { SsoConfig } from '@/lib/auth/sso/config';
import { forgetCredentials } from '@/lib/auth/credential-cache';
import { AppError, isUniqueViolation } from '@/lib/errors';
import {
  deleteIdentitiesOfUser,
  findIdentitiesOfUser,
  findUserByEmail,
  findUserByIdentity,
  insertIdentity,
  insertUser,
  touchIdentity,
  updateUserRow,
} from './repository';

export type SsoSignInResult = { ok: true; user: User; created: boolean } | { ok: false; reason: SsoRefusal };

class Refused extends Error {
  constructor(
    readonly reason: SsoRefusal,
    readonly userId?: string,
  ) {
    super(reason);
  }
}

const asActor = (user: User, ip: string | null): Actor => ({
  kind: 'user',
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  via: 'session',
  ip,
});

/**
 * The database half of an OpenID Connect sign-in, for claims lib/auth/sso/claims.ts accepted.
 * The user is found by the issuer's subject first, so an email changed at the IdP still finds
 * them; by email only for a user no issuer is linked to yet (an admin-created account's first
 * SSO sign-in), so the same address at another issuer, or another subject, never takes an account
 * over. An IdP-managed role is applied on every sign-in and a change ends older sessions, as an
 * admin's role change does. A deactivated user stays out whatever the IdP says.
 */
export async function signInWithSso(
  db: Database,
  config: SsoConfig,
  identity: SsoIdentity,
  ip: string | null,
): Promise<SsoSignInResult> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await db.transaction().execute((trx) => signInOnce(trx, config, identity, ip));
    } catch (err) {
      if (err instanceof Refused) {
        await recordSsoRefusal(db, config, err.reason, identity.email, ip, err.userId);
        return { ok: false, reason: err.reason };
      }
      // Two first sign-ins of one person at once: the second finds the first's rows on its retry.
      if (attempt === 0 && isUniqueViolation(err)) continue;
      throw err;
    } finally {
      forgetCredentials();
    }
  }
}

/** An audit row for a refused SSO sign-in: who the IdP said it was and why, never a token. */
export async function recordSsoRefusal(
  db: Database,
  config: SsoConfig,
  reason: SsoRefusal,
  email: string | undefined,
  ip: string | null,
  userId?: string,
): Promise<void> {
  await recordAuditEvent(db, {
    actor: null,
    action: 'auth.sign_in_failed',
    targetType: 'user',
    targetId: userId,
    details: { method: 'sso', issuer: config.issuer, email: email ?? null, reason, ip },
  });
}

async function signInOnce(
  trx: Transaction<DB>,
  config: SsoConfig,
  identity: SsoIdentity,
  ip: string | null,
): Promise<SsoSignInResult> {
  let user = await findUserByIdentity(trx, identity.issuer, identity.subject);
  let created = false;
  let linked = false;
  if (!user) {
    const byEmail = await trx
      .selectFrom('users')
      .selectAll()
      .where('email', '=', identity.email)
      .forUpdate()
      .executeTakeFirst();
    if (byEmail) {
      // Linked already (to another subject here, or to another issuer): this is someone else.
      if ((await findIdentitiesOfUser(trx, byEmail.id)).length) throw new Refused('identity_conflict', byEmail.id);
      if (!byEmail.is_active) throw new Refused('inactive', byEmail.id);
      user = byEmail;
      linked = true;
    } else {
      if (!config.createUsers) throw new Refused('not_provisioned');
      const role = identity.role ?? config.defaultRole;
      if (!role) throw new Refused('no_role');
      user = await insertUser(trx, { email: identity.email, name: identity.name, role, password_hash: null });
      created = true;
      linked = true;
      await recordAuditEvent(trx, {
        actor: null,
        action: 'user.created',
        targetType: 'user',
        targetId: user.id,
        details: { email: user.email, role: user.role, via: 'sso', issuer: identity.issuer },
      });
    }
    await insertIdentity(trx, { userId: user.id, issuer: identity.issuer, subject: identity.subject });
  } else {
    await touchIdentity(trx, identity.issuer, identity.subject);
  }
  if (!user.is_active) throw new Refused('inactive', user.id);

  const changes: Record<string, unknown> = {};
  const role = identity.roleManaged ? identity.role : user.role;
  if (role && role !== user.role) changes.role = { from: user.role, to: role };
  // The IdP's address is the current one, unless another account holds it.
  if (identity.email !== user.email && !(await findUserByEmail(trx, identity.email)))
    changes.email = { from: user.email, to: identity.email };
  if (Object.keys(changes).length) {
    const updated = await updateUserRow(trx, user.id, {
      role: changes.role ? (role ?? undefined) : undefined,
      email: changes.email ? identity.email : undefined,
      session_version: changes.role ? user.session_version + 1 : undefined,
    });
    await recordAuditEvent(trx, {
      actor: null,
      action: 'user.updated',
      targetType: 'user',
      targetId: user.id,
      details: { email: identity.email, changes, via: 'sso', issuer: identity.issuer },
    });
    user = updated ?? user;
  }
  user = (await updateUserRow(trx, user.id, { last_sign_in_at: new Date() })) ?? user;
  if (linked && !created)
    await recordAuditEvent(trx, {
      actor: asActor(user, ip),
      action: 'user.sso_linked',
      targetType: 'user',
      targetId: user.id,
      details: { email: user.email, issuer: identity.issuer },
    });
  await recordAuditEvent(trx, {
    actor: asActor(user, ip),
    action: 'auth.signed_in',
    targetType: 'user',
    targetId: user.id,
    details: { method: 'sso', issuer: identity.issuer },
  });
  return { ok: true, user, created };
}

/**
 * Forgets which issuer accounts a user is linked to (an admin's fix after moving to another
 * identity provider, or when an IdP account was recreated): their next SSO sign-in links again by
 * verified email. Their sessions end, as on any change to how they sign in.
 */
export async function unlinkSsoIdentities(db: Database, actor: Actor, userId: string): Promise<string[]> {
  if (!isAdmin(actor)) throw new AppError('forbidden', 'only admins can manage users');
  const issuers = await db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').selectAll().where('id', '=', userId).forUpdate().executeTakeFirst();
    if (!user) throw new AppError('user_not_found', 'user not found');
    const removed = await deleteIdentitiesOfUser(trx, userId);
    if (removed.length) {
      await updateUserRow(trx, userId, { session_version: user.session_version + 1 });
      await recordAuditEvent(trx, {
        actor,
        action: 'user.sso_unlinked',
        targetType: 'user',
        targetId: userId,
        details: { email: user.email, issuers: removed },
      });
    }
    return removed;
  });
  forgetCredentials();
  return issuers;
}
