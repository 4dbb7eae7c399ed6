import { createRequire } from 'node:module';
import { percentile } from './measure';

export type AutocannonResult = {
  requests: { total: number };
  latency: { p50: number; p99: number; max: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
};

type AutocannonOptions = {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  overallRate?: number;
};

/** autocannon ships no types; this is the part of its API the benches use. */
export const autocannon = createRequire(import.meta.url)('autocannon') as (
  opts: AutocannonOptions,
) => Promise<AutocannonResult> & {
  on(event: 'response', listener: (client: object, statusCode: number, bytes: number, ms: number) => void): void;
};

/**
 * A run, with its latencies split: the first answer on each of the run's new connections (all
 * opened at once when it starts: that burst's connects and first requests queue behind each other)
 * and every answer after it on a connection already open, as a poller that keeps its connection sees.
 */
export async function autocannonSplit(
  opts: AutocannonOptions,
): Promise<AutocannonResult & { p99FirstMs: number; p99KeptMs: number }> {
  const first: number[] = [];
  const kept: number[] = [];
  const seen = new WeakSet<object>();
  const run = autocannon(opts);
  run.on('response', (client, _status, _bytes, ms) => {
    if (seen.has(client)) kept.push(ms);
    else {
      seen.add(client);
      first.push(ms);
    }
  });
  const result = await run;
  const p99 = (ms: number[]) => (ms.length ? Math.round(percentile(ms, 99)) : Number.NaN);
  return { ...result, p99FirstMs: p99(first), p99KeptMs: p99(kept) };
}
