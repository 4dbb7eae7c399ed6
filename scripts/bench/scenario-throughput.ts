/**
 * 10,000 hired x 1 source at 0 ms (the lean receiver): what the engine itself costs per delivery.
 * Sources long known to the worker, one warm-up run first (V8 and PostgreSQL get faster over the
 * first thousands of deliveries). Time is POST -> the run's finished_at; CPU is counted per process.
 */
import os from 'node:os';
import { say, sleep } from '../lib/bench-stack';
import {
  formatActivity,
  formatPostgresCpu,
  formatStatements,
  measureStatements,
  sampleActivity,
  samplePostgresCpu,
} from '../lib/bench-activity';
import { createPosting, createSources, deactivateSources, startSync, tag, waitForRun } from './api';
import { type BenchContext, int } from './context';
import { cpuDelta, cpuPerDelivery, limitedBy, machineCpu, median, round } from './measure';
import { type MinimalDeliverer, startMinimalDeliverer } from './minimal-baseline';
import type { ScenarioResult } from './table';

const CANDIDATES = 10_000;
const TARGET_PER_S = 5000;
const CONCURRENCY = Math.min(64, Math.max(1, int('BENCH_S2_CONCURRENCY', 32)));

/** One timed sync to sources at the lean receiver, with CPU per process and database statements. */
export async function timedLeanSync(
  ctx: BenchContext,
  slug: string,
  sourceIds: string[] | null,
  statementsFor?: string,
) {
  const { api, stack, lean } = ctx;
  await lean.reset();
  await sleep(300);
  const cpuBefore = { ...stack.cpu(), receiver: lean.cpuSeconds() };
  const statements = await measureStatements(stack.db, stack.pgStatements);
  const machine = machineCpu();
  const sampler = process.env.BENCH_ACTIVITY === '1' ? sampleActivity(stack.db) : undefined;
  const postgresCpu = samplePostgresCpu(stack.db, () => stack.cpu().postgres);
  const t0 = Date.now();
  const taskId = await startSync(api, slug, sourceIds);
  const { body } = await waitForRun(api, taskId, 500);
  const cpu = cpuDelta(cpuBefore, { ...stack.cpu(), receiver: lean.cpuSeconds() });
  const machineShare = machine();
  const activity = await sampler?.stop();
  const postgresByProcess = await postgresCpu.stop();
  const database = await statements.stop();
  const stats = await lean.stats();
  const seconds = (Date.parse(body.finished_at as string) - t0) / 1000;
  const deliveries = body.progress.total;
  for (const line of formatPostgresCpu(postgresByProcess, deliveries)) say(line);
  if (statementsFor) {
    for (const line of formatStatements(database, { name: 'delivery', count: deliveries })) say(line);
    if (activity) for (const line of formatActivity(activity)) say(line);
  }
  return {
    task_id: taskId,
    status: body.status,
    deliveries,
    succeeded: body.progress.succeeded,
    seconds: round(seconds, 3),
    deliveries_per_s: Math.round(deliveries / seconds),
    first_delivery_ms: (stats.first_at ?? Number.NaN) - t0,
    receiver: stats,
    cpu_seconds: cpu,
    machine_busy: round(machineShare.busy, 2),
    machine_steal: round(machineShare.steal, 3),
    ...cpuPerDelivery(cpu, deliveries),
    db_statements: database,
    db_activity: activity,
    db_cpu_by_process: postgresByProcess,
  };
}

/** The same-run baseline: the minimal deliverer's run of as many deliveries, with its CPU. */
async function timedMinimal(ctx: BenchContext, minimal: MinimalDeliverer) {
  const { stack, lean } = ctx;
  await lean.reset();
  await sleep(300);
  const snapshot = () => ({
    postgres: stack.cpu().postgres,
    minimal: minimal.cpuSeconds(),
    receiver: lean.cpuSeconds(),
  });
  const before = snapshot();
  const machine = machineCpu();
  const result = await minimal.run(CANDIDATES, CONCURRENCY, lean.url);
  const cpu = cpuDelta(before, snapshot());
  const machineShare = machine();
  const stats = await lean.stats();
  return {
    deliveries: result.deliveries,
    seconds: round(result.seconds, 3),
    deliveries_per_s: Math.round(result.deliveries / result.seconds),
    failed: result.failed,
    receiver: stats,
    cpu_seconds: cpu,
    machine_busy: round(machineShare.busy, 2),
    ...cpuPerDelivery(cpu, result.deliveries),
  };
}

export async function runThroughput(ctx: BenchContext): Promise<ScenarioResult> {
  const sourceIds = await createSources(ctx.api, ctx.stack, ctx.lean.url, [`tp${tag()}`], CONCURRENCY, true);
  const minimal = await startMinimalDeliverer(process.env.DATABASE_URL as string);
  const warm = await timedLeanSync(ctx, await createPosting(ctx.api, CANDIDATES), sourceIds);
  say(`throughput warm-up (not counted): ${warm.deliveries} deliveries in ${warm.seconds} s`);
  const minimalWarm = await timedMinimal(ctx, minimal);
  say(`minimal deliverer warm-up (not counted): ${minimalWarm.deliveries} deliveries in ${minimalWarm.seconds} s`);
  const rounds: Awaited<ReturnType<typeof timedLeanSync>>[] = [];
  const baselines: Awaited<ReturnType<typeof timedMinimal>>[] = [];
  const baselineRound = async (r: number) => {
    const b = await timedMinimal(ctx, minimal);
    baselines.push(b);
    say(
      `throughput round ${r}, minimal deliverer: ${b.deliveries - b.failed}/${b.deliveries} in ${b.seconds} s (${b.deliveries_per_s}/s), ` +
        `receiver accepted ${b.receiver.accepted} rejected ${b.receiver.rejected}, ` +
        `CPU ms/delivery ${JSON.stringify(b.cpu_ms_per_delivery)}, machine busy ${Math.round(b.machine_busy * 100)}%`,
    );
  };
  for (let r = 1; r <= ctx.rounds; r++) {
    // Alternate which of the two goes first: neither always meets the other's autovacuum.
    if (r % 2 === 1) await baselineRound(r);
    const slug = await createPosting(ctx.api, CANDIDATES);
    const x = await timedLeanSync(ctx, slug, sourceIds, r === 1 ? 'delivery' : undefined);
    rounds.push(x);
    say(
      `throughput round ${r}: ${x.status} ${x.succeeded}/${x.deliveries} in ${x.seconds} s (${x.deliveries_per_s}/s), ` +
        `receiver accepted ${x.receiver.accepted} rejected ${x.receiver.rejected} duplicates ${x.receiver.duplicates}, ` +
        `CPU ms/delivery ${JSON.stringify(x.cpu_ms_per_delivery)}, machine busy ${Math.round(x.machine_busy * 100)}% (VM steal ${Math.round(x.machine_steal * 100)}%)`,
    );
    if (r % 2 === 0) await baselineRound(r);
  }
  await deactivateSources(ctx.api, sourceIds);
  await minimal.close();
  const rate = median(rounds.map((x) => x.deliveries_per_s));
  const baseRate = median(baselines.map((b) => b.deliveries_per_s));
  const mid = rounds.find((x) => x.deliveries_per_s === rate) ?? rounds[0];
  const cpuMedian = medianByProcess(rounds.map((x) => x.cpu_ms_per_delivery));
  const baseCpu = medianByProcess(baselines.map((b) => b.cpu_ms_per_delivery));
  const ceiling = Math.round((os.cpus().length * 1000) / cpuMedian.total);
  return {
    key: 'throughput',
    title: `10,000 hired x 1 source at 0 ms (lean receiver), max_concurrency ${CONCURRENCY} (median of ${rounds.length})`,
    rows: [
      {
        figure: 'deliveries/s (POST -> finished_at)',
        value: rate,
        against: TARGET_PER_S,
        ratio: round(rate / TARGET_PER_S, 2),
        target: '>= 1.0x',
        limitedBy: limitedBy(
          mid.cpu_seconds,
          mid.seconds,
          'waits: locks, queue, round trips',
          mid.machine_busy,
          mid.machine_steal,
        ),
      },
      {
        figure: 'CPU ms per delivery, all processes (medians)',
        value: cpuMedian.total,
        against: null,
        ratio: null,
        target: '< 0.4',
        limitedBy: perProcess(cpuMedian),
      },
      {
        figure: `CPU-bound ceiling, deliveries/s`,
        value: ceiling,
        against: TARGET_PER_S,
        ratio: round(ceiling / TARGET_PER_S, 2),
        target: '>= 1.0x',
        limitedBy: 'CPU',
      },
      {
        figure: 'deliveries/s against a minimal deliverer',
        value: rate,
        against: baseRate,
        ratio: round(rate / baseRate, 2),
        target: 'same run',
        limitedBy: `minimal: CPU ${baseCpu.total} ms/delivery (${perProcess(baseCpu)})`,
      },
      {
        figure: 'receiver: rejected / duplicates',
        value: `${Math.max(...rounds.map((x) => x.receiver.rejected))} / ${Math.max(...rounds.map((x) => x.receiver.duplicates))}`,
        against: '0 / 0',
        ratio: null,
        target: '0 / 0',
        limitedBy: '',
      },
    ],
    detail: {
      rate_per_s: rate,
      cpu_ms_per_delivery_median: cpuMedian,
      warm_up: warm,
      rounds,
      minimal_deliverer: {
        rate_per_s: baseRate,
        cpu_ms_per_delivery_median: baseCpu,
        warm_up: minimalWarm,
        rounds: baselines,
      },
    },
  };
}

/**
 * Per process, the median over the rounds: a round's autovacuum or another tenant's burst lands on
 * one process of one round, and the median-rate round need not be the typical one for CPU.
 */
function medianByProcess(perRound: Record<string, number>[]): Record<string, number> {
  return Object.fromEntries(Object.keys(perRound[0]).map((k) => [k, median(perRound.map((x) => x[k] ?? Number.NaN))]));
}

const perProcess = (cpu: Record<string, number>) =>
  Object.entries(cpu)
    .filter(([k]) => k !== 'total')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
