import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { z } from 'zod';
import pLimit from 'p-limit';
import { pendingMigrations } from '@/db/migrate';
import type { Database } from '@/db/client';
import type { Source } from '@/db/types';
import { systemActor } from '@/lib/auth/actor';
import { checkIssuer } from '@/lib/auth/sso/check-issuer';
import { passwordSignInEnabled, ssoConfigOf } from '@/lib/auth/sso/config';
import { decryptSecret, getKeyring } from '@/lib/crypto/secret-box';
import { ConfigError, type Env, launcherEnvSchema, parseEnv } from '@/lib/env';
import { isAppError } from '@/lib/errors';
import { checkDatabase } from '@/lib/health/check-database';
import { WORKER_ALIVE_SECONDS } from '@/lib/health/check-readiness';
import { findSourcePauseStates } from '@/lib/sources/pause-repository';
import { listSourceRows } from '@/lib/sources/repository';
import type { SourcePauseState, TestResult } from '@/lib/sources/schemas';
import { testSource } from '@/lib/sources/service';
import { findEvaluatedAt, listChannelRows, listRuleRows } from '@/lib/alerts/repository';
import { listEndpointRows } from '@/lib/webhooks/repository';
import type { CliOutput } from './commands';

export type DoctorStatus = 'OK' | 'WARN' | 'FAIL';

/** One line of the report: what was checked, what was found and, unless OK, what to do. */
export type DoctorFinding = { check: string; status: DoctorStatus; found: string; fix?: string };

export type DoctorOptions = {
  /** Skip the connection test of each source: its last recorded health is reported instead. */
  skipNetwork: boolean;
};

const DOCTOR_ACTOR = systemActor('cli');
/** Connection tests at once: each is bounded by its source's timeout, so many sources stay quick. */
const TEST_CONCURRENCY = 4;

const AFTER_DATABASE = 'migrations, queue, workers, sources and webhooks are checked once the database answers';

export class DoctorUsageError extends Error {}

export function parseDoctorArgs(args: string[]): DoctorOptions {
  try {
    const { values } = parseArgs({
      args,
      options: { 'skip-network': { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
    return { skipNetwork: values['skip-network'] === true };
  } catch (err) {
    throw new DoctorUsageError((err as Error).message);
  }
}

/**
 * `npm run cli -- doctor`: everything an operator checks when ATS Sync does not do its work, in the
 * order one depends on the other (configuration, database, schema, workers, sources, webhooks).
 * Returns the findings; the caller prints them and exits non-zero when one FAILs.
 */
export async function diagnose(
  deps: { db: () => Database; unreachable?: () => string | undefined },
  options: DoctorOptions,
): Promise<DoctorFinding[]> {
  const findings: DoctorFinding[] = [];
  const add = (f: DoctorFinding) => findings.push(f);

  let env: z.output<typeof launcherEnvSchema>;
  try {
    env = parseEnv(process.env, launcherEnvSchema);
    add({ check: 'configuration', status: 'OK', found: 'the environment (and .env) is valid' });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    add({
      check: 'configuration',
      status: 'FAIL',
      found: `invalid: ${err.problems.join('; ')}`,
      fix: 'correct these variables in the environment or .env (.env.example lists them all); nothing else can be checked until then',
    });
    return findings;
  }
  add(appUrlFinding(env));
  add(
    env.NEXTAUTH_SECRET
      ? { check: 'sign-in secret', status: 'OK', found: 'NEXTAUTH_SECRET is set' }
      : {
          check: 'sign-in secret',
          status: 'FAIL',
          found: 'NEXTAUTH_SECRET is not set: nobody can sign in',
          fix: 'set NEXTAUTH_SECRET (32 characters or more, the same for every web process), or run npm start once to generate one into .data/secrets.json',
        },
  );
  const keyring = encryptionKeyFinding(env, add);

  let db: Database;
  try {
    db = deps.db();
  } catch (err) {
    add({
      check: 'database',
      status: 'FAIL',
      found: (err as Error).message,
      fix: AFTER_DATABASE,
    });
    return findings;
  }
  const reached = await checkDatabase(db);
  if (!reached.ok) {
    const hint = reached.error === 'connection refused' ? deps.unreachable?.() : undefined;
    add({
      check: 'database',
      status: 'FAIL',
      found: hint ?? `cannot reach it: ${reached.error}`,
      fix: `${hint ? '' : 'check DATABASE_URL (host, port, user, password, database) and that PostgreSQL runs; '}${AFTER_DATABASE}`,
    });
    return findings;
  }
  add({ check: 'database', status: 'OK', found: `reachable (${reached.latency_ms} ms)` });

  const pending = await pendingMigrations(db);
  add(
    pending.length === 0
      ? { check: 'migrations', status: 'OK', found: 'all applied' }
      : {
          check: 'migrations',
          status: 'FAIL',
          found: `${pending.length} not applied: ${pending.join(', ')}`,
          fix: 'run npm run db:migrate (npm start applies them when it starts)',
        },
  );
  // On a database that is behind (or empty), a check can find its table missing: it reports that
  // and the others still run.
  const guarded = async (check: string, run: () => Promise<DoctorFinding | DoctorFinding[]>) => {
    try {
      for (const f of [await run()].flat()) add(f);
    } catch (err) {
      add({
        check,
        status: 'FAIL',
        found: `could not be checked: ${(err as Error).message}`,
        fix: pending.length ? 'apply the migrations first (above)' : 'see the message; the database may be damaged',
      });
    }
  };
  await guarded('queue', () => queueFinding(db, env.PGBOSS_SCHEMA));
  await guarded('workers', () => workersFinding(db));
  await guarded('sources', () => sourceFindings(db, keyring, options));
  await guarded('webhooks', () => webhookFindings(db));
  await guarded('alerts', () => alertFindings(db, env));
  await guarded('single sign-on', () => ssoFinding(env, options));
  return findings;
}

/** sso: the issuer's discovery document, read as a sign-in reads it (through the destination guard). */
async function ssoFinding(env: z.output<typeof launcherEnvSchema>, options: DoctorOptions): Promise<DoctorFinding> {
  const check = 'single sign-on';
  const config = ssoConfigOf(env as Env);
  if (!config) return { check, status: 'OK', found: 'not configured: people sign in with email and password' };
  if (options.skipNetwork)
    return { check, status: 'OK', found: `${config.issuer} configured; not contacted (--skip-network)` };
  const result = await checkIssuer(config);
  if (result.reachable) return { check, status: 'OK', found: `${config.issuer} answers its discovery document` };
  return {
    check,
    status: passwordSignInEnabled(env as Env) ? 'WARN' : 'FAIL',
    found: `${result.problem}${passwordSignInEnabled(env as Env) ? '' : ' (and PASSWORD_SIGN_IN=disabled: nobody can sign in)'}`,
    fix: 'check OIDC_ISSUER (the exact issuer: its discovery document is read from <issuer>/.well-known/openid-configuration), that this machine reaches it, and OUTBOUND_ALLOW_CIDRS when it is on an internal address',
  };
}

function appUrlFinding(env: { APP_URL?: string; PORT: number; NODE_ENV: string }): DoctorFinding {
  const check = 'APP_URL';
  if (!env.APP_URL) {
    const fallback = `http://localhost:${env.PORT}`;
    return env.NODE_ENV === 'production'
      ? {
          check,
          status: 'WARN',
          found: `not set: sign-in redirects and links in webhooks use ${fallback}`,
          fix: 'set APP_URL to the address people open, such as https://ats-sync.example.com',
        }
      : { check, status: 'OK', found: `not set: ${fallback} (fine on this machine; set it for a deployment)` };
  }
  const url = new URL(env.APP_URL);
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && !local)
    return {
      check,
      status: 'WARN',
      found: `${env.APP_URL} is plain http: session cookies are not marked Secure`,
      fix: 'serve it over https (behind a TLS proxy) and set APP_URL to the https address',
    };
  return { check, status: 'OK', found: env.APP_URL };
}

function encryptionKeyFinding(
  env: Pick<Env, 'APP_ENCRYPTION_KEY' | 'APP_ENCRYPTION_KEY_PREVIOUS'>,
  add: (f: DoctorFinding) => void,
): ReturnType<typeof getKeyring> | undefined {
  try {
    const keyring = getKeyring(env);
    add({
      check: 'encryption key',
      status: 'OK',
      found: env.APP_ENCRYPTION_KEY_PREVIOUS
        ? 'APP_ENCRYPTION_KEY is valid (APP_ENCRYPTION_KEY_PREVIOUS too)'
        : 'APP_ENCRYPTION_KEY is valid',
    });
    return keyring;
  } catch (err) {
    add({
      check: 'encryption key',
      status: 'FAIL',
      found: (err as Error).message,
      fix: 'set APP_ENCRYPTION_KEY to the key the source credentials were stored with (base64 of 32 bytes, or 64 hex characters)',
    });
    return undefined;
  }
}

async function queueFinding(db: Database, schema: string): Promise<DoctorFinding> {
  try {
    const { rows } = await sql<{ version: number }>`select version from ${sql.table(`${schema}.version`)}`.execute(db);
    if (rows.length)
      return { check: 'queue', status: 'OK', found: `pg-boss schema "${schema}", version ${rows[0].version}` };
  } catch {
    // A missing schema is reported below, like an empty one.
  }
  return {
    check: 'queue',
    status: 'FAIL',
    found: `the pg-boss schema "${schema}" is not installed`,
    fix: 'run npm run db:migrate (it installs the queue schema); PGBOSS_SCHEMA must be the same for web and worker',
  };
}

async function workersFinding(db: Database): Promise<DoctorFinding> {
  const rows = await db
    .selectFrom('worker_heartbeats')
    .select(['host', 'pid', 'last_seen', sql<number>`extract(epoch from now() - last_seen)`.as('age')])
    .orderBy('last_seen', 'desc')
    .execute();
  const alive = rows.filter((r) => Number(r.age) <= WORKER_ALIVE_SECONDS);
  if (alive.length > 0) {
    const newest = Math.max(0, Math.round(Number(alive[0].age)));
    return {
      check: 'workers',
      status: 'OK',
      found: `${alive.length} alive (newest heartbeat ${newest} s ago)`,
    };
  }
  const last = rows[0];
  return {
    check: 'workers',
    status: 'FAIL',
    found: last
      ? `no worker alive: the last heartbeat came ${describeAge(Number(last.age))} ago, from ${last.host} (pid ${last.pid})`
      : 'no worker has ever run against this database',
    fix: 'start one with npm run worker (npm start runs one) and read its log: nothing is delivered without a worker',
  };
}

function describeAge(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

const HEALTH_FIX: Record<string, string> = {
  auth_failed: 'the source refuses its credentials: update them on /sync-admin/sources',
  unreachable: 'check the base URL, DNS and firewall; an internal address must be opened with OUTBOUND_ALLOW_CIDRS',
  degraded: 'read its last error on /sync-admin/sources and the source’s own status',
};

async function sourceFindings(
  db: Database,
  keyring: ReturnType<typeof getKeyring> | undefined,
  options: DoctorOptions,
): Promise<DoctorFinding[]> {
  const sources = await listSourceRows(db);
  if (sources.length === 0)
    return [
      {
        check: 'sources',
        status: 'WARN',
        found: 'none configured: a sync has nowhere to go',
        fix: 'add one on /sync-admin/sources or with POST /api/v1/sources',
      },
    ];
  const pauses = await findSourcePauseStates(
    db,
    sources.map((s) => s.id),
  );
  const limit = pLimit(TEST_CONCURRENCY);
  return Promise.all(sources.map((s) => limit(() => sourceFinding(db, s, pauses.get(s.id), keyring, options))));
}

async function sourceFinding(
  db: Database,
  source: Source,
  pause: SourcePauseState | undefined,
  keyring: ReturnType<typeof getKeyring> | undefined,
  options: DoctorOptions,
): Promise<DoctorFinding> {
  const check = `source "${source.name}"`;
  if (!source.is_active) return { check, status: 'OK', found: 'inactive: nothing is sent to it (not tested)' };
  if (!keyring)
    return { check, status: 'FAIL', found: 'not checked: no valid APP_ENCRYPTION_KEY', fix: 'see encryption key' };
  for (const stored of [source.auth_secret_encrypted, source.signing_secret_encrypted]) {
    if (!stored) continue;
    try {
      decryptSecret(keyring, stored);
    } catch {
      return {
        check,
        status: 'FAIL',
        found: 'its stored credentials cannot be decrypted with APP_ENCRYPTION_KEY',
        fix: 'set APP_ENCRYPTION_KEY back to the key they were stored with (or give that key as APP_ENCRYPTION_KEY_PREVIOUS), or enter the credentials again',
      };
    }
  }
  const paused = pause
    ? `paused (${pause.kind === 'admin' ? `by an admin: ${pause.reason}` : pause.reason}${pause.until ? ` until ${pause.until}` : ''}); `
    : '';
  const pauseFix = pause?.kind === 'admin' ? 'resume it on /sync-admin/sources when it may receive again' : undefined;

  if (options.skipNetwork) {
    const health = source.health_status;
    const checkedAt = source.health_checked_at ? ` (checked ${source.health_checked_at.toISOString()})` : '';
    if (health === 'healthy' || health === 'unknown') {
      const found = `${paused}${health === 'healthy' ? 'healthy' : 'never tested'}${checkedAt}; not tested now (--skip-network)`;
      return pause
        ? { check, status: 'WARN', found, fix: pauseFix ?? 'it resumes by itself' }
        : { check, status: 'OK', found };
    }
    return {
      check,
      status: health === 'degraded' ? 'WARN' : 'FAIL',
      found: `${paused}${health}${checkedAt}${source.health_error ? `: ${source.health_error}` : ''}; not tested now (--skip-network)`,
      fix: HEALTH_FIX[health],
    };
  }

  let result: TestResult;
  try {
    result = await testSource(db, DOCTOR_ACTOR, source.id);
  } catch (err) {
    return {
      check,
      status: 'FAIL',
      found: `connection test could not run: ${isAppError(err) ? err.message : 'unexpected error'}`,
      fix: 'open the source on /sync-admin/sources and save its settings again',
    };
  }
  const answer = result.http_status ? `HTTP ${result.http_status}` : (result.error_code ?? 'no answer');
  if (result.ok) {
    const found = `${paused}connection test passed (${answer}${result.latency_ms !== null ? `, ${result.latency_ms} ms` : ''})`;
    return pause
      ? { check, status: 'WARN', found, fix: pauseFix ?? 'it resumes by itself' }
      : { check, status: 'OK', found };
  }
  const fix =
    result.error_code === 'destination_blocked'
      ? 'the outbound guard refuses this address: open it with OUTBOUND_ALLOW_CIDRS if it is meant to be internal'
      : HEALTH_FIX[result.status];
  return {
    check,
    status: result.status === 'degraded' ? 'WARN' : 'FAIL',
    found: `${paused}connection test: ${result.status} (${answer})${result.error ? `: ${result.error}` : ''}`,
    fix,
  };
}

async function webhookFindings(db: Database): Promise<DoctorFinding[]> {
  const endpoints = await listEndpointRows(db);
  if (endpoints.length === 0) return [{ check: 'webhooks', status: 'OK', found: 'no completion webhook endpoints' }];
  return endpoints.map((e): DoctorFinding => {
    const check = `webhook "${e.name}"`;
    const lastError = e.last_error ? `: ${e.last_error.slice(0, 200)}` : '';
    if (e.disabled_at || !e.is_active)
      return {
        check,
        status: 'WARN',
        found:
          e.disabled_kind === 'failing'
            ? `disabled after failing since ${e.failing_since?.toISOString() ?? e.disabled_at?.toISOString()}${lastError}`
            : `disabled${e.disabled_reason ? `: ${e.disabled_reason}` : ''}`,
        fix: 'fix the receiver, then enable it again on /sync-admin/webhooks (and redeliver what it missed)',
      };
    if (e.failing_since || e.consecutive_failures > 0)
      return {
        check,
        status: 'WARN',
        found: `failing${e.failing_since ? ` since ${e.failing_since.toISOString()}` : ''} (${e.consecutive_failures} deliveries failed in a row)${lastError}`,
        fix: 'check the receiver at its URL; it is disabled automatically after WEBHOOK_DISABLE_AFTER_DAYS days of failures',
      };
    return { check, status: 'OK', found: `enabled, ${e.retrying} deliveries retrying` };
  });
}

/**
 * Alerts (issue 23): whether anybody will be told. Email channels without SMTP_URL cannot send; a
 * channel whose last message failed will not either; no recent evaluation means no web or worker
 * process runs (each evaluates every ALERTS_EVALUATE_SECONDS).
 */
async function alertFindings(
  db: Database,
  env: Pick<Env, 'SMTP_URL' | 'ALERTS_EVALUATE_SECONDS'>,
): Promise<DoctorFinding[]> {
  const [rules, channels, evaluatedAt] = await Promise.all([
    listRuleRows(db),
    listChannelRows(db),
    findEvaluatedAt(db),
  ]);
  const enabledRules = rules.filter((r) => r.enabled);
  if (enabledRules.length === 0) {
    return [{ check: 'alerts', status: 'OK', found: 'no alert rule is on (set them up on /sync-admin/alerts)' }];
  }
  const findings: DoctorFinding[] = [];
  const staleAfter = Math.max(60, env.ALERTS_EVALUATE_SECONDS * 4) * 1000;
  const age = evaluatedAt ? Date.now() - evaluatedAt.getTime() : null;
  findings.push(
    age !== null && age < staleAfter
      ? {
          check: 'alerts',
          status: 'OK',
          found: `${enabledRules.length} rule(s) on, evaluated ${Math.round(age / 1000)} s ago`,
        }
      : {
          check: 'alerts',
          status: 'WARN',
          found: `${enabledRules.length} rule(s) on, but ${age === null ? 'never evaluated' : `last evaluated ${Math.round(age / 1000)} s ago`}`,
          fix: 'alerts are evaluated by the running web (npm start) and worker processes: start one',
        },
  );
  for (const c of channels.filter((ch) => ch.enabled)) {
    const check = `alert channel "${c.name}"`;
    if (c.kind === 'email' && !env.SMTP_URL) {
      findings.push({
        check,
        status: 'FAIL',
        found: 'an email channel, but SMTP_URL is not set: its alerts are not sent',
        fix: 'set SMTP_URL (smtp://user:password@host:587 or smtps://…:465) and ALERT_EMAIL_FROM on the web and worker processes',
      });
    } else if (c.last_ok === false) {
      findings.push({
        check,
        status: 'WARN',
        found: `the last message failed (${c.last_at?.toISOString()}): ${c.last_error_code}: ${c.last_error_message?.slice(0, 200) ?? ''}`,
        fix: 'fix what the error says, then press Test on /sync-admin/alerts',
      });
    } else {
      findings.push({
        check,
        status: 'OK',
        found: c.last_ok ? `last message sent ${c.last_at?.toISOString()}` : 'nothing sent yet',
      });
    }
  }
  return findings;
}

/**
 * Names and stored errors come from admins and from remote answers (a receiver's error text): no
 * control character of theirs reaches the operator's terminal, where one could rewrite the screen.
 */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Prints the findings as aligned lines, each WARN and FAIL followed by what to do; returns the exit code. */
export function printDoctorReport(findings: DoctorFinding[], output: CliOutput): number {
  const width = Math.min(40, Math.max(...findings.map((f) => f.check.length)));
  for (const f of findings) {
    output.out(`${f.status.padEnd(4)}  ${printable(f.check).padEnd(width)}  ${printable(f.found)}`);
    if (f.fix && f.status !== 'OK') output.out(`${' '.repeat(width + 8)}-> ${f.fix}`);
  }
  const count = (s: DoctorStatus) => findings.filter((f) => f.status === s).length;
  const failed = count('FAIL');
  output.out('');
  output.out(
    `${failed} FAIL, ${count('WARN')} WARN, ${count('OK')} OK${failed ? ': fix the FAIL lines first, top down' : ''}`,
  );
  return failed > 0 ? 1 : 0;
}
