/**
 * Receivers for the sync bench: the demo's mock receiver (in this process: latency, recorded
 * requests, in-flight counts per path) for the latency scenarios, and the lean receiver
 * (lean-receiver.ts, its own process) for the throughput scenarios, where a receiver's own CPU
 * would otherwise be counted against the product on this 2-core machine.
 */
import { startBenchChild } from './bench-child';

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
  const child = startBenchChild('lean-receiver.ts', { LEAN_RECEIVER_LATENCY_MS: String(latencyMs) }, { stdin: false });
  let port = 0;
  while (!port) port = Number(/^listening (\d+)$/.exec(await child.nextLine())?.[1] ?? 0);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    pid: child.pid,
    stats: async () => (await fetch(`${url}/_stats`)).json() as Promise<LeanStats>,
    reset: async () => {
      await fetch(`${url}/_reset`, { method: 'POST' });
    },
    cpuSeconds: child.cpuSeconds,
    close: child.close,
  };
}
