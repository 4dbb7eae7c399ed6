/**
 * Receivers for the sync bench: the demo's mock receiver (in this process: latency, recorded
 * requests, in-flight counts per path) for the latency scenarios, and the lean receiver
 * (lean-receiver.ts, its own process) for the throughput scenarios, where a receiver's own CPU
 * would otherwise be counted against the product on this 2-core machine.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { root } from '../lib/bench-stack';
import { readProcStat, USER_HZ } from '../lib/proc-stat';

export type LeanStats = {
  received: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  max_in_flight: number;
  first_at: number | null;
  last_at: number | null;
  by_path: Record<string, number>;
  last_rejection: string | null;
};

export type LeanReceiver = {
  url: string;
  pid: number;
  stats: () => Promise<LeanStats>;
  reset: () => Promise<void>;
  /** CPU seconds used so far (user + system). */
  cpuSeconds: () => number;
  close: () => Promise<void>;
};

export async function startLeanReceiver(latencyMs = 0): Promise<LeanReceiver> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/bench/lean-receiver.ts')], {
    cwd: root,
    env: { ...process.env, LEAN_RECEIVER_LATENCY_MS: String(latencyMs) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`lean receiver exited (${code}) before listening`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    pid: child.pid!,
    stats: async () => (await fetch(`${url}/_stats`)).json() as Promise<LeanStats>,
    reset: async () => {
      await fetch(`${url}/_reset`, { method: 'POST' });
    },
    cpuSeconds: () => (readProcStat(child.pid!)?.ownTicks ?? Number.NaN) / USER_HZ,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
