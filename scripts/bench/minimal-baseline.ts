/**
 * Starts the minimal deliverer (minimal-deliverer.ts) as its own process and runs it against the
 * lean receiver: the throughput scenario's same-run baseline.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { root } from '../lib/bench-stack';
import { readProcStat, USER_HZ } from '../lib/proc-stat';

export type MinimalRun = { deliveries: number; seconds: number; failed: number };

export type MinimalDeliverer = {
  run: (count: number, concurrency: number, receiverUrl: string) => Promise<MinimalRun>;
  /** CPU seconds used so far (user + system). */
  cpuSeconds: () => number;
  close: () => Promise<void>;
};

export async function startMinimalDeliverer(databaseUrl: string): Promise<MinimalDeliverer> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/bench/minimal-deliverer.ts')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const pending: ((line: string) => void)[] = [];
  lines.on('line', (line) => pending.shift()?.(line));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`minimal deliverer exited (${code})`))),
  );
  exited.catch(() => {});
  const next = () => Promise.race([new Promise<string>((resolve) => pending.push(resolve)), exited]);
  if ((await next()) !== 'ready') throw new Error('minimal deliverer did not start');
  return {
    run: async (count, concurrency, receiverUrl) => {
      const answer = next();
      child.stdin!.write(`run ${count} ${concurrency} ${receiverUrl}\n`);
      return JSON.parse(await answer) as MinimalRun;
    },
    cpuSeconds: () => (readProcStat(child.pid!)?.ownTicks ?? Number.NaN) / USER_HZ,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}
