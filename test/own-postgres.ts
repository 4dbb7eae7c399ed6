import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type EmbeddedDatabase, generateDatabasePassword, startEmbeddedPostgres } from '@/db/embedded';
import { migrateToLatest } from '@/db/migrate';
import { freePort } from '@/test/setup/global-setup';

export type OwnPostgres = {
  url: string;
  /** Fast shutdown (SIGINT): every connection is cut, new ones are refused until start(). */
  stop: () => Promise<void>;
  /** Starts the same cluster again, same port and data. */
  start: () => Promise<void>;
  /** Stops the cluster and removes its data. */
  destroy: () => Promise<void>;
};

/**
 * A PostgreSQL cluster of the test's own (temp dir, free port), migrated, for tests that stop and
 * restart the database: the cluster shared by all test files must never be restarted.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ats-faults-pg-'));
  // As root the server runs as the `postgres` user, which must reach its data dir.
  chmodSync(dir, 0o755);
  const options = {
    dataDir: path.join(dir, 'data'),
    port: await freePort(),
    database: 'ats_faults',
    password: generateDatabasePassword(),
  };
  let server: EmbeddedDatabase | undefined;
  try {
    server = await startEmbeddedPostgres(options);
    await migrateToLatest(server.url, { bossSchema: 'pgboss' });
  } catch (err) {
    // The caller gets no handle to destroy: nothing may be left running or in the temp dir.
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const url = server.url;
  const stop = async () => {
    const s = server;
    server = undefined;
    await s?.stop();
  };
  return {
    url,
    stop,
    start: async () => {
      server ??= await startEmbeddedPostgres(options);
    },
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
