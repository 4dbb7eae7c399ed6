/**
 * The sync bench's receiver: lean-receiver.ts in its own process (its CPU counted apart, its event
 * loop not the poller's), answering at once or after a latency set at each reset.
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
  max_in_flight_by_path: Record<string, number>;
  last_rejection: string | null;
};

export type LeanReceiver = {
  url: string;
  pid: number;
  stats: () => Promise<LeanStats>;
  /** Arrival times (ms since the epoch) of the requests under a path such as /prefix. */
  arrivals: (path: string) => Promise<number[]>;
  /** Clears the counters; from then on it answers after `latencyMs` (default: as started). */
  reset: (latencyMs?: number) => Promise<void>;
  /** CPU seconds used so far (user + system). */
  cpuSeconds: () => number;
  close: () => Promise<void>;
};

export async function startLeanReceiver(latencyMs = 0): Promise<LeanReceiver> {
  const child = startBenchChild('lean-receiver.ts', { LEAN_RECEIVER_LATENCY_MS: String(latencyMs) });
  let port = 0;
  while (!port) port = Number(/^listening (\d+)$/.exec(await child.nextLine())?.[1] ?? 0);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    pid: child.pid,
    stats: async () => (await fetch(`${url}/_stats`)).json() as Promise<LeanStats>,
    arrivals: async (path) =>
      (await fetch(`${url}/_arrivals?${new URLSearchParams({ path })}`)).json() as Promise<number[]>,
    reset: async (latencyMs) => {
      await fetch(`${url}/_reset${latencyMs === undefined ? '' : `?latency_ms=${latencyMs}`}`, { method: 'POST' });
    },
    cpuSeconds: child.cpuSeconds,
    close: child.close,
  };
}
