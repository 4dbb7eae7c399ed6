import { sql } from 'kysely';
import { pendingMigrations } from '@/db/migrate';
import type { Database } from '@/db/client';
import { type CheckResult, checkDatabase } from './check-database';

/** A worker whose heartbeat (every 10 s) is older than this is taken for dead. */
export const WORKER_ALIVE_SECONDS = 30;

export type ReadinessCheck = CheckResult & { detail?: Record<string, unknown> };

/**
 * Checks whose failure does not make the web unready. Without a worker the web still answers,
 * accepts syncs (they wait in the queue) and shows the outage on the dashboard; a load balancer
 * that took every web process out for it would turn a worker outage into a full one.
 */
export const ADVISORY_CHECKS: readonly (keyof Readiness['checks'])[] = ['workers'];

export type Readiness = {
  /** ok: all checks pass; degraded: only advisory checks fail (still ready); unavailable: not ready. */
  status: 'ok' | 'degraded' | 'unavailable';
  /** Names of the required checks that failed, in the order they ran. */
  failing: string[];
  /** Names of the advisory checks that failed (see ADVISORY_CHECKS). */
  warnings: string[];
  checks: { database: ReadinessCheck; migrations: ReadinessCheck; queue: ReadinessCheck; workers: ReadinessCheck };
};

async function timed(fn: () => Promise<Omit<ReadinessCheck, 'latency_ms'>>): Promise<ReadinessCheck> {
  const started = performance.now();
  try {
    const result = await fn();
    return { ...result, latency_ms: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      ok: false,
      latency_ms: Math.round(performance.now() - started),
      error: (err as Error).message.slice(0, 200),
    };
  }
}

/**
 * Whether this web process can serve: the database answers and its schema is current (ours and
 * pg-boss's). Whether a worker is alive to send what the web accepts is reported too, as a
 * warning (ADVISORY_CHECKS). The database goes first and is bounded in time; when it is down the
 * other checks are not attempted.
 */
export async function checkReadiness(db: Database, options: { bossSchema: string }): Promise<Readiness> {
  const database = await checkDatabase(db);
  const skipped: ReadinessCheck = { ok: false, latency_ms: 0, error: 'not checked: the database is unreachable' };
  let migrations = skipped;
  let queue = skipped;
  let workers = skipped;
  if (database.ok) {
    [migrations, queue, workers] = await Promise.all([
      timed(async () => {
        const pending = await pendingMigrations(db);
        return pending.length === 0
          ? { ok: true }
          : { ok: false, error: `pending migrations: ${pending.join(', ')}; run npm run db:migrate` };
      }),
      timed(async () => {
        const { rows } = await sql<{
          version: number;
        }>`select version from ${sql.table(`${options.bossSchema}.version`)}`.execute(db);
        return rows.length
          ? { ok: true, detail: { schema: options.bossSchema, version: Number(rows[0].version) } }
          : { ok: false, error: `the pg-boss schema "${options.bossSchema}" has no version: run npm run db:migrate` };
      }),
      timed(async () => {
        const row = await db
          .selectFrom('worker_heartbeats')
          .select((eb) => eb.fn.countAll<number>().as('alive'))
          .where('last_seen', '>', sql<Date>`now() - make_interval(secs => ${WORKER_ALIVE_SECONDS})`)
          .executeTakeFirstOrThrow();
        return row.alive > 0
          ? { ok: true, detail: { alive: row.alive } }
          : {
              ok: false,
              error: `no worker heartbeat in the last ${WORKER_ALIVE_SECONDS} s: start one with npm run worker`,
            };
      }),
    ]);
  }
  const checks = { database, migrations, queue, workers };
  const failed = Object.entries(checks)
    .filter(([, c]) => !c.ok)
    .map(([name]) => name);
  const warnings = failed.filter((name) => (ADVISORY_CHECKS as string[]).includes(name));
  const failing = failed.filter((name) => !warnings.includes(name));
  return { status: failing.length ? 'unavailable' : warnings.length ? 'degraded' : 'ok', failing, warnings, checks };
}

/** What everyone but admins sees: whether each check passed. No error text, versions, migration names or timings. */
export type ReadinessSummary = {
  status: Readiness['status'];
  checks: Record<keyof Readiness['checks'], { ok: boolean }>;
};

export function summariseReadiness(readiness: Readiness): ReadinessSummary {
  const { database, migrations, queue, workers } = readiness.checks;
  return {
    status: readiness.status,
    checks: {
      database: { ok: database.ok },
      migrations: { ok: migrations.ok },
      queue: { ok: queue.ok },
      workers: { ok: workers.ok },
    },
  };
}
