import type { Database } from '@/db/client';
import type { User } from '@/db/types';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { type Actor, isAdmin, requireAdminReader } from '@/lib/auth/actor';
import { credentialCache, forgetCredentials } from '@/lib/auth/credential-cache';
import { burnPasswordCheck, hashPassword, verifyPassword } from '@/lib/auth/password';
import { clearRateLimit, hitRateLimits, releaseRateLimit, signInRules } from '@/lib/auth/rate-limit';
import { AppError, isUniqueViolation } from '@/lib/errors';
import { revokeAllUserApiTokens } from '@/lib/tokens/service';
import {
  countActiveAdmins,
  findUserByEmail,
  findUserById,
  insertUser,
  isSsoLinked,
  listUsers as listUserRows,
  updateUserRow,
} from './repository';
import type { CreateUserInput, PublicUser, UpdatedUser, UpdateUserInput } from './schemas';
import { hasControlCharacter } from '@/lib/security/hostile-input';

export function toPublicUser(user: User, ssoLinked: boolean): PublicUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    is_active: user.is_active,
    last_sign_in_at: user.last_sign_in_at?.toISOString() ?? null,
    created_at: user.created_at.toISOString(),
    password_set: user.password_hash !== null,
    sso_linked: ssoLinked,
  };
}

function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError('forbidden', 'only admins can manage users');
}

export async function createUser(db: Database, actor: Actor, input: CreateUserInput): Promise<PublicUser> {
  requireAdmin(actor);
  const password_hash = await hashPassword(input.password);
  try {
    return await db.transaction().execute(async (trx) => {
      const user = await insertUser(trx, { email: input.email, name: input.name, role: input.role, password_hash });
      await recordAuditEvent(trx, {
        actor,
        action: 'user.created',
        targetType: 'user',
        targetId: user.id,
        details: { email: user.email, role: user.role },
      });
      return toPublicUser(user, false);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('email_taken', `a user with email ${input.email} already exists`);
    throw err;
  }
}

export async function listUsers(db: Database, actor: Actor): Promise<PublicUser[]> {
  requireAdminReader(actor, 'users');
  return (await listUserRows(db)).map((u) => toPublicUser(u, u.sso_linked));
}

/** An admin looks a user up by email (the CLI names users by email, not id). */
export async function getUserByEmail(db: Database, actor: Actor, email: string): Promise<PublicUser> {
  requireAdminReader(actor, 'users');
  const user = await findUserByEmail(db, email);
  if (!user) throw new AppError('user_not_found', `no user with email ${email.toLowerCase()}`);
  return toPublicUser(user, await isSsoLinked(db, user.id));
}

/**
 * Changes a user. A new password is a reset: it ends their sessions and revokes all their API
 * tokens in the same transaction (whoever knew the old password may have made tokens with it);
 * the answer and the audit row say how many tokens were revoked.
 */
export async function updateUser(db: Database, actor: Actor, id: string, input: UpdateUserInput): Promise<UpdatedUser> {
  requireAdmin(actor);
  const password_hash = input.password ? await hashPassword(input.password) : undefined;
  const updated = await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('user_not_found', 'user not found');
    const demotesAdmin =
      before.role === 'admin' &&
      before.is_active &&
      ((input.role !== undefined && input.role !== 'admin') || input.is_active === false);
    if (demotesAdmin && (await countActiveAdmins(trx)) <= 1) {
      throw new AppError('invalid_state', 'the last active admin cannot be demoted or deactivated');
    }
    // Any change to who the user is or what they may do ends their existing sessions.
    const endsSessions =
      password_hash !== undefined ||
      (input.role !== undefined && input.role !== before.role) ||
      (input.is_active !== undefined && input.is_active !== before.is_active);
    const after = await updateUserRow(trx, id, {
      name: input.name,
      role: input.role,
      is_active: input.is_active,
      password_hash,
      session_version: endsSessions ? before.session_version + 1 : undefined,
    });
    if (!after) throw new AppError('user_not_found', 'user not found');
    const changes: Record<string, unknown> = {};
    if (input.name !== undefined && input.name !== before.name) changes.name = { from: before.name, to: after.name };
    if (input.role !== undefined && input.role !== before.role) changes.role = { from: before.role, to: after.role };
    if (input.is_active !== undefined && input.is_active !== before.is_active)
      changes.is_active = { from: before.is_active, to: after.is_active };
    const revoked = password_hash
      ? { tokens_revoked: await revokeAllUserApiTokens(trx, actor, id, 'password_reset') }
      : {};
    if (password_hash) changes.password_reset = true;
    await recordAuditEvent(trx, {
      actor,
      action: auditActionFor(input, before),
      targetType: 'user',
      targetId: id,
      details: { email: after.email, changes, ...revoked },
    });
    return { ...toPublicUser(after, await isSsoLinked(trx, id)), ...revoked };
  });
  forgetCredentials();
  return updated;
}

// Access changes get their own action so that an audit reader can find them without parsing details.
function auditActionFor(input: UpdateUserInput, before: User): string {
  if (input.is_active === false && before.is_active) return 'user.deactivated';
  if (input.is_active === true && !before.is_active) return 'user.reactivated';
  return 'user.updated';
}

/**
 * Checks a password sign-in; null on any failure, with the same cost either way. Failures count
 * against the account and the address; over the limit, even a right password is refused
 * (AppError rate_limited) until the window passes, so guessing cannot continue.
 */
export async function authenticateWithPassword(
  db: Database,
  email: string,
  password: string,
  ip: string | null,
): Promise<User | null> {
  // Like a malformed email: refused before any lookup, attempt counter or audit row, whichever
  // sign-in path (the form or next-auth's credentials endpoint) brought it.
  if (hasControlCharacter(email + password)) return null;
  const rules = signInRules(email, ip);
  // The attempt is counted before the password is checked: parallel guesses each take their own
  // number from the counter, and those past the limit never reach argon2.
  if ((await hitRateLimits(db, rules)).limited) {
    await recordAuditEvent(db, {
      actor: null,
      action: 'auth.sign_in_rate_limited',
      targetType: 'user',
      details: { email: email.toLowerCase(), ip },
    });
    throw new AppError('rate_limited', 'too many sign-in attempts: wait 15 minutes and try again');
  }
  const user = await findUserByEmail(db, email);
  const fail = async (reason: string, userId?: string) => {
    await recordAuditEvent(db, {
      actor: null,
      action: 'auth.sign_in_failed',
      targetType: 'user',
      targetId: userId,
      details: { email: email.toLowerCase(), reason, ip },
    });
    return null;
  };
  if (!user?.is_active) {
    await burnPasswordCheck(password);
    return fail(user ? 'inactive' : 'unknown_email', user?.id);
  }
  // A user made by SSO has no password until an admin sets one (break-glass through the CLI).
  if (user.password_hash === null) {
    await burnPasswordCheck(password);
    return fail('no_password', user.id);
  }
  if (!(await verifyPassword(user.password_hash, password))) return fail('wrong_password', user.id);
  await clearRateLimit(db, rules[0].key);
  for (const rule of rules.slice(1)) await releaseRateLimit(db, rule.key);
  await updateUserRow(db, user.id, { last_sign_in_at: new Date() });
  await recordAuditEvent(db, {
    actor: { kind: 'user', id: user.id, email: user.email, name: user.name, role: user.role, via: 'session', ip },
    action: 'auth.signed_in',
    targetType: 'user',
    targetId: user.id,
  });
  return user;
}

/** The active user behind a session, or null when the session no longer holds (deactivated, role changed...). */
// By user id and session version: only users whose session was valid, for up to a second.
const checkedSessions = credentialCache<User>();

/**
 * The signed-in user of a session, or null when the user is inactive or the session was ended
 * (its version is behind). Believed for up to a second in this process (lib/auth/credential-cache.ts).
 */
export async function resolveSessionUser(db: Database, id: string, sessionVersion: number): Promise<User | null> {
  return checkedSessions.getOrLoad(`${id}:${sessionVersion}`, async () => {
    const user = await findUserById(db, id);
    return user?.is_active && user.session_version === sessionVersion ? user : null;
  });
}
