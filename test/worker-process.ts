import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { WorkerReadyMessage } from '@/worker/run-worker';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Only matters when a worker is broken: start-up on a busy machine takes seconds, not minutes. */
const READY_BOUND_MS = 90_000;

export type SpawnedWorker = {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /**
   * Settles once the worker said it is ready (its signal handlers, pg-boss handlers and heartbeat
   * are all in place): only then may a test count on it taking work or send it SIGTERM. Rejects,
   * with the worker's output, when it exits first.
   */
  ready: Promise<WorkerReadyMessage>;
};

/** The real worker as its own process (`npm run worker`), against the test database. */
export function spawnWorker(extraEnv: Record<string, string> = {}): SpawnedWorker {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'worker/index.ts')], {
    cwd: root,
    env: { ...process.env, ATS_PROCESS: 'worker', LOG_LEVEL: 'warn', ...extraEnv },
    // The IPC channel carries the worker's readiness message.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<WorkerReadyMessage>((resolve, reject) => {
    const bound = setTimeout(
      () => reject(new Error(`worker ${child.pid} not ready after ${READY_BOUND_MS} ms; output:\n${output}`)),
      READY_BOUND_MS,
    );
    bound.unref();
    child.on('message', (message: WorkerReadyMessage) => {
      if (message?.type !== 'ready') return;
      clearTimeout(bound);
      resolve(message);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(bound);
      reject(new Error(`worker ${child.pid} exited (${signal ?? code}) before it was ready; output:\n${output}`));
    });
  });
  // A test that never waits for readiness must not see an unhandled rejection when the worker is killed.
  ready.catch(() => {});
  return { child, output: () => output, exited, ready };
}

/** The worker processes one test file starts; `killAll()` in its afterAll leaves none behind. */
export function workerProcesses() {
  const started: SpawnedWorker[] = [];
  const spawnOne = (extraEnv: Record<string, string> = {}): SpawnedWorker => {
    const w = spawnWorker(extraEnv);
    started.push(w);
    return w;
  };
  return {
    /** Spawns a worker and returns it at once, for a test about its start-up. */
    spawn: spawnOne,
    /** Spawns a worker and returns it once it is ready. */
    async start(extraEnv: Record<string, string> = {}): Promise<SpawnedWorker> {
      const w = spawnOne(extraEnv);
      await w.ready;
      return w;
    },
    /** The last lines each of them wrote, for a failure message. */
    output: () => started.map((w) => w.output().slice(-3000)).join('\n---\n'),
    async killAll(): Promise<void> {
      for (const w of started) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await Promise.all(started.map((w) => w.exited));
    },
  };
}
