import { parseArgs } from 'node:util';
import type { z } from 'zod';
import type { Database } from '@/db/client';
import { type Actor, systemActor } from '@/lib/auth/actor';
import { getKeyring } from '@/lib/crypto/secret-box';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { retentionPolicy } from '@/lib/maintenance/jobs';
import { runMaintenance } from '@/lib/maintenance/retention';
import { rotateSourceSecrets } from '@/lib/sources/rotate-secrets';
import { DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS, createTokenSchema } from '@/lib/tokens/schemas';
import { SCOPE_NAMES, readScopesOfRole, scopesOfRole } from '@/lib/tokens/scopes';
import { reencryptAlertSecrets } from '@/lib/alerts/reencrypt-secrets';
import { reencryptWebhookSecrets } from '@/lib/webhooks/reencrypt-secrets';
import { createApiToken } from '@/lib/tokens/service';
import { createUserSchema, emailSchema, passwordSchema, type PublicUser, userRoleSchema } from '@/lib/users/schemas';
import { createUser, getUserByEmail, listUsers, updateUser } from '@/lib/users/service';
import { unlinkSsoIdentities } from '@/lib/users/sso-sign-in';

export type CliOutput = { out: (line: string) => void; err: (line: string) => void };

export type CliCommand = (db: Database, args: string[], output: CliOutput) => Promise<void>;

/** Wrong use of the command line itself (unknown or missing option): exit code 2, with usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const CLI_ACTOR = systemActor('cli');

type StringOptions<K extends string> = Record<K, { type: 'string' }>;

function readOptions<K extends string>(args: string[], names: readonly K[]): Partial<Record<K, string>> {
  const options = Object.fromEntries(names.map((n) => [n, { type: 'string' }])) as StringOptions<K>;
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Partial<Record<K, string>>;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function required<K extends string>(values: Partial<Record<K, string>>, ...names: K[]): Record<K, string> {
  const missing = names.filter((n) => values[n] === undefined);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((n) => `--${n}`).join(', ')}`);
  return values as Record<K, string>;
}

/** Validates with the API's own schemas, naming the offending options the way the user typed them. */
function parseInput<S extends z.ZodType>(schema: S, input: unknown, optionFor: (path: string) => string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `--${optionFor(i.path.map(String).join('.'))}: ${i.message}`);
  throw new AppError('validation_failed', problems.join('; '));
}

const sameName = (path: string) => path;

function describeUser(user: PublicUser): string[] {
  const fields: [string, string][] = [
    ['id', user.id],
    ['email', user.email],
    ['name', user.name],
    ['role', user.role],
    ['status', user.is_active ? 'active' : 'deactivated'],
    ['last sign-in', user.last_sign_in_at ?? 'never'],
  ];
  return fields.map(([label, value]) => `  ${`${label}:`.padEnd(14)}${value}`);
}

export const createUserCommand: CliCommand = async (db, args, output) => {
  const values = required(
    readOptions(args, ['email', 'name', 'role', 'password']),
    'email',
    'name',
    'role',
    'password',
  );
  const input = parseInput(createUserSchema, values, sameName);
  const user = await createUser(db, CLI_ACTOR, input);
  output.out(`Created user ${user.email}`);
  for (const line of describeUser(user)) output.out(line);
};

export const setPasswordCommand: CliCommand = async (db, args, output) => {
  const values = required(readOptions(args, ['email', 'password']), 'email', 'password');
  const email = parseInput(emailSchema, values.email, () => 'email');
  const password = parseInput(passwordSchema, values.password, () => 'password');
  const user = await getUserByEmail(db, CLI_ACTOR, email);
  const { tokens_revoked: revoked = 0 } = await updateUser(db, CLI_ACTOR, user.id, { password });
  output.out(
    `Password changed for ${user.email}. Their sessions have ended and ${revoked} API ${revoked === 1 ? 'token was' : 'tokens were'} revoked.`,
  );
  if (!user.is_active) output.out('Note: this user is deactivated and cannot sign in until reactivated.');
};

export const setRoleCommand: CliCommand = async (db, args, output) => {
  const values = required(readOptions(args, ['email', 'role']), 'email', 'role');
  const email = parseInput(emailSchema, values.email, () => 'email');
  const role = parseInput(userRoleSchema, values.role, () => 'role');
  const user = await getUserByEmail(db, CLI_ACTOR, email);
  if (user.role === role) {
    output.out(`${user.email} already has the ${role} role.`);
    return;
  }
  await updateUser(db, CLI_ACTOR, user.id, { role });
  output.out(
    `${user.email} is now ${role === 'admin' ? 'an' : 'a'} ${role} (was ${user.role}). Their sessions have ended.`,
  );
};

export const unlinkSsoCommand: CliCommand = async (db, args, output) => {
  const values = required(readOptions(args, ['email']), 'email');
  const email = parseInput(emailSchema, values.email, () => 'email');
  const user = await getUserByEmail(db, CLI_ACTOR, email);
  const issuers = await unlinkSsoIdentities(db, CLI_ACTOR, user.id);
  output.out(
    issuers.length
      ? `${user.email} is no longer linked to ${issuers.join(', ')}. Their sessions have ended; their next single sign-on links them again by verified email.`
      : `${user.email} is not linked to any single sign-on account.`,
  );
};

export const listUsersCommand: CliCommand = async (db, args, output) => {
  readOptions(args, []);
  const users = await listUsers(db, CLI_ACTOR);
  if (users.length === 0) {
    output.out('No users yet. Create one with: user create --email E --name N --role admin --password P');
    return;
  }
  const rows = [
    ['EMAIL', 'NAME', 'ROLE', 'STATUS', 'LAST SIGN-IN'],
    ...users.map((u) => [
      u.email,
      u.name,
      u.role,
      u.is_active ? 'active' : 'deactivated',
      u.last_sign_in_at ?? 'never',
    ]),
  ];
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  for (const row of rows)
    output.out(
      row
        .map((cell, col) => cell.padEnd(widths[col]))
        .join('  ')
        .trimEnd(),
    );
};

export const createTokenCommand: CliCommand = async (db, args, output) => {
  const values = readOptions(args, ['email', 'name', 'expires-days', 'scopes']);
  const { email, name } = required(values, 'email', 'name');
  const user = await getUserByEmail(
    db,
    CLI_ACTOR,
    parseInput(emailSchema, email, () => 'email'),
  );
  if (!user.is_active) {
    throw new AppError('invalid_state', `${user.email} is deactivated; a token for them would not work`);
  }
  const input = parseInput(
    createTokenSchema,
    { name, scopes: scopesFromOption(values.scopes, user.role), expires_at: expiresAtFromDays(values['expires-days']) },
    (path) => (path === 'expires_at' ? 'expires-days' : path.startsWith('scopes') ? 'scopes' : path),
  );
  // Tokens belong to a user, so the token is created as that user; `via: 'cli'` marks it in the audit trail.
  const owner: Actor = { kind: 'user', id: user.id, email: user.email, name: user.name, role: user.role, via: 'cli' };
  const { token, record } = await createApiToken(db, owner, input);
  output.out(
    `Created API token "${record.name}" for ${user.email} (${record.prefix}, expires ${record.expires_at ?? 'never'}).`,
  );
  output.out(`Scopes: ${record.scopes.join(', ')}`);
  output.out('Copy it now: it is shown only this once. Send it as "Authorization: Bearer <token>".');
  output.out(token);
};

function expiresAtFromDays(days: string | undefined): string {
  const n = days === undefined ? DEFAULT_EXPIRY_DAYS : Number(days);
  if (days !== undefined && (!/^\d+$/.test(days) || n < 1 || n > MAX_EXPIRY_DAYS)) {
    throw new AppError('validation_failed', `--expires-days: must be a whole number from 1 to ${MAX_EXPIRY_DAYS}`);
  }
  return new Date(Date.now() + n * 86_400_000).toISOString();
}

/**
 * `--scopes jobs:read,syncs:write`, or the presets `all` (every scope of the user's role, also
 * the default) and `read` (its read scopes). Names are checked by the API's schema.
 */
function scopesFromOption(option: string | undefined, role: PublicUser['role']): string[] {
  const value = option?.trim() ?? 'all';
  if (value === 'all') return scopesOfRole(role);
  if (value === 'read') return readScopesOfRole(role);
  if (value === '') throw new AppError('validation_failed', `--scopes: name at least one of ${SCOPE_NAMES.join(', ')}`);
  return value.split(',').map((s) => s.trim());
}

export const rotateSecretsCommand: CliCommand = async (db, args, output) => {
  readOptions(args, []);
  const result = await rotateSourceSecrets(db, CLI_ACTOR, getKeyring());
  output.out(
    result.values === 0
      ? 'nothing to re-encrypt: every source secret is under the current key'
      : `re-encrypted ${result.values} secret(s) of ${result.sources} source(s) with the current key`,
  );
  // hooks (issue 22 item 4): webhook signing secrets, the one still signing after a rotation included.
  const hooks = await reencryptWebhookSecrets(db, CLI_ACTOR, getKeyring());
  output.out(
    hooks.values === 0
      ? 'nothing to re-encrypt: every webhook signing secret is under the current key'
      : `re-encrypted ${hooks.values} signing secret(s) of ${hooks.endpoints} webhook endpoint(s) with the current key`,
  );
  // alerts (issue 23): Slack incoming-webhook URLs of alert channels.
  const alerts = await reencryptAlertSecrets(db, CLI_ACTOR, getKeyring());
  output.out(
    alerts.values === 0
      ? 'nothing to re-encrypt: every alert channel URL is under the current key'
      : `re-encrypted the webhook URL of ${alerts.channels} alert channel(s) with the current key`,
  );
};

/** The daily retention pass by hand; `--dry-run` counts what it would remove and removes nothing. */
export const maintenanceCommand: CliCommand = async (db, args, output) => {
  let dryRun: boolean;
  try {
    dryRun = !!parseArgs({ args, options: { 'dry-run': { type: 'boolean' } }, strict: true }).values['dry-run'];
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const env = getEnv();
  const result = await runMaintenance(db, retentionPolicy(env), { dryRun });
  const verb = dryRun ? 'would remove' : 'removed';
  output.out(
    `Sync history kept for ${env.SYNC_HISTORY_DAYS} days (finished before ${result.sync_history_before}), audit events for ${env.AUDIT_RETENTION_DAYS} days (before ${result.audit_before}).`,
  );
  output.out(`${verb}:`);
  const lines: [string, number][] = [
    ['sync runs', result.runs],
    ['sync deliveries', result.deliveries],
    ['webhook deliveries', result.webhook_deliveries],
    ['audit events', result.audit_events],
    ['stale worker heartbeats', result.worker_heartbeats],
    ['expired rate limits', result.rate_limits],
  ];
  for (const [label, n] of lines) output.out(`  ${`${label}:`.padEnd(26)}${n}`);
};
