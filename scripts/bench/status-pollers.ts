/**
 * The status endpoint under many pollers (autocannon), 200 and 304 (If-None-Match) paths, against a
 * run, for bench:load (bench:sync's status scenario is scripts/bench/scenario-status.ts, against a
 * bare Next.js route).
 */
import { performance } from 'node:perf_hooks';
import { formatStatements, measureStatements } from '../lib/bench-activity';
import { type Stack, say, sleep } from '../lib/bench-stack';
import type { Api } from './api';
import { int } from './context';
import { cpuDelta, machineCpu, round } from './measure';
import { autocannon } from './autocannon';

const POLLERS = Math.max(1, int('BENCH_POLLERS', 200));
const POLL_SECONDS = Math.max(1, int('BENCH_POLL_SECONDS', 12));

/**
 * Polls one run's status with `pollers` connections: closed loop for 200 and 304 (capacity), then
 * the load the progress modal makes (one poll per 2 s per open modal) and the latency it sees.
 */
export async function pollStatus(
  api: Api,
  stack: Stack,
  taskId: string,
  opts: { pollers: number; seconds: number } = { pollers: POLLERS, seconds: POLL_SECONDS },
) {
  const url = `${stack.baseUrl}/recruitment/sync/task/${taskId}/status/`;
  const { headers } = await api.call('GET', `/recruitment/sync/task/${taskId}/status/`);
  const etag = headers.get('etag') as string;
  const variants = [];
  for (const [name, extra, expected, rate] of [
    ['200 (full body)', {}, '200', undefined],
    ['304 (If-None-Match)', { 'if-none-match': etag }, '304', undefined],
    [`200, 1 poll/2 s each (${opts.pollers / 2} req/s)`, {}, '200', opts.pollers / 2],
  ] as const) {
    await sleep(1000);
    const cpuBefore = stack.cpu();
    const statements = await measureStatements(stack.db, stack.pgStatements);
    const machine = machineCpu();
    const started = performance.now();
    const result = await autocannon({
      url,
      connections: opts.pollers,
      duration: opts.seconds,
      headers: { authorization: `Bearer ${stack.token}`, ...extra },
      ...(rate ? { overallRate: rate } : {}),
    });
    const wall = (performance.now() - started) / 1000;
    const database = await statements.stop(6);
    const cpu = cpuDelta(cpuBefore, stack.cpu());
    const machineShare = machine();
    const codes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, Number(v.count)]));
    const unexpected = Object.entries(codes)
      .filter(([code]) => code !== expected)
      .reduce((n, [, c]) => n + c, 0);
    const row = {
      variant: name,
      connections: opts.pollers,
      seconds: round(wall, 1),
      requests: result.requests.total,
      req_per_s: Math.round(result.requests.total / result.duration),
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99,
      max_ms: result.latency.max,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      unexpected_status: unexpected,
      status_codes: codes,
      cpu_seconds: cpu,
      machine_busy: round(machineShare.busy, 2),
      db_statements: database,
    };
    variants.push(row);
    say(
      `pollers ${name}: ${row.req_per_s} req/s p50 ${row.p50_ms} ms p99 ${row.p99_ms} ms codes ${JSON.stringify(codes)}`,
    );
    for (const line of formatStatements(database, { name: 'request', count: result.requests.total })) say(line);
  }
  return { task_id: taskId, variants };
}
