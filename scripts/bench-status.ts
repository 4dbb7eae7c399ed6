/**
 * `npm run bench:status`: the status endpoint against a bare Next.js route handler reading one row
 * (scripts/bench/status-endpoint.ts), on a throw-away copy of the product started the way
 * `npm run bench:sync` starts it (scripts/lib/bench-stack.ts). One sync of 300 hired candidates to 3
 * webhook sources gives the run that 200 connections then poll with a Bearer token and with a session
 * cookie. Prints figures and asserts nothing; results also go to .data/bench/bench-status-<time>.json.
 *
 * Optional environment (defaults in brackets):
 *   BENCH_STATUS_CONNECTIONS=200  BENCH_STATUS_SECONDS=10 (per variant and round)  BENCH_STATUS_ROUNDS=3
 *   BENCH_STATUS_BREAKDOWN_REQUESTS=200
 *   BENCH_LOG_LEVEL=warn           LOG_LEVEL of the web and worker processes
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Api, createPosting, startSync, waitForRun } from './bench-sync';
import { formatStatusBench, runStatusEndpointBench } from './bench/status-endpoint';
import { root, say, withStack } from './lib/bench-stack';

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive whole number`);
  return v;
};
const CONNECTIONS = int('BENCH_STATUS_CONNECTIONS', 200);
const SECONDS = int('BENCH_STATUS_SECONDS', 10);
const ROUNDS = int('BENCH_STATUS_ROUNDS', 3);
const BREAKDOWN_REQUESTS = int('BENCH_STATUS_BREAKDOWN_REQUESTS', 200);

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

async function main(): Promise<void> {
  // The route's Server-Timing header gives the breakdown; the children inherit this environment.
  process.env.API_SERVER_TIMING = 'true';
  await withStack({ workers: 1 }, async (stack, mock) => {
    const api = new Api(stack.baseUrl, stack.token);
    const sourceIds: string[] = [];
    for (const prefix of ['st-a', 'st-b', 'st-c']) {
      const { data } = await api.call<{ id: string }>('POST', '/api/v1/sources', {
        name: `bench status ${prefix}`,
        connector: 'generic_webhook',
        base_url: mock.url,
        sync_endpoint: `/${prefix}/hired`,
        max_concurrency: 16,
        timeout_ms: 15_000,
        max_attempts: 3,
      });
      sourceIds.push(data.id);
    }
    const slug = await createPosting(api, 100);
    const taskId = await startSync(api, slug, sourceIds);
    const { body } = await waitForRun(api, taskId, 500);
    say(`run ${taskId}: ${body.status}, ${body.progress.succeeded} of ${body.progress.total} delivered`);

    const { systemActor } = await import('@/lib/auth/actor');
    const { createUser } = await import('@/lib/users/service');
    const { createApiToken } = await import('@/lib/tokens/service');
    const password = randomBytes(18).toString('base64url');
    const user = await createUser(stack.db, systemActor('bench'), {
      email: 'bench-recruiter@example.test',
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
      appPid: stack.pids().web,
      onLine: say,
    });
    const lines = [
      '',
      `Status endpoint, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per variant (autocannon), against a bare Next.js route reading one row`,
      ...formatStatusBench(result),
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    const file = path.join(
      root,
      '.data',
      'bench',
      `bench-status-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    mkdirSync(path.dirname(file), { recursive: true });
    const machine = { cores: os.cpus().length, node: process.versions.node, loadavg: os.loadavg() };
    writeFileSync(
      file,
      `${JSON.stringify({ machine, connections: CONNECTIONS, seconds: SECONDS, rounds: ROUNDS, ...result }, null, 2)}\n`,
    );
    say(`results written to ${path.relative(root, file)}`);
  });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench:status failed: ${err?.stack ?? err}`);
    process.exit(1);
  },
);
