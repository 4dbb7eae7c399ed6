import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '@/db/embedded';
import { ConfigError } from '@/lib/env';
import { embeddedDatabasePassword } from './local-secrets';

const DATABASE = 'ats_sync';
const USER = 'postgres';

/** EMBEDDED_PG_PORT, read before the full configuration can be: there is no DATABASE_URL yet. */
export function embeddedPort(env: Record<string, string | undefined>): number {
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
export async function startLocalDatabase(options: {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const password = embeddedDatabasePassword(options.dataDir, { create: true }) as string;
  const database = await startEmbeddedPostgres({
    dataDir: path.join(options.dataDir, 'postgres'),
    port: options.port,
    database: DATABASE,
    password,
    onLog: options.onLog,
    variables: { dataDir: 'DATA_DIR', ownDatabase: 'DATABASE_URL' },
  });
  recordServer(options.dataDir, { port: options.port, pid: process.pid, started_at: new Date().toISOString() });
  return database;
}

/**
 * Where the running `npm start` put its database, so the CLI finds it whatever EMBEDDED_PG_PORT
 * npm start was given. Kept after a stop: the pid then tells that it no longer runs.
 */
const serverRecordSchema = z.object({
  port: z.number().int().min(1).max(65535),
  pid: z.number().int().positive(),
  started_at: z.string(),
  // What npm start chose for its web and worker without being told (its PORT, and the loopback it
  // opens for the demo's mock receiver), so the CLI beside it judges the same way: `doctor`'s
  // connection test of a demo source goes through the same destination guard.
  web: z.object({ port: z.number().int().min(1).max(65535), outbound_allow_cidrs: z.string().optional() }).optional(),
});
type ServerRecord = z.infer<typeof serverRecordSchema>;

function serverFile(dataDir: string): string {
  return path.join(dataDir, 'embedded.json');
}

function recordServer(dataDir: string, record: ServerRecord): void {
  writeFileSync(serverFile(dataDir), `${JSON.stringify(record, null, 2)}\n`);
}

/** Adds what npm start decided for web and worker to its record, once it decided it. */
export function recordServerSettings(dataDir: string, web: NonNullable<ServerRecord['web']>): void {
  const record = readServerRecord(dataDir);
  if (record) recordServer(dataDir, { ...record, web });
}

/**
 * Gives the CLI the settings of the npm start whose database it uses, where the environment does
 * not set them itself: only while that npm start runs.
 */
export function applyServerSettings(dataDir: string, env: Record<string, string | undefined>): void {
  const record = readServerRecord(dataDir);
  if (!record?.web || !isRunning(record.pid)) return;
  env.PORT ??= String(record.web.port);
  if (record.web.outbound_allow_cidrs && !env.OUTBOUND_ALLOW_CIDRS)
    env.OUTBOUND_ALLOW_CIDRS = record.web.outbound_allow_cidrs;
}

function readServerRecord(dataDir: string): ServerRecord | undefined {
  try {
    const parsed = serverRecordSchema.safeParse(JSON.parse(readFileSync(serverFile(dataDir), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as { code?: string }).code === 'EPERM';
  }
}

export type LocalDatabase =
  | { found: true; url: string; port: number; unreachable: string }
  | { found: false; problem: string };

/**
 * The database of `npm start` for other commands (the CLI): its port as npm start recorded it,
 * its generated password, and what to tell the user when it is not there or does not answer.
 */
export function findLocalDatabase(dataDir: string, env: Record<string, string | undefined>): LocalDatabase {
  const password = embeddedDatabasePassword(dataDir, { create: false });
  if (!password)
    return {
      found: false,
      problem:
        `DATABASE_URL is not set and there is no embedded database in ${dataDir}: ` +
        'set DATABASE_URL, or run npm start once (it creates the embedded database)',
    };
  const record = readServerRecord(dataDir);
  if (record && !isRunning(record.pid))
    return {
      found: false,
      problem:
        `npm start is not running (it last ran its embedded PostgreSQL on port ${record.port}, ` +
        `as process ${record.pid}): start it with npm start in another terminal, or set DATABASE_URL`,
    };
  // No record: an npm start from before the record existed, running on the port it was given.
  const port = record?.port ?? embeddedPort(env);
  return {
    found: true,
    url: `postgres://${USER}:${password}@127.0.0.1:${port}/${DATABASE}`,
    port,
    unreachable: `nothing answers on 127.0.0.1:${port}, the embedded PostgreSQL of npm start: is npm start running? Start it with npm start, or set DATABASE_URL`,
  };
}
