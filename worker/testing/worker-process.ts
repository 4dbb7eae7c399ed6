import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** The real worker as its own process (`npm run worker`), against the test database. */
export function spawnWorker(extraEnv: Record<string, string> = {}): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'worker/index.ts')], {
    cwd: root,
    env: { ...process.env, ATS_PROCESS: 'worker', LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export type SpawnedWorker = ReturnType<typeof spawnWorker>;

/** The worker processes one test file starts; `killAll()` in its afterAll leaves none behind. */
export function workerProcesses() {
  const started: SpawnedWorker[] = [];
  return {
    start(extraEnv: Record<string, string> = {}): SpawnedWorker {
      const w = spawnWorker(extraEnv);
      started.push(w);
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
