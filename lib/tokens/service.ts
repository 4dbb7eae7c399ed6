import { createHash, randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '@/db/client';
import type { ApiToken, DB, UserRole } from '@/db/types';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { type Actor, isAdmin, requireAdminReader } from '@/lib/auth/actor';
import { credentialCache, forgetCredentials } from '@/lib/auth/credential-cache';
import { AppError } from '@/lib/errors';
import { DEFAULT_EXPIRY_DAYS, EXPIRY_WARNING_DAYS, type NewToken, type PublicToken } from './schemas';
import { SCOPES, type Scope, effectiveScopes, scopesOfRole } from './scopes';

const TOKEN_PREFIX = 'ats_';
// last_used_at is a hint for people, not an access log: write it at most once a minute per token.
const LAST_USED_RESOLUTION_MS = 60_000;
const DAY_MS = 86_400_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A token as its owner and admins see it, with the scopes its owner's role (`role`) allows now. */
function toPublicToken(t: ApiToken, role: UserRole): PublicToken {
  const now = Date.now();
  const status = t.revoked_at ? 'revoked' : t.expires_at && t.expires_at.getTime() <= now ? 'expired' : 'active';
  return {
    id: t.id,
    name: t.name,
    prefix: `${TOKEN_PREFIX}${t.token_prefix}…`,
    scopes: effectiveScopes(t.scopes, role),
    scopes_from_role: t.scopes === null,
    created_at: t.created_at.toISOString(),
    last_used_at: t.last_used_at?.toISOString() ?? null,
    expires_at: t.expires_at?.toISOString() ?? null,
    expires_soon: status === 'active' && !!t.expires_at && t.expires_at.getTime() - now <= EXPIRY_WARNING_DAYS * DAY_MS,
    revoked_at: t.revoked_at?.toISOString() ?? null,
    status,
  };
}

function requireUser(actor: Actor): Extract<Actor, { kind: 'user' }> {
  if (actor.kind !== 'user') throw new AppError('forbidden', 'tokens belong to users');
  return actor;
}

/**
 * A token that can mint tokens turns one leak into a permanent foothold (revoking it leaves its
 * children working), and one that can revoke others lets a leak cut off every other integration of
 * its owner. So a Bearer token can only revoke itself, which lets whoever finds a leaked token kill it.
 */
function refuseTokenManagement(actor: Actor, what: 'create' | 'revoke', tokenId?: string): void {
  if (actor.kind !== 'user' || actor.via !== 'token') return;
  if (what === 'create') {
    throw new AppError('forbidden', 'tokens can only be created in a signed-in browser session or with the CLI');
  }
  if (tokenId !== actor.tokenId) {
    throw new AppError(
      'forbidden',
      'an API token can revoke only itself; revoke other tokens in a signed-in browser session',
    );
  }
}

/**
 * Scopes above the owner's role are refused rather than dropped: a script that asked for
 * `sources:write` and silently got less would fail later, far from the cause.
 */
function scopesFor(role: UserRole, asked: Scope[] | undefined): Scope[] {
  const allowed = scopesOfRole(role);
  if (!asked) return allowed;
  const above = asked.filter((scope) => !allowed.includes(scope));
  if (above.length > 0) {
    throw new AppError(
      'validation_failed',
      `scopes above the ${role} role: ${above.join(', ')}`,
      above.map((scope) => ({
        path: `scopes.${asked.indexOf(scope)}`,
        message: `${scope} needs the ${SCOPES[scope].roles.join(' or ')} role`,
      })),
    );
  }
  return allowed.filter((s) => asked.includes(s));
}

/**
 * Creates a token for the actor with the scopes asked for (all of the role's when none are given:
 * the CLI's default), expiring in DEFAULT_EXPIRY_DAYS unless a date is given. The clear token is
 * returned once and never stored.
 */
export async function createApiToken(
  db: Database,
  actor: Actor,
  input: NewToken,
): Promise<{ token: string; record: PublicToken }> {
  const user = requireUser(actor);
  refuseTokenManagement(actor, 'create');
  const scopes = scopesFor(user.role, input.scopes);
  const expiresAt = input.expires_at ? new Date(input.expires_at) : new Date(Date.now() + DEFAULT_EXPIRY_DAYS * DAY_MS);
  const secret = randomBytes(32).toString('base64url');
  const token = `${TOKEN_PREFIX}${secret}`;
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('api_tokens')
      .values({
        user_id: user.id,
        name: input.name,
        token_hash: hashToken(token),
        token_prefix: secret.slice(0, 6),
        expires_at: expiresAt,
        scopes,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAuditEvent(trx, {
      actor,
      action: 'token.created',
      targetType: 'api_token',
      targetId: row.id,
      // `via` tells a token made on the command line from one made in the browser or over the API.
      details: { name: row.name, scopes, expires_at: row.expires_at?.toISOString() ?? null, via: user.via },
    });
    return { token, record: toPublicToken(row, user.role) };
  });
}

export async function listApiTokens(db: Database, actor: Actor): Promise<PublicToken[]> {
  return tokensOf(db, requireUser(actor).id);
}

/** A user's tokens, newest first, as their owner and admins see them: never the hash. */
async function tokensOf(db: Database, userId: string): Promise<PublicToken[]> {
  const rows = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .selectAll('t')
    .select('u.role as owner_role')
    .where('t.user_id', '=', userId)
    .orderBy('t.created_at', 'desc')
    .execute();
  return rows.map(({ owner_role, ...row }) => toPublicToken(row, owner_role));
}

async function roleOf(db: Database | Transaction<DB>, userId: string): Promise<UserRole> {
  const user = await db.selectFrom('users').select('role').where('id', '=', userId).executeTakeFirstOrThrow();
  return user.role;
}

/** Revokes one of the actor's own tokens; revoking a revoked token answers it unchanged. */
export async function revokeApiToken(db: Database, actor: Actor, id: string): Promise<PublicToken> {
  const user = requireUser(actor);
  refuseTokenManagement(actor, 'revoke', id);
  const revoked = await db.transaction().execute((trx) => revokeOne(trx, actor, user.id, id));
  forgetCredentials();
  return revoked;
}

/** An admin's view of another user's tokens: the same fields the owner sees, never the hash. */
export async function listUserApiTokens(db: Database, actor: Actor, userId: string): Promise<PublicToken[]> {
  requireAdminReader(actor, "other users' tokens");
  await requireUserExists(db, userId);
  return tokensOf(db, userId);
}

/** An admin revokes any user's token, e.g. one found in a log or a repository. */
export async function revokeUserApiToken(
  db: Database,
  actor: Actor,
  userId: string,
  tokenId: string,
): Promise<PublicToken> {
  requireAdminForTokens(actor);
  refuseTokenManagement(actor, 'revoke', tokenId);
  const revoked = await db.transaction().execute(async (trx) => {
    await requireUserExists(trx, userId);
    return revokeOne(trx, actor, userId, tokenId);
  });
  forgetCredentials();
  return revoked;
}

/**
 * Revokes every live token of a user inside the caller's transaction (a password reset: whoever
 * knew the old password may have made tokens with it). Returns how many were revoked. The caller
 * calls forgetCredentials() once its transaction has committed.
 */
export async function revokeAllUserApiTokens(
  trx: Transaction<DB>,
  actor: Actor,
  userId: string,
  reason: 'password_reset',
): Promise<number> {
  const rows = await trx
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning(['id', 'name'])
    .execute();
  for (const row of rows) {
    await recordAuditEvent(trx, {
      actor,
      action: 'token.revoked',
      targetType: 'api_token',
      targetId: row.id,
      details: { name: row.name, user_id: userId, reason },
    });
  }
  return rows.length;
}

function requireAdminForTokens(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError('forbidden', "only admins can manage other users' tokens");
}

async function requireUserExists(db: Database | Transaction<DB>, userId: string): Promise<void> {
  const user = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  if (!user) throw new AppError('user_not_found', 'user not found');
}

async function revokeOne(trx: Transaction<DB>, actor: Actor, userId: string, id: string): Promise<PublicToken> {
  const row = await trx
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!row) {
    const existing = await trx
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!existing) throw new AppError('token_not_found', 'token not found');
    return toPublicToken(existing, await roleOf(trx, userId));
  }
  await recordAuditEvent(trx, {
    actor,
    action: 'token.revoked',
    targetType: 'api_token',
    targetId: id,
    // The owner, so that an admin's revocation of someone else's token is visible as such.
    details: { name: row.name, user_id: userId },
  });
  return toPublicToken(row, await roleOf(trx, userId));
}

type TokenActor = Extract<Actor, { kind: 'user' }>;

// By token hash: only tokens that passed every check, with their expiry, which is checked again on use.
const checkedTokens = credentialCache<{ actor: TokenActor; expiresAt: number | null }>();

/**
 * Resolves a Bearer token to its user; any failure is the same 401 so tokens cannot be probed.
 * A token that passed is believed for up to a second in this process (lib/auth/credential-cache.ts).
 */
export async function authenticateApiToken(db: Database, token: string, ip: string | null): Promise<Actor> {
  // Made only when refused: an Error captures its stack, which cost every Bearer poll ~50 µs.
  const invalid = () => new AppError('invalid_token', 'the API token is invalid, expired or revoked');
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) throw invalid();
  const hash = hashToken(token);
  const checked = await checkedTokens.getOrLoad(hash, () => checkToken(db, hash));
  if (!checked || (checked.expiresAt !== null && checked.expiresAt <= Date.now())) throw invalid();
  // The address is this request's own: the checked actor may come from another request's check.
  return { ...checked.actor, ip };
}

/** The token's user when the token and the user are usable, else null; records its use at most once a minute. */
async function checkToken(db: Database, hash: string): Promise<{ actor: TokenActor; expiresAt: number | null } | null> {
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select([
      't.id as token_id',
      't.expires_at',
      't.revoked_at',
      't.last_used_at',
      't.scopes',
      'u.id',
      'u.email',
      'u.name',
      'u.role',
      'u.is_active',
    ])
    .where('t.token_hash', '=', hash)
    .executeTakeFirst();
  if (!row || row.revoked_at || !row.is_active || (row.expires_at && row.expires_at.getTime() <= Date.now()))
    return null;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
    // Guarded again in SQL: many requests with one token at the same moment write the row once.
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: new Date() })
      .where('id', '=', row.token_id)
      .where((eb) =>
        eb.or([
          eb('last_used_at', 'is', null),
          eb('last_used_at', '<', new Date(Date.now() - LAST_USED_RESOLUTION_MS)),
        ]),
      )
      .execute();
  }
  const actor: TokenActor = {
    kind: 'user',
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    via: 'token',
    tokenId: row.token_id,
    // Cut down to the role read with it, so a role taken away narrows the token at its next check.
    scopes: effectiveScopes(row.scopes, row.role),
    tokenExpiresAt: row.expires_at?.toISOString() ?? null,
    ip: null,
  };
  return { actor, expiresAt: row.expires_at?.getTime() ?? null };
}
