import type { Database } from '@/db/client';
import { ConfigError } from '@/lib/env';
import { isAppError } from '@/lib/errors';
import { DoctorUsageError, diagnose, parseDoctorArgs, printDoctorReport } from './doctor';
import {
  type CliCommand,
  type CliOutput,
  UsageError,
  createTokenCommand,
  createUserCommand,
  listUsersCommand,
  maintenanceCommand,
  rotateSecretsCommand,
  setPasswordCommand,
  unlinkSsoCommand,
  setRoleCommand,
} from './commands';

export const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  user create --email E --name N --role admin|recruiter|viewer --password P
                      Create a user. A viewer sees everything an admin sees
                      and changes nothing (for auditors).
  user set-role --email E --role admin|recruiter|viewer
                      Change a user's role and end their sessions.
  user set-password --email E --password P
                      Set a user's password, end their sessions and
                      revoke their API tokens.
  user unlink-sso --email E
                      Forget the single sign-on accounts linked to a user (after
                      moving to another identity provider): their next SSO
                      sign-in links them again by verified email.
  user list           List all users.
  token create --email E --name NAME [--scopes S] [--expires-days N]
                      Create an API token for that user. The token is printed
                      once, alone on the last line. --scopes: comma-separated
                      scopes (jobs:read,syncs:write), or \`all\` of the user's
                      role (the default) or \`read\` (its read scopes).
                      --expires-days: 1 to 366, 90 by default.
  secrets rotate      Re-encrypt source secrets still under a key listed in
                      APP_ENCRYPTION_KEY_PREVIOUS with APP_ENCRYPTION_KEY.
  doctor [--skip-network]
                      Check the configuration, the database, its migrations
                      and queue schema, the workers (heartbeats), every
                      source (a connection test each, unless --skip-network:
                      then its last recorded health) and the webhook
                      endpoints; prints OK, WARN or FAIL per check with what
                      to do. Exit code 1 when a check FAILs.
  maintenance [--dry-run]
                      Delete history past SYNC_HISTORY_DAYS / AUDIT_RETENTION_DAYS
                      now, as the daily job does; --dry-run only counts it.
  help                Show this text.

Configuration comes from the environment and from a .env file in the current
directory (and the secrets \`npm start\` generated under .data/). Without
DATABASE_URL the CLI uses the embedded database of a running \`npm start\`
(the port it recorded in .data/embedded.json, the password from
.data/secrets.json): start it first.

Passwords given on the command line can end up in your shell history.`;

const COMMANDS: Record<string, CliCommand> = {
  'user create': createUserCommand,
  'user set-password': setPasswordCommand,
  'user set-role': setRoleCommand,
  'user unlink-sso': unlinkSsoCommand,
  'user list': listUsersCommand,
  'token create': createTokenCommand,
  'secrets rotate': rotateSecretsCommand,
  maintenance: maintenanceCommand,
};

const HELP = new Set(['help', '--help', '-h']);

export type CliDeps = {
  db: () => Database;
  output: CliOutput;
  /** What to tell the user when the database does not answer, if more is known than DATABASE_URL. */
  unreachable?: () => string | undefined;
};

/** No database to open (no DATABASE_URL and no embedded one): the message says what to do. */
export class DatabaseNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseNotFoundError';
  }
}

/**
 * Runs one CLI command and returns the process exit code: 0 done, 1 refused or failed, 2 wrong
 * usage. The database is opened only by commands that need it, so `help` works without one.
 */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  const { output } = deps;
  const [group, action, ...more] = argv;
  if (group === undefined || HELP.has(group)) {
    output.out(USAGE);
    return 0;
  }
  // doctor runs before the database is known to work: it opens the database itself, as a check.
  if (group === 'doctor') {
    const rest = argv.slice(1);
    if (rest.some((a) => HELP.has(a))) {
      output.out(USAGE);
      return 0;
    }
    try {
      return printDoctorReport(await diagnose(deps, parseDoctorArgs(rest)), output);
    } catch (err) {
      return reportFailure(err, output, deps.unreachable?.());
    }
  }
  // Two-word commands first (`user create`); a one-word command takes the rest as its options.
  const twoWord = Object.hasOwn(COMMANDS, `${group} ${action}`);
  const command: CliCommand | undefined = twoWord
    ? COMMANDS[`${group} ${action}`]
    : Object.hasOwn(COMMANDS, group)
      ? COMMANDS[group]
      : undefined;
  const rest = twoWord || action === undefined ? more : [action, ...more];
  if (!command) {
    output.err(`error: unknown command "${[group, action].filter(Boolean).join(' ')}"`);
    output.err(USAGE);
    return 2;
  }
  if (rest.some((a) => HELP.has(a))) {
    output.out(USAGE);
    return 0;
  }
  try {
    await command(deps.db(), rest, output);
    return 0;
  } catch (err) {
    return reportFailure(err, output, deps.unreachable?.());
  }
}

function reportFailure(err: unknown, output: CliOutput, unreachable: string | undefined): number {
  if (err instanceof UsageError || err instanceof DoctorUsageError) {
    output.err(`error: ${err.message}`);
    output.err('Run "npm run cli -- help" for usage.');
    return 2;
  }
  if (isAppError(err)) {
    output.err(`error: ${err.message}`);
    return 1;
  }
  if (err instanceof ConfigError) {
    output.err(`error: ${err.message}`);
    output.err('Set DATABASE_URL, or run `npm start` once so the CLI can use its embedded database.');
    return 1;
  }
  const code = (err as { code?: string } | null)?.code;
  if (code === 'ECONNREFUSED' && unreachable) {
    output.err(`error: ${unreachable}`);
    return 1;
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '3D000' || code === '28P01') {
    output.err(`error: cannot reach the database (${code}). Check DATABASE_URL and that PostgreSQL is running.`);
    return 1;
  }
  output.err(`error: ${(err as Error)?.message || String(err)}`);
  return 1;
}
