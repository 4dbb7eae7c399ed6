/**
 * `npm run bench:sync`: benchmark of the sync engine on a throw-away copy of the product. Prints one
 * table (per figure: the measured value, the ideal or baseline of the same run, the ratio, the
 * target and what limited it) and asserts nothing. It starts its own embedded PostgreSQL (temp dir,
 * free port), applies the migrations, builds the web app when the build is not current (~1 min),
 * runs `next start` and the worker(s) as child processes like `npm start`, creates an admin token,
 * and drives everything over the HTTP API against receivers on 127.0.0.1. Everything is removed at
 * the end, also on Ctrl-C. The library is in scripts/bench/ (one module per scenario).
 *
 * Scenarios (BENCH_SCENARIOS, in this order):
 *   cold        1,000 hired x 3 sources at 20 ms, max_concurrency 16, sources created 1 s before the
 *               sync, status polled every 100 ms: duration vs the ideal 1.25 s, POST -> first delivery
 *   throughput  10,000 hired x 1 source at 0 ms (lean receiver): deliveries/s, CPU per delivery per process,
 *               and against a minimal deliverer run in the same rounds (scripts/bench/minimal-deliverer.ts:
 *               a row per delivery, the same receiver, no queue, leases, indexes or history)
 *   sources     200 active sources, one sync of 100 hired to all: duration vs the ideal, worker
 *               memory and database connections (its ideal uses the throughput rate of this run)
 *   status      the status endpoint under 200 pollers with a Bearer token and with a session cookie,
 *               against a bare Next.js route reading one row (scripts/bench-baseline), same run
 *
 * Optional environment (all have defaults):
 *   BENCH_SCENARIOS=cold,throughput,sources,status   which scenarios to run
 *   BENCH_ROUNDS=3            counted rounds of cold and throughput (medians are reported; one
 *                             warm-up round of each runs first, printed, not counted)
 *   BENCH_WORKERS=1           worker processes
 *   BENCH_S2_CONCURRENCY=32   max_concurrency of the throughput source (1-64)
 *   BENCH_MANY_SOURCES=200    sources of the sources scenario
 *   BENCH_STATUS_CONNECTIONS=200  BENCH_STATUS_SECONDS=10  BENCH_STATUS_ROUNDS=3  BENCH_STATUS_BREAKDOWN_REQUESTS=200
 *   BENCH_LOG_LEVEL=warn      LOG_LEVEL of the web and worker processes
 * Diagnostics (why a figure is what it is):
 *   BENCH_PG_STATEMENTS=0     leaves out pg_stat_statements (on by default: statement time and calls
 *                             per delivery, commits, WAL, printed for the first counted round)
 *   BENCH_PG_SETTINGS=a=b,..  PostgreSQL settings for experiments, e.g. synchronous_commit=off
 *   BENCH_PG_LOG=<file>       PostgreSQL's log lines appended to a file (with BENCH_PG_SETTINGS=
 *                             session_preload_libraries=auto_explain,auto_explain.log_min_duration=5,...)
 *   BENCH_ACTIVITY=1          pg_stat_activity sampled every 10 ms during the throughput and sources runs:
 *                             what the connections wait on (off by default: it costs CPU)
 *   BENCH_CPU_PROF=<dir>      V8 CPU profiles of the web and worker processes (written when they stop)
 *   BENCH_NODE_FLAGS="--trace-gc"  extra Node flags for the web and worker processes (diagnostics)
 * CPU is measured per process from /proc: web, worker<n>, postgres (with all its backends), receiver
 * (the lean receiver) and bench (this process: polling, autocannon). The machine
 * is shared: compare CPU per delivery and ratios to the same run's baseline, not seconds across runs.
 * Results: the table on stdout and JSON in .data/bench/bench-sync-<timestamp>.json.
 */
import { say, withStack } from './lib/bench-stack';
import { Api } from './bench/api';
import { type BenchContext, int } from './bench/context';
import { startLeanReceiver } from './bench/receivers';
import { runColdStart } from './bench/scenario-cold-start';
import { runManySources } from './bench/scenario-many-sources';
import { runThroughput } from './bench/scenario-throughput';
import { runStatusEndpoint } from './bench/scenario-status';
import { formatTable, type ScenarioResult, writeResults } from './bench/table';

const ROUNDS = Math.max(1, int('BENCH_ROUNDS', 3));
const WORKERS = Math.max(1, int('BENCH_WORKERS', 1));
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'cold,throughput,sources,status').split(',').map((s) => s.trim());

const scenarios: Record<string, (ctx: BenchContext) => Promise<ScenarioResult>> = {
  cold: runColdStart,
  throughput: runThroughput,
  sources: runManySources,
  status: runStatusEndpoint,
};

async function main(): Promise<void> {
  // The status scenario reads the route's Server-Timing breakdown; the web process inherits this.
  if (SCENARIOS.includes('status')) process.env.API_SERVER_TIMING = 'true';
  const unknown = SCENARIOS.filter((s) => !scenarios[s]);
  if (unknown.length)
    throw new Error(`BENCH_SCENARIOS: unknown ${unknown.join(', ')} (known: ${Object.keys(scenarios).join(', ')})`);
  const started = Date.now();
  const lean = await startLeanReceiver();
  try {
    await withStack({ workers: WORKERS }, async (stack) => {
      say(`web ${stack.baseUrl}, receiver ${lean.url}, ${stack.workers()} worker(s)`);
      const ctx: BenchContext = {
        api: new Api(stack.baseUrl, stack.token),
        stack,
        lean,
        rounds: ROUNDS,
        results: new Map(),
      };
      for (const name of SCENARIOS) {
        say(`scenario ${name}`);
        ctx.results.set(name === 'sources' ? 'many-sources' : name, await scenarios[name](ctx));
      }
      const results = [...ctx.results.values()];
      process.stdout.write(formatTable(results, stack.workers()));
      const settings = { rounds: ROUNDS, workers: WORKERS, scenarios: SCENARIOS };
      const run = {
        started_at: new Date(started).toISOString(),
        duration_seconds: Math.round((Date.now() - started) / 1000),
      };
      say(`results written to ${writeResults('bench-sync', { ...run, settings, results })}`);
    });
  } finally {
    await lean.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench:sync failed: ${err?.stack ?? err}`);
    process.exit(1);
  },
);
