/**
 * `npm run bench:status`: only the status scenario of `npm run bench:sync` (scripts/bench/scenario-status.ts):
 * the status endpoint against a bare Next.js route handler reading one row, on a throw-away copy of the
 * product (scripts/lib/bench-stack.ts). One sync of 100 hired candidates to 3 webhook sources gives the
 * run that 200 connections then poll with a Bearer token and with a session cookie. Prints figures and
 * asserts nothing; results also go to .data/bench/bench-status-<time>.json.
 *
 * Optional environment (defaults in brackets):
 *   BENCH_STATUS_CONNECTIONS=200  BENCH_STATUS_SECONDS=10 (per variant and round)  BENCH_STATUS_ROUNDS=3
 *   BENCH_STATUS_BREAKDOWN_REQUESTS=200  BENCH_STATUS_WARMUP_SECONDS=3 (load on a variant before each measured run)
 *   BENCH_LOG_LEVEL=warn           LOG_LEVEL of the web and worker processes
 *   BENCH_CPU_PROF=<dir>           V8 CPU profiles of the web, the worker and the baseline (baseline.cpuprofile)
 *                                  when they exit, to compare the product's request path with the bare route's
 * Per variant it also prints SQL statements per answered request (pg_stat_statements, the whole cluster:
 * the worker's polling is in it) and the three most frequent statements of each round.
 */
import { Api } from './bench/api';
import { startLeanReceiver } from './bench/receivers';
import { measureStatusEndpoint } from './bench/scenario-status';
import { formatStatusBench } from './bench/status-endpoint';
import { writeResults } from './bench/table';
import { say, withStack } from './lib/bench-stack';

async function main(): Promise<void> {
  // The route's Server-Timing header gives the breakdown; the children inherit this environment.
  process.env.API_SERVER_TIMING = 'true';
  const lean = await startLeanReceiver();
  try {
    await withStack({ workers: 1 }, async (stack) => {
      const result = await measureStatusEndpoint({ api: new Api(stack.baseUrl, stack.token), stack, lean });
      process.stdout.write(`\n${formatStatusBench(result).join('\n')}\n\n`);
      say(`results written to ${writeResults('bench-status', { ...result })}`);
    });
  } finally {
    await lean.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench:status failed: ${err?.stack ?? err}`);
    process.exit(1);
  },
);
