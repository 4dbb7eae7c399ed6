/**
 * `node --import tsx scripts/measure-engine.ts`: two figures of the delivery engine on a throw-away
 * stack (the bench's: embedded PostgreSQL, `next start`, one worker, a mock receiver). Prints and
 * asserts nothing.
 *   cold start: a source created 1 s before the sync (POST -> first request at the receiver)
 *   throughput: 10,000 hired x 1 source at 0 ms (deliveries/s and CPU per delivery), the figure to
 *               compare with the same script run on the engine before global limits.
 * MEASURE_COLD=10 cold-start samples; MEASURE_S2_ROUNDS=2 rounds of the 10,000 x 1 run (0 skips it).
 */
import os from 'node:os';
import { Api, createPosting, percentile, round, scenarioSyncRun, startSync } from './bench-sync';
import { say, sleep, withStack } from './lib/bench-stack';

const COLD = Number(process.env.MEASURE_COLD ?? 10);
const S2_ROUNDS = Number(process.env.MEASURE_S2_ROUNDS ?? 2);

async function main() {
  await withStack({ workers: 1, mock: { maxRequests: 60_000, maxStoredBytes: 2 ** 29 } }, async (stack, mock) => {
    const api = new Api(stack.baseUrl, stack.token);
    const cold: number[] = [];
    for (let i = 0; i < COLD; i++) {
      const slug = await createPosting(api, 1);
      const prefix = `cold${Date.now().toString(36)}${i}`;
      const { data } = await api.call<{ id: string }>('POST', '/api/v1/sources', {
        name: `cold ${prefix}`,
        connector: 'generic_webhook',
        base_url: mock.url,
        sync_endpoint: `/${prefix}`,
        max_concurrency: 16,
        timeout_ms: 15_000,
        max_attempts: 3,
      });
      await sleep(1000);
      const t0 = Date.now();
      await startSync(api, slug, [data.id]);
      for (;;) {
        const [first] = mock.requests({ path: `/${prefix}` });
        if (first) {
          cold.push(Date.parse(first.received_at) - t0);
          break;
        }
        if (Date.now() - t0 > 30_000) throw new Error('no delivery within 30 s');
        await sleep(2);
      }
      await api.call('PATCH', `/api/v1/sources/${data.id}`, { is_active: false });
    }
    if (cold.length) {
      say(
        `cold start (source created 1 s before the sync), POST -> first request: p50 ${percentile(cold, 50)} ms, ` +
          `p95 ${percentile(cold, 95)} ms, max ${Math.max(...cold)} ms; samples ${cold.join(', ')}`,
      );
    }
    if (S2_ROUNDS > 0) {
      const s2 = await scenarioSyncRun(api, stack, mock, {
        label: '10,000 x 1 at 0 ms',
        candidates: 10_000,
        prefixes: ['m2'],
        concurrency: 32,
        latencyMs: 0,
        rounds: S2_ROUNDS,
      });
      for (const r of s2.rounds as Record<string, any>[]) {
        say(
          `10,000 x 1: ${r.deliveries_per_s} deliveries/s, cpu ms per delivery ${JSON.stringify(r.cpu_ms_per_delivery)}, ` +
            `load ${round(os.loadavg()[0], 1)}`,
        );
      }
    }
  });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`measure-engine failed: ${err?.stack ?? err}`);
    process.exit(1);
  },
);
