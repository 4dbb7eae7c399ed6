import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './types';

// COUNT(*) and bigint columns come back as strings by default; our counts fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number.parseFloat(v));
// A date column is a calendar day: as a JS Date it would shift with the process's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Database = Kysely<DB>;

export type DbOptions = {
  max?: number;
  applicationName?: string;
  /** false: commits do not wait for the WAL flush (synchronous_commit = off for every connection). */
  synchronousCommit?: boolean;
};

export function createDb(connectionString: string, options: DbOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'ats-sync',
    ...(options.synchronousCommit === false ? { options: '-c synchronous_commit=off' } : {}),
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // A dropped connection (database restart) must not crash the process; the pool reconnects.
  pool.on('error', () => {});
  // A socket that dies mid-query emits 'error' on the checked-out client, which the pool no longer
  // listens to; unheard it would end the process. The query itself rejects with the same error.
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
