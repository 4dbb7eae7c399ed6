/**
 * A throw-away copy of the whole product for benchmarks: an embedded PostgreSQL in a temp dir,
 * migrations, a production web server and worker processes started the way `npm start` starts
 * them, and an admin API token. Everything is stopped and removed by `stop()`, also on Ctrl-C.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { sql } from 'kysely';
import pg from 'pg';
import { createDb, type Database } from '@/db/client';
import { type EmbeddedDatabase, generateDatabasePassword, startEmbeddedPostgres } from '@/db/embedded';
import { migrateToLatest } from '@/db/migrate';
import { isBuildCurrent } from './build-marker';
import { readProcStat, USER_HZ } from './proc-stat';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const require = createRequire(import.meta.url);

export function say(line: string): void {
  process.stdout.write(`bench | ${line}\n`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function waitForExit(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? 1);
    else child.once('exit', (code) => resolve(code ?? 1));
  });
}

/** CPU seconds (user + system) of a process and all its descendants, living or reaped, from /proc (Linux only). */
export function treeCpuSeconds(rootPid: number): number {
  if (!existsSync('/proc')) return Number.NaN;
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(entry);
    if (!stat) continue; // the process ended meanwhile
    parent.set(Number(entry), stat.ppid);
    // Its own, plus its reaped children's: a backend that has exited stays counted in its parent.
    cpu.set(Number(entry), stat.ownTicks + stat.reapedTicks);
  }
  let ticks = 0;
  const stack = [rootPid];
  const seen = new Set<number>();
  while (stack.length) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    ticks += cpu.get(pid) ?? 0;
    for (const [child, ppid] of parent) if (ppid === pid) stack.push(child);
  }
  return ticks / USER_HZ;
}

export type CpuSnapshot = Record<string, number>;

export type Stack = {
  baseUrl: string;
  databaseUrl: string;
  token: string;
  pgStatements: boolean;
  db: Database;
  workers: () => number;
  /** Stops the running workers and starts `n` new ones; resolves when all heartbeat. */
  setWorkers: (n: number) => Promise<void>;
  cpu: () => CpuSnapshot;
  /** Process ids of the running children by name (web, worker1, …), e.g. for memory readings. */
  pids: () => Record<string, number>;
  stop: () => Promise<void>;
};

/**
 * `npm run build` when the sources changed since the last build. Another build of the same tree
 * may be running (next build refuses a second one): wait for it and look again. A failed build
 * with a complete earlier one in .next still measures the engine, with a warning.
 */
async function ensureBuild(): Promise<void> {
  for (let attempt = 1; !isBuildCurrent(root); attempt++) {
    say('no current production build: running npm run build (about a minute)');
    const build = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/build.ts')], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if ((await waitForExit(build)) === 0) return;
    if (attempt < 4) {
      say('npm run build failed (another build running?): trying again in 30 s');
      await sleep(30_000);
      continue;
    }
    if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) throw new Error('npm run build failed');
    say('npm run build failed: using the previous build in .next (it may not match the sources)');
    return;
  }
}

async function runSql(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function startStack(options: { workers: number; onChildLine?: (name: string, line: string) => void }) {
  const onLine = options.onChildLine ?? ((name, line) => process.stdout.write(`${name.padEnd(7)}| ${line}\n`));
  // Per-statement database time for the reports; BENCH_PG_STATEMENTS=0 leaves it out.
  const pgStatements = process.env.BENCH_PG_STATEMENTS !== '0';
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ats-bench-sync-'));
  // As root the database runs as the `postgres` user, which must be able to reach its data dir.
  chmodSync(tmp, 0o755);
  const children = new Map<string, ChildProcess>();
  let embedded: EmbeddedDatabase | undefined;
  let db: Database | undefined;
  let stopping: Promise<void> | undefined;
  let expectExit = false;

  const stop = () => {
    stopping ??= (async () => {
      expectExit = true;
      for (const child of children.values()) child.kill('SIGTERM');
      const killer = setTimeout(() => {
        for (const child of children.values()) child.kill('SIGKILL');
      }, 20_000);
      await Promise.all([...children.values()].map(waitForExit));
      clearTimeout(killer);
      await db?.destroy().catch(() => {});
      if (embedded) await embedded.stop().catch((err) => say(`database stop failed: ${err.message}`));
      rmSync(tmp, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    const pgPort = await freePort();
    say(`embedded PostgreSQL on 127.0.0.1:${pgPort} in ${tmp}`);
    const pgOptions = {
      dataDir: path.join(tmp, 'postgres'),
      port: pgPort,
      database: 'ats_sync_bench',
      password: generateDatabasePassword(),
      onLog: (line: string) => {
        // Every line to a file of one's choice, for experiments (auto_explain through BENCH_PG_SETTINGS).
        if (process.env.BENCH_PG_LOG) appendFileSync(process.env.BENCH_PG_LOG, `${line}\n`);
        if (/ERROR|FATAL|PANIC/.test(line) && !/database system is shutting down/.test(line)) onLine('db', line);
      },
    };
    embedded = await startEmbeddedPostgres(pgOptions);
    const settings = (process.env.BENCH_PG_SETTINGS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => s.split('=').map((p) => p.trim()));
    for (const [name, value] of settings) {
      if (!/^[a-z_.]+$/.test(name ?? '') || !/^[\w.-]+$/.test(value ?? ''))
        throw new Error(`BENCH_PG_SETTINGS: "${name}=${value}" is not name=value`);
    }
    if (pgStatements || settings.length) {
      // Both need a restart: pg_stat_statements is a preloaded library.
      const admin = new pg.Client({ connectionString: embedded.adminUrl });
      await admin.connect();
      try {
        if (pgStatements) await admin.query(`alter system set shared_preload_libraries = 'pg_stat_statements'`);
        for (const [name, value] of settings) await admin.query(`alter system set ${name} = '${value}'`);
      } finally {
        await admin.end();
      }
      await embedded.stop();
      embedded = await startEmbeddedPostgres(pgOptions);
      if (settings.length) say(`PostgreSQL settings: ${settings.map((s) => s.join('=')).join(', ')}`);
    }
    await migrateToLatest(embedded.url, { bossSchema: 'pgboss' });
    if (pgStatements) await runSql(embedded.url, 'create extension if not exists pg_stat_statements');

    await ensureBuild();

    const webPort = await freePort();
    const baseUrl = `http://127.0.0.1:${webPort}`;
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: embedded.url,
      NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
      NEXTAUTH_URL: baseUrl,
      APP_URL: baseUrl,
      APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      SEED_DEMO: 'false',
      PORT: String(webPort),
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      DATA_DIR: tmp,
      // The bench's receivers listen on loopback, which the outbound guard closes by default.
      OUTBOUND_ALLOW_CIDRS: process.env.OUTBOUND_ALLOW_CIDRS || '127.0.0.1/32',
    };
    // The services below read the same configuration as the children.
    Object.assign(process.env, {
      DATABASE_URL: childEnv.DATABASE_URL,
      APP_ENCRYPTION_KEY: childEnv.APP_ENCRYPTION_KEY,
      NEXTAUTH_SECRET: childEnv.NEXTAUTH_SECRET,
      LOG_LEVEL: childEnv.LOG_LEVEL,
      SEED_DEMO: 'false',
      OUTBOUND_ALLOW_CIDRS: childEnv.OUTBOUND_ALLOW_CIDRS,
    });

    const retiring = new Set<ChildProcess>();
    // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every child when it exits (open in Chrome DevTools).
    const profile = process.env.BENCH_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`]
      : [];
    // BENCH_NODE_FLAGS="--trace-gc ..." for the children too (Node refuses some flags in NODE_OPTIONS).
    profile.push(...(process.env.BENCH_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? []));
    const run = (name: string, args: string[], env: NodeJS.ProcessEnv) => {
      const child = spawn(process.execPath, [...profile, ...args], {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.set(name, child);
      for (const stream of [child.stdout, child.stderr]) {
        readline.createInterface({ input: stream! }).on('line', (line) => onLine(name, line));
      }
      child.on('exit', (code, signal) => {
        children.delete(name);
        if (!expectExit && !retiring.has(child)) onLine(name, `exited unexpectedly (${signal ?? `code ${code}`})`);
      });
      return child;
    };

    run('web', [require.resolve('next/dist/bin/next'), 'start', '-p', String(webPort)], {
      ...childEnv,
      ATS_PROCESS: 'web',
    });

    db = createDb(embedded.url, { max: 4, applicationName: 'ats-sync-bench' });
    const benchDb = db;
    let workerCount = 0;
    const setWorkers = async (n: number) => {
      const old = [...children.entries()].filter(([name]) => name.startsWith('worker'));
      for (const [, child] of old) {
        retiring.add(child);
        child.kill('SIGTERM');
      }
      await Promise.all(old.map(([, child]) => waitForExit(child)));
      await benchDb.deleteFrom('worker_heartbeats').execute();
      for (let i = 1; i <= n; i++) {
        run(`worker${i}`, ['--import', 'tsx', path.join(root, 'worker/index.ts')], {
          ...childEnv,
          ATS_PROCESS: 'worker',
        });
      }
      workerCount = n;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const { count } = await benchDb
          .selectFrom('worker_heartbeats')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .executeTakeFirstOrThrow();
        if (Number(count) >= n) return;
        await sleep(200);
      }
      throw new Error(`${n} worker(s) did not start within 60 s`);
    };
    await setWorkers(options.workers);

    const healthDeadline = Date.now() + 120_000;
    for (;;) {
      const ok = await fetch(`${baseUrl}/api/health`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) break;
      if (Date.now() > healthDeadline) throw new Error('the web server did not become healthy within 120 s');
      await sleep(300);
    }

    const { systemActor } = await import('@/lib/auth/actor');
    const { createUser } = await import('@/lib/users/service');
    const { createApiToken } = await import('@/lib/tokens/service');
    const user = await createUser(db, systemActor('bench'), {
      email: 'bench-admin@example.test',
      name: 'Bench Admin',
      role: 'admin',
      password: randomBytes(18).toString('base64url'),
    });
    const { token } = await createApiToken(
      db,
      { kind: 'user', id: user.id, email: user.email, name: user.name, role: user.role, via: 'cli' },
      { name: 'bench-sync' },
    );

    const postmasterPid = () => {
      try {
        return Number(readFileSync(path.join(tmp, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
      } catch {
        return 0;
      }
    };
    const cpu = (): CpuSnapshot => {
      const snap: CpuSnapshot = {};
      for (const [name, child] of children) if (child.pid) snap[name] = treeCpuSeconds(child.pid);
      snap.postgres = treeCpuSeconds(postmasterPid());
      const own = process.cpuUsage();
      snap.bench = (own.user + own.system) / 1e6;
      return snap;
    };

    return {
      baseUrl,
      databaseUrl: embedded.url,
      token,
      pgStatements,
      db,
      workers: () => workerCount,
      setWorkers,
      cpu,
      pids: () => Object.fromEntries([...children].flatMap(([name, child]) => (child.pid ? [[name, child.pid]] : []))),
      stop,
    } satisfies Stack;
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Queue rows exist once a worker has registered the source (it reconciles every 3 s). */
export async function waitForQueues(db: Database, names: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from pgboss.queue where name = any(${names})`.execute(db);
    if (rows[0].n >= names.length) return;
    await sleep(100);
  }
  throw new Error(`queues ${names.join(', ')} were not created within ${timeoutMs / 1000} s`);
}

/**
 * Runs a benchmark on a fresh stack and removes it at the end, also on Ctrl-C or SIGTERM. A
 * receiver in the bench's own process (bench:load's mock) needs no such care: it ends with it.
 */
export async function withStack<T>(options: { workers: number }, body: (stack: Stack) => Promise<T>): Promise<T> {
  let stack: Stack | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () => {
    cleaning ??= (async () => {
      await stack?.stop();
    })();
    return cleaning;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      say(`${signal}: stopping and cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  try {
    stack = await startStack({ workers: options.workers });
    return await body(stack);
  } finally {
    say('cleaning up');
    await cleanup();
  }
}
