/**
 * `node --import tsx scripts/measure-engine.ts`: two figures of the delivery engine on a throw-away
 * stack (the bench's: embedded PostgreSQL, `next start`, one worker, a mock receiver). Prints and
 * asserts nothing.
 *   cold start: a source created 1 s before the sync (POST -> first request at the receiver)
 *   throughput: 10,000 hired x 1 source at 0 ms (deliveries/s and CPU per delivery), the figure to
 *               compare with the same script run on the engine before global limits.
 * MEASURE_COLD=10 cold-start samples, each a sync of MEASURE_COLD_HIRED=1 hired candidates to
 * MEASURE_COLD_SOURCES=1 new sources answering in MEASURE_COLD_LATENCY_MS=0 ms (1000, 3 and 20 are the
 * issue's 1,000 x 3 case); MEASURE_S2_ROUNDS=2 rounds of the 10,000 x 1 run (0 skips it).
 */
import os from 'node:os';
import { Api, createPosting, percentile, round, scenarioSyncRun, startSync, waitForRun } from './bench-sync';
import { say, sleep, withStack } from './lib/bench-stack';

const COLD = Number(process.env.MEASURE_COLD ?? 10);
const S2_ROUNDS = Number(process.env.MEASURE_S2_ROUNDS ?? 2);
const COLD_HIRED = Number(process.env.MEASURE_COLD_HIRED ?? 1);
const COLD_SOURCES = Number(process.env.MEASURE_COLD_SOURCES ?? 1);
const COLD_LATENCY_MS = Number(process.env.MEASURE_COLD_LATENCY_MS ?? 0);

async function main() {
  await withStack({ workers: 1, mock: { maxRequests: 60_000, maxStoredBytes: 2 ** 29 } }, async (stack, mock) => {
    const api = new Api(stack.baseUrl, stack.token);
    const cold: number[] = [];
    const finished: number[] = [];
    mock.configure({ latency_ms: COLD_LATENCY_MS });
    for (let i = 0; i < COLD; i++) {
      const slug = await createPosting(api, COLD_HIRED);
      const prefix = `cold${Date.now().toString(36)}${i}`;
      const ids: string[] = [];
      for (let s = 0; s < COLD_SOURCES; s++) {
        const { data } = await api.call<{ id: string }>('POST', '/api/v1/sources', {
          name: `cold ${prefix} ${s}`,
          connector: 'generic_webhook',
          base_url: mock.url,
          sync_endpoint: `/${prefix}/${s}`,
          max_concurrency: 16,
          timeout_ms: 15_000,
          max_attempts: 3,
        });
        ids.push(data.id);
      }
      await sleep(1000);
      const t0 = Date.now();
      const taskId = await startSync(api, slug, ids);
      for (;;) {
        const [first] = ids.flatMap((_, s) => mock.requests({ path: `/${prefix}/${s}` }));
        if (first) {
          cold.push(Date.parse(first.received_at) - t0);
          break;
        }
        if (Date.now() - t0 > 30_000) throw new Error('no delivery within 30 s');
        await sleep(2);
      }
      const { observedAt } = await waitForRun(api, taskId, 100);
      finished.push(observedAt - t0);
      for (const id of ids) await api.call('PATCH', `/api/v1/sources/${id}`, { is_active: false });
    }
    if (cold.length) {
      say(
        `cold start (${COLD_HIRED} x ${COLD_SOURCES} new sources created 1 s before, ${COLD_LATENCY_MS} ms answers): ` +
          `POST -> first request p50 ${percentile(cold, 50)} ms, p95 ${percentile(cold, 95)} ms, max ${Math.max(...cold)} ms ` +
          `(samples ${cold.join(', ')}); POST -> finished seen by a 100 ms poller p50 ${percentile(finished, 50)} ms ` +
          `(samples ${finished.join(', ')})`,
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
