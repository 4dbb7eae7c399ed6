/**
 * `npm start` / `npm run dev`: the whole product in one command. Starts an embedded PostgreSQL
 * when DATABASE_URL is unset, migrates, seeds demo data on an empty database, builds when the
 * sources changed, then runs the web server and the worker (and the mock receiver for the demo
 * sources), prefixing each process's output. Ctrl-C / SIGTERM stops everything cleanly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { type EmbeddedDatabase, EmbeddedPostgresAccessError } from '@/db/embedded';
import { migrateToLatest } from '@/db/migrate';
import { ConfigError, launcherEnvSchema, parseEnv } from '@/lib/env';
import { isBuildCurrent, markBuilt } from './lib/build-marker';
import { embeddedPort, recordServerSettings, startLocalDatabase } from './lib/local-database';
import { applyLocalSecrets } from './lib/local-secrets';
import { completeStandalone, standaloneServer } from './lib/standalone';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dev = process.argv.includes('--dev');
const require = createRequire(import.meta.url);
const COLORS: Record<string, string> = { start: '35', db: '34', web: '36', worker: '33', mock: '32' };

function say(proc: string, line: string): void {
  const tag = proc.padEnd(6);
  const colored = process.stdout.isTTY ? `\x1b[${COLORS[proc] ?? '37'}m${tag}\x1b[0m` : tag;
  process.stdout.write(`${colored}| ${line}\n`);
}

/** JSON log lines are shown readably on a terminal and left as JSON when piped to a collector. */
function formatLine(line: string): string {
  if (!process.stdout.isTTY || !line.startsWith('{')) return line;
  try {
    const { time, level, msg, proc: _p, pid: _pid, hostname: _h, ...rest } = JSON.parse(line);
    const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    return `${String(time ?? '').slice(11, 19)} ${String(level ?? '')
      .toUpperCase()
      .padEnd(5)} ${msg ?? ''}${extra}`;
  } catch {
    return line;
  }
}

function loadDotEnv(): void {
  const file = path.join(root, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

const children = new Set<ChildProcess>();

function run(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream! }).on('line', (line) => say(name, formatLine(line)));
  }
  child.on('exit', () => children.delete(child));
  return child;
}

function waitForExit(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code ?? 1));
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

async function main(): Promise<void> {
  loadDotEnv();
  const launchEnv = parseEnv(process.env, launcherEnvSchema);
  const dataDir = path.resolve(root, launchEnv.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  applyLocalSecrets(dataDir, { create: true });

  let embedded: EmbeddedDatabase | undefined;
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('start', 'stopping…');
    for (const child of children) child.kill('SIGTERM');
    const timeout = setTimeout(() => {
      for (const child of children) child.kill('SIGKILL');
    }, 15_000);
    await Promise.all([...children].map(waitForExit));
    clearTimeout(timeout);
    if (embedded) {
      say('db', 'stopping embedded PostgreSQL');
      await embedded.stop().catch((err) => say('db', `stop failed: ${err.message}`));
    }
    say('start', 'stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  if (!process.env.DATABASE_URL) {
    const port = embeddedPort(process.env);
    say('db', `starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${path.relative(root, dataDir)}/postgres)`);
    embedded = await startLocalDatabase({
      dataDir,
      port,
      onLog: (line) => {
        if (/ERROR|FATAL|PANIC|^embedded PostgreSQL:/.test(line)) say('db', line);
      },
    });
    process.env.DATABASE_URL = embedded.url;
  }
  // The demo sources deliver to the mock receiver on 127.0.0.1, which the outbound guard closes by
  // default; open exactly that address for web and worker, unless the operator chose otherwise.
  if (launchEnv.SEED_DEMO && !process.env.OUTBOUND_ALLOW_CIDRS) process.env.OUTBOUND_ALLOW_CIDRS = '127.0.0.1/32';
  const env = parseEnv({ ...process.env, NODE_ENV: process.env.NODE_ENV ?? (dev ? 'development' : 'production') });
  const appUrl = (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
  if (embedded)
    recordServerSettings(dataDir, { port: env.PORT, outbound_allow_cidrs: process.env.OUTBOUND_ALLOW_CIDRS });

  say('start', 'applying database migrations');
  const migrated = await migrateToLatest(env.DATABASE_URL, { bossSchema: env.PGBOSS_SCHEMA });
  if (migrated.applied.length) say('start', `applied ${migrated.applied.join(', ')}`);

  let credentials: { email: string; password: string; generated: boolean; role: string }[] | undefined;
  let seeded = false;
  {
    const { getDb, closeDb } = await import('@/lib/db');
    const { isDatabaseEmpty, seedDemo } = await import('@/lib/demo/seed-demo');
    const db = getDb();
    if (env.SEED_DEMO && (await isDatabaseEmpty(db))) {
      say('start', 'empty database: adding demo data');
      credentials = await seedDemo(db, {
        adminPassword: process.env.ADMIN_PASSWORD,
        recruiterPassword: process.env.RECRUITER_PASSWORD,
        viewerPassword: process.env.VIEWER_PASSWORD,
        mockSourceUrl: `http://127.0.0.1:${env.MOCK_SOURCE_PORT}`,
      });
      seeded = true;
      for (const c of credentials) {
        say(
          'start',
          `demo ${c.role}: ${c.email} password: ${c.password}${c.generated ? ' (generated; shown once)' : ''}`,
        );
      }
    }
    await closeDb();
  }

  const nextBin = require.resolve('next/dist/bin/next');
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? appUrl,
    // The standalone server changes into its own folder; a relative log file stays in the checkout.
    ...(env.LOG_FILE ? { LOG_FILE: path.resolve(root, env.LOG_FILE) } : {}),
  };
  if (!dev) {
    if (!isBuildCurrent(root)) {
      say('start', 'building the web app (first start or sources changed; about 30 s)');
      const build = run('web', [nextBin, 'build'], { ...childEnv, NODE_ENV: 'production' });
      const code = await waitForExit(build);
      if (code !== 0) {
        say('start', `build failed (exit ${code})`);
        return stopAll(1);
      }
      completeStandalone(root);
      markBuilt(root);
    }
  }

  // Production runs the standalone server, as the container image does. It reads PORT and
  // HOSTNAME; a HOSTNAME exported by the shell or a container names this machine, not an address
  // to listen on, so it is set here (all interfaces, as `next start` did).
  const web = dev
    ? run('web', [nextBin, 'dev', '-p', String(env.PORT)], { ...childEnv, ATS_PROCESS: 'web' })
    : run('web', [standaloneServer(root)], {
        ...childEnv,
        ATS_PROCESS: 'web',
        PORT: String(env.PORT),
        HOSTNAME: '0.0.0.0',
      });
  const worker = run('worker', ['--import', 'tsx', path.join(root, 'worker/index.ts')], {
    ...childEnv,
    ATS_PROCESS: 'worker',
  });
  for (const [name, child] of [
    ['web', web],
    ['worker', worker],
  ] as const) {
    child.on('exit', (code, signal) => {
      if (stopping) return;
      say('start', `${name} exited (${signal ?? `code ${code}`}); stopping everything`);
      void stopAll(1);
    });
  }
  // The demo sources point at the mock receiver, so it runs whenever demo data is on; never in production.
  if ((env.SEED_DEMO || seeded) && process.env.NODE_ENV === 'production') {
    say('start', 'NODE_ENV=production: the mock receiver does not run, so the demo sources will fail');
  } else if (env.SEED_DEMO || seeded) {
    const mock = run('mock', ['--import', 'tsx', path.join(root, 'scripts/mock-source.ts')], {
      ...childEnv,
      ATS_PROCESS: 'mock',
    });
    mock.on('exit', (code, signal) => {
      if (!stopping)
        say('start', `mock receiver exited (${signal ?? `code ${code}`}); the demo sources will fail until it is back`);
    });
  }

  if (!(await waitForHttp(`http://127.0.0.1:${env.PORT}/api/health`, 120_000))) {
    say('start', 'the web server did not become healthy within 120 s');
    return stopAll(1);
  }
  const lines = [
    '',
    `ATS Sync is running: open ${appUrl}`,
    ...(env.SEED_DEMO
      ? [`  Demo sources deliver to the mock receiver: http://127.0.0.1:${env.MOCK_SOURCE_PORT}/_mock`]
      : []),
    '',
    ...(credentials
      ? credentials.map(
          (c) =>
            `  ${c.role.padEnd(9)} ${c.email}  password: ${c.password}${c.generated ? '  (generated; shown once)' : ''}`,
        )
      : [
          '  Sign in with your users. Demo users: admin@example.com / recruiter@example.com / viewer@example.com (passwords were printed at the first start;',
          '  set a new one with: npm run cli -- user set-password --email admin@example.com --password <new>)',
        ]),
    '',
    '  Something not working? npm run cli -- doctor (in another terminal) checks it all and says what to fix.',
    '  Press Ctrl-C to stop.',
    '',
  ];
  for (const line of lines) say('start', line);
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    say('start', err.message);
    process.exit(78);
  }
  if (err instanceof EmbeddedPostgresAccessError) {
    say('db', err.message);
    process.exit(1);
  }
  say('start', `failed: ${err?.stack ?? err}`);
  for (const child of children) child.kill('SIGTERM');
  process.exit(1);
});
