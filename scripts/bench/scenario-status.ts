/**
 * The status endpoint against a bare Next.js route reading one row (scripts/bench-baseline), measured
 * in the same run: 200 pollers with a Bearer token, and again with a session cookie, against a finished
 * run of 3 x 100 deliveries. The web process must run with API_SERVER_TIMING=true for the breakdown.
 */
import { randomBytes } from 'node:crypto';
import { say } from '../lib/bench-stack';
import { createPosting, createSources, deactivateSources, startSync, tag, waitForRun } from './api';
import { type BenchContext, int } from './context';
import { formatStatusBench, runStatusEndpointBench, type StatusBenchResult } from './status-endpoint';
import type { ScenarioResult } from './table';

const CONNECTIONS = int('BENCH_STATUS_CONNECTIONS', 200);
const SECONDS = int('BENCH_STATUS_SECONDS', 10);
const ROUNDS = int('BENCH_STATUS_ROUNDS', 3);
const BREAKDOWN_REQUESTS = int('BENCH_STATUS_BREAKDOWN_REQUESTS', 200);
const WARMUP_SECONDS = int('BENCH_STATUS_WARMUP_SECONDS', 3);

/** Signs in through the login form, as a browser does, and returns the session cookie (name=value). */
async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/login/submit`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl },
    body: new URLSearchParams({ email, password, callbackUrl: '/' }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.includes('next-auth.session-token='));
  if (res.status !== 303 || !cookie) throw new Error(`sign-in answered ${res.status} without a session cookie`);
  return cookie.split(';')[0];
}

/** A finished run, a recruiter with a token and a session, then the interleaved rounds. */
export async function measureStatusEndpoint(
  ctx: Pick<BenchContext, 'api' | 'stack' | 'lean'>,
): Promise<StatusBenchResult & { taskId: string }> {
  const { api, stack, lean } = ctx;
  const sourceIds = await createSources(
    api,
    stack,
    lean.url,
    [`st-a${tag()}`, `st-b${tag()}`, `st-c${tag()}`],
    16,
    true,
  );
  const taskId = await startSync(api, await createPosting(api, 100), sourceIds);
  const { body } = await waitForRun(api, taskId, 200);
  say(`run ${taskId}: ${body.status}, ${body.progress.succeeded} of ${body.progress.total} delivered`);
  await deactivateSources(api, sourceIds);

  const { systemActor } = await import('@/lib/auth/actor');
  const { createUser } = await import('@/lib/users/service');
  const { createApiToken } = await import('@/lib/tokens/service');
  const password = randomBytes(18).toString('base64url');
  const user = await createUser(stack.db, systemActor('bench'), {
    email: `bench-recruiter-${tag()}@example.test`,
    name: 'Bench Recruiter',
    role: 'recruiter',
    password,
  });
  const { token } = await createApiToken(
    stack.db,
    { kind: 'user', id: user.id, email: user.email, name: user.name, role: user.role, via: 'cli' },
    { name: 'bench-status' },
  );
  const sessionCookie = await signIn(stack.baseUrl, user.email, password);
  const result = await runStatusEndpointBench({
    appUrl: stack.baseUrl,
    databaseUrl: stack.databaseUrl,
    taskId,
    bearerToken: token,
    sessionCookie,
    connections: CONNECTIONS,
    seconds: SECONDS,
    rounds: ROUNDS,
    breakdownRequests: BREAKDOWN_REQUESTS,
    warmupSeconds: WARMUP_SECONDS,
    appPid: stack.pids().web,
    onLine: say,
  });
  return { ...result, taskId };
}

export async function runStatusEndpoint(ctx: BenchContext): Promise<ScenarioResult> {
  const result = await measureStatusEndpoint(ctx);
  const { req_per_s_ratio: minRatio, p99_x_baseline: maxP99 } = result.targets;
  const base = result.rows.find((r) => r.variant === 'baseline');
  for (const line of formatStatusBench(result)) say(line);
  return {
    key: 'status',
    title: `Status endpoint, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS} s, against a bare Next.js route reading one row`,
    rows: result.rows
      .filter((r) => r.variant !== 'baseline')
      .flatMap((r) => [
        {
          figure: `${r.variant === 'bearer' ? 'Bearer token' : 'session cookie'}: req/s`,
          value: r.req_per_s,
          against: base?.req_per_s ?? null,
          ratio: r.ratio_req_per_s,
          target: `>= ${minRatio}x`,
          limitedBy: `web CPU ${r.cpu_ms_per_request ?? '-'} ms/req (baseline ${base?.cpu_ms_per_request ?? '-'}); errors ${r.errors + r.non_2xx}`,
        },
        {
          figure: `${r.variant === 'bearer' ? 'Bearer token' : 'session cookie'}: p99 ms`,
          value: r.p99_ms,
          against: base?.p99_ms ?? null,
          ratio: r.p99_x_baseline,
          target: `<= ${maxP99}x`,
          limitedBy: `first answer on each new connection p99 ${r.p99_first_on_connection_ms} ms (baseline ${base?.p99_first_on_connection_ms ?? '-'}); on kept connections ${r.p99_kept_connections_ms} (baseline ${base?.p99_kept_connections_ms ?? '-'})`,
        },
      ]),
    detail: { task_id: result.taskId, rows: result.rows, breakdown: result.breakdown },
  };
}
