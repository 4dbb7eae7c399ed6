/**
 * Starts the minimal deliverer (minimal-deliverer.ts) as its own process and runs it against the
 * lean receiver: the throughput scenario's same-run baseline.
 */
import { startBenchChild } from './bench-child';

export type MinimalRun = { deliveries: number; seconds: number; failed: number };

export type MinimalDeliverer = {
  run: (count: number, concurrency: number, receiverUrl: string) => Promise<MinimalRun>;
  /** CPU seconds used so far (user + system). */
  cpuSeconds: () => number;
  close: () => Promise<void>;
};

export async function startMinimalDeliverer(databaseUrl: string): Promise<MinimalDeliverer> {
  const child = startBenchChild('minimal-deliverer.ts', { DATABASE_URL: databaseUrl });
  if ((await child.nextLine()) !== 'ready') throw new Error('minimal deliverer did not start');
  return {
    run: async (count, concurrency, receiverUrl) => {
      const answer = child.nextLine();
      child.stdin.write(`run ${count} ${concurrency} ${receiverUrl}\n`);
      return JSON.parse(await answer) as MinimalRun;
    },
    cpuSeconds: child.cpuSeconds,
    close: child.close,
  };
}
