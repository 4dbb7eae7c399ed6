import path from 'node:path';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '@/db/embedded';
import { ConfigError } from '@/lib/env';
import { embeddedDatabasePassword } from './local-secrets';

const DATABASE = 'ats_sync';
const USER = 'postgres';

/** EMBEDDED_PG_PORT, read before the full configuration can be: there is no DATABASE_URL yet. */
export function embeddedPort(env: NodeJS.ProcessEnv): number {
  const port = Number(env.EMBEDDED_PG_PORT ?? 54329);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new ConfigError([`EMBEDDED_PG_PORT: must be a port number`]);
  return port;
}

/**
 * The embedded database of `npm start`: cluster in `<dataDir>/postgres`, password generated into
 * `<dataDir>/secrets.json` at the first start (a cluster from before generated passwords is moved
 * to it then).
 */
export function startLocalDatabase(options: {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const password = embeddedDatabasePassword(options.dataDir, { create: true }) as string;
  return startEmbeddedPostgres({
    dataDir: path.join(options.dataDir, 'postgres'),
    port: options.port,
    database: DATABASE,
    password,
    onLog: options.onLog,
  });
}

/** The URL of that database for other commands (the CLI); undefined until `npm start` has made a password. */
export function localDatabaseUrl(dataDir: string, port: number): string | undefined {
  const password = embeddedDatabasePassword(dataDir, { create: false });
  return password ? `postgres://${USER}:${password}@127.0.0.1:${port}/${DATABASE}` : undefined;
}
