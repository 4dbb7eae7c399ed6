import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isBuildCurrent } from '@/scripts/lib/build-marker';
import { standaloneServer } from '@/scripts/lib/standalone';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Only matters when the server is broken: start-up on a busy machine takes seconds. */
const UP_BOUND_MS = 90_000;

export type ImageStage = { env: Record<string, string>; cmd: string[]; workdir: string };

/**
 * The runtime stage of the Dockerfile as the container would see it: its ENV (with the stages it
 * is built FROM), WORKDIR and CMD. Read from the file itself, so the tests run what the image runs.
 */
export function readImageRuntime(dockerfile = path.join(root, 'Dockerfile')): ImageStage {
  const lines = readFileSync(dockerfile, 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  type Stage = { from: string; env: Record<string, string>; cmd?: string[]; workdir?: string };
  const stages = new Map<string, Stage>();
  let current: Stage | undefined;
  for (const line of lines) {
    const [instruction, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    switch (instruction.toUpperCase()) {
      case 'FROM': {
        const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
        if (!m) throw new Error(`unreadable FROM: ${line}`);
        current = { from: m[1], env: {} };
        stages.set(m[2] ?? `#${stages.size}`, current);
        break;
      }
      case 'ENV':
        for (const m of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) current!.env[m[1]] = m[2].replace(/^"|"$/g, '');
        break;
      case 'WORKDIR':
        current!.workdir = args;
        break;
      case 'CMD':
        current!.cmd = JSON.parse(args);
        break;
    }
  }
  const last = [...stages.values()].at(-1)!;
  const chain: Stage[] = [];
  for (let s: Stage | undefined = last; s; s = stages.get(s.from)) chain.unshift(s);
  return {
    env: Object.assign({}, ...chain.map((s) => s.env)),
    cmd: chain.findLast((s) => s.cmd)?.cmd ?? [],
    workdir: chain.findLast((s) => s.workdir)?.workdir ?? '/',
  };
}

/**
 * The image's /app as far as the web server goes: .next/standalone (built and completed by
 * `npm run build`, built here first when the sources changed), copied outside the checkout so
 * Node cannot fall back on the checkout's node_modules for a module the build did not trace.
 */
export function assembleImageApp(): { dir: string; remove: () => void } {
  if (!isBuildCurrent(root)) {
    const build = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/build.ts')], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  }
  const base = mkdtempSync(path.join(os.tmpdir(), 'ats-image-'));
  const dir = path.join(base, 'app');
  cpSync(path.dirname(standaloneServer(root)), dir, { recursive: true, verbatimSymlinks: true });
  return { dir, remove: () => rmSync(base, { recursive: true, force: true }) };
}

export type WebProcess = { url: string; child: ChildProcess; output: () => string; stop: () => Promise<number | null> };

/**
 * Starts the image's CMD in `dir` with only the image's ENV and `env` (what compose sets), as the
 * container would: nothing of the test's own environment but PATH. `node` is this Node 24.
 */
export async function startImageWeb(dir: string, port: number, env: Record<string, string>): Promise<WebProcess> {
  const image = readImageRuntime();
  const [command, ...cmdArgs] = image.cmd;
  if (command !== 'node') throw new Error(`the image's CMD does not start with node: ${image.cmd.join(' ')}`);
  // Paths under the image's WORKDIR (/app) are under `dir` here.
  const args = cmdArgs.map((a) => a.replaceAll(`${image.workdir}/`, `${dir}/`));
  let output = '';
  const childEnv: Record<string, string> = { PATH: process.env.PATH ?? '', ...image.env, PORT: String(port), ...env };
  const child = spawn(process.execPath, args, {
    cwd: dir,
    env: childEnv as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + UP_BOUND_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the web server exited (${child.exitCode}):\n${output}`);
    const up = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`the web server did not answer within ${UP_BOUND_MS} ms:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    output: () => output,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
