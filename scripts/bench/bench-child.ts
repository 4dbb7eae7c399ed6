/**
 * A bench helper in its own process (its CPU counted apart from the bench's): a TypeScript file of
 * scripts/bench/ run with tsx, its stdout read line by line, its CPU read from /proc. It stops when
 * its stdin ends: at close(), or when the bench dies (the pipe closes with it).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { root } from '../lib/bench-stack';
import { readProcStat, USER_HZ } from '../lib/proc-stat';

export function startBenchChild(file: string, env: Record<string, string>) {
  const name = path.basename(file, '.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/bench', file)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting: ((line: string) => void)[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => waiting.shift()?.(line));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${name} exited (${code})`))),
  );
  exited.catch(() => {});
  return {
    pid: child.pid!,
    stdin: child.stdin!,
    /** The next line it prints (lines printed while nobody waits are dropped); rejects if it exits. */
    nextLine: () => Promise.race([new Promise<string>((resolve) => waiting.push(resolve)), exited]),
    /** CPU seconds used so far (user + system). */
    cpuSeconds: () => (readProcStat(child.pid!)?.ownTicks ?? Number.NaN) / USER_HZ,
    /** Ends it: the end of its input. */
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}
