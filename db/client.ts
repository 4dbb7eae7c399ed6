import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
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

const PREPARE_MARK = '/* prepared */';

/**
 * Put first in a hot statement whose text never changes (every value a parameter): it is then
 * prepared once per connection instead of parsed and planned on every execution, and after five
 * executions PostgreSQL keeps one generic plan. The claim and record statements of every delivery
 * batch spent 15-18 % of their database time planning.
 */
export const prepared = sql.raw(`${PREPARE_MARK}\n`);

const preparedNames = new Map<string, string>();

function preparedName(text: string): string {
  let name = preparedNames.get(text);
  if (!name) {
    name = `ats_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    if (preparedNames.size > 100) preparedNames.clear();
    preparedNames.set(text, name);
  }
  return name;
}

/** A pg client that sends statements marked `prepared` as named (prepared) statements. */
class PreparingClient extends pg.Client {
  override query(...args: any[]): any {
    const [text, values] = args;
    if (args.length === 2 && typeof text === 'string' && text.startsWith(PREPARE_MARK)) {
      return super.query({ name: preparedName(text), text, values });
    }
    return (super.query as (...a: any[]) => any)(...args);
  }
}

export function createDb(connectionString: string, options: DbOptions = {}): Database {
  const pool = new pg.Pool({
    Client: PreparingClient,
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
