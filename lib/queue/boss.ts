import { PgBoss } from 'pg-boss';
import type { Env } from '@/lib/env';
import { getLogger } from '@/lib/logger';

/**
 * A pg-boss instance for this process. The web only sends jobs (no supervision, no cron);
 * workers supervise, run schedules and listen for NOTIFY so a queued job starts in milliseconds.
 */
export function createBoss(env: Env, role: 'web' | 'worker', options: { max?: number } = {}): PgBoss {
  const boss = new PgBoss({
    // The worker's job bookkeeping (fetch, complete, retry) does not wait for the WAL flush: a
    // state change lost in a database crash only makes a job run again, and running a delivery job
    // again sends nothing twice that was recorded, and nothing unrecorded under a new key (README,
    // "Durability"). The web's sends stay synchronous: a 202 means the run and its job are on disk.
    ...(role === 'worker' ? { options: '-c synchronous_commit=off' } : {}),
    connectionString: env.DATABASE_URL,
    schema: env.PGBOSS_SCHEMA,
    application_name: `ats-sync-${role}-boss`,
    max: options.max ?? (role === 'web' ? 4 : 10),
    supervise: role === 'worker',
    // How often expired jobs and missed heartbeats are found (both timers gate that pass): a killed
    // worker's jobs come back within seconds rather than a minute.
    superviseIntervalSeconds: 5,
    monitorIntervalSeconds: 10,
    schedule: role === 'worker',
    migrate: false,
    useListenNotify: role === 'worker',
  });
  const log = getLogger().child({ component: 'pg-boss' });
  boss.on('error', (err) => log.error({ err }, 'pg-boss error'));
  return boss;
}
