import { findQueuesWithDueJobs } from '@/lib/queue/due-jobs-repository';
import { deliverQueue } from '@/lib/queue/queues';
import type { SourceConfig } from '@/lib/sync/connectors/types';
import { listSourceRows } from '@/lib/sources/repository';
import { loadSourceConfigs, toSourceConfig } from '@/lib/sources/service';
import type { DeliverQueues } from '@/lib/queue/queues';
import { deliverFetchPlan } from '@/lib/sync/jobs';
import type { WorkerContext } from './context';

type Registration = { workId: string; key: string; config: SourceConfig; fast: boolean };

// pg-boss polls every queue on its own: with 200 sources that was 200 fetches a second and loop,
// most of them empty. A new job wakes its queue's workers at once (NOTIFY); jobs that become due
// later (retries, pauses, another worker's jobs after a lost NOTIFY) are found by one statement
// for all the queues every DUE_CHECK_MS, which wakes the workers of those queues. pg-boss's own
// polling stays as a backstop.
const DUE_CHECK_MS = 1000;
const BACKSTOP_POLL_SECONDS = 30;

// The plan itself, not the answer speed: a source whose plan is the same either way (a job that
// fills its slots) is not registered again when its speed changes.
const planKey = (c: SourceConfig, fast: boolean) => {
  const { loops, batchSize } = deliverFetchPlan(c, { fast });
  return `${c.connector}:${c.batchSize}:${c.maxConcurrency}:${loops}x${batchSize}`;
};

/**
 * One pg-boss queue and worker per active source, sized by deliverFetchPlan: `loops` fetch loops
 * each taking a batch of jobs, holding two to five times as many requests as the source's
 * max_concurrency; the engine's per-source slots keep at most max_concurrency of them in flight
 * across all workers. A slow source only ties up its own loops. Reconciled every few seconds with
 * the sources table (new, changed, deactivated sources); due jobs are looked for every second.
 */
export function startSourceQueues(
  ctx: WorkerContext,
  queues: DeliverQueues,
  handle: (source: SourceConfig, jobs: { runId: string; deliveryIds: string[] }[]) => Promise<void>,
  {
    intervalMs = 3000,
    backstopPollSeconds = BACKSTOP_POLL_SECONDS,
    answersFast = () => false,
  }: {
    intervalMs?: number;
    backstopPollSeconds?: number;
    /** Whether the source has been answering fast: its fetch plan then holds more (deliverFetchPlan). */
    answersFast?: (sourceId: string) => boolean;
  } = {},
) {
  const registrations = new Map<string, Registration>();
  let timer: NodeJS.Timeout | undefined;
  let dueTimer: NodeJS.Timeout | undefined;
  let dueCheck: Promise<void> = Promise.resolve();
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  async function register(config: SourceConfig, fast: boolean): Promise<Registration> {
    const name = await queues.ensure(config.id);
    const { loops, batchSize } = deliverFetchPlan(config, { fast });
    // pg-boss fetches again at once only while batches come back full and batchSize > 1; at batchSize 1
    // it waits the polling interval after every job, capping a source below 8 requests in flight at
    // `loops` deliveries a second however fast it answers. A loop that did work looks again at once
    // (an empty look then waits as usual).
    const fetchAgain = () => {
      if (batchSize > 1) return;
      for (const w of ctx.boss.getWipData()) if (w.workId === workId) ctx.boss.notifyWorker(w.id);
    };
    const workId: string = await ctx.boss.work<{ runId: string; sourceId: string; deliveryIds: string[] }>(
      name,
      {
        localConcurrency: loops,
        batchSize,
        burstWhenBatchFull: true,
        pollingIntervalSeconds: backstopPollSeconds,
        notifyPollingIntervalSeconds: backstopPollSeconds,
      },
      async (jobs) => {
        const current = registrations.get(config.id)?.config ?? config;
        try {
          await handle(
            current,
            jobs.map((j) => j.data),
          );
        } catch (err) {
          // pg-boss retries the jobs; the cause goes to our log with its stack.
          ctx.log.error({ err, sourceId: config.id, jobs: jobs.length }, 'delivery batch failed');
          throw err;
        } finally {
          fetchAgain();
          // The source began or stopped answering fast: its next fetches take another plan.
          const reg = registrations.get(config.id);
          if (reg?.workId === workId && answersFast(config.id) !== reg.fast) replan(config.id);
        }
      },
    );
    return { workId, key: planKey(config, fast), config, fast };
  }

  /** Takes the source's current settings; a new source, or a changed fetch plan, is (re)registered. */
  async function apply(config: SourceConfig): Promise<void> {
    const existing = registrations.get(config.id);
    const fast = answersFast(config.id);
    if (existing && existing.key === planKey(config, fast)) {
      existing.config = config;
      existing.fast = fast;
      return;
    }
    if (existing) await ctx.boss.offWork(deliverQueue.name(config.id), { id: existing.workId, wait: false });
    registrations.set(config.id, await register(config, fast));
    ctx.log.info(
      { sourceId: config.id, source: config.name, maxConcurrency: config.maxConcurrency, answersFast: fast },
      'delivering to source',
    );
  }

  /** Registers a source's queue again with the plan its answer speed calls for (after its batch). */
  function replan(sourceId: string): void {
    if (stopped) return;
    running = running
      .then(async () => {
        const reg = registrations.get(sourceId);
        if (reg && !stopped) await apply(reg.config);
      })
      .catch((err) => ctx.log.warn({ err, sourceId }, 'could not change the fetch plan of a source'));
  }

  async function reconcile(): Promise<void> {
    const rows = await listSourceRows(ctx.db, { activeOnly: true });
    const seen = new Set<string>();
    for (const row of rows) {
      seen.add(row.id);
      await apply(toSourceConfig(row));
    }
    for (const [id, reg] of registrations) {
      if (seen.has(id)) continue;
      await ctx.boss.offWork(deliverQueue.name(id), { id: reg.workId, wait: false });
      registrations.delete(id);
      ctx.log.info({ sourceId: id }, 'source inactive: stopped delivering to it');
    }
  }

  /** Wakes the fetch loops of the queues that have a job to start now. */
  async function wakeDue(): Promise<void> {
    const names = [...registrations.keys()].map((id) => deliverQueue.name(id));
    const due = new Set(await findQueuesWithDueJobs(ctx.db, ctx.env.PGBOSS_SCHEMA, names));
    if (due.size === 0) return;
    const workIds = new Set<string>();
    for (const [id, reg] of registrations) if (due.has(deliverQueue.name(id))) workIds.add(reg.workId);
    for (const w of ctx.boss.getWipData()) if (workIds.has(w.workId)) ctx.boss.notifyWorker(w.id);
  }

  const scheduleDueCheck = () => {
    if (stopped) return;
    dueTimer = setTimeout(() => {
      dueCheck = wakeDue()
        .catch((err) => ctx.log.warn({ err }, 'could not look for due delivery jobs'))
        .finally(scheduleDueCheck);
    }, DUE_CHECK_MS);
    dueTimer.unref();
  };

  const tick = () => {
    running = running
      .then(() => (stopped ? undefined : reconcile()))
      .catch((err) => ctx.log.warn({ err }, 'could not refresh the source queues'));
    return running;
  };

  return {
    async start() {
      await reconcile();
      timer = setInterval(() => void tick(), intervalMs);
      timer.unref();
      scheduleDueCheck();
    },
    /** Picks up new and changed sources at once (a source was created or edited). */
    refresh: tick,
    /**
     * Makes sure the given sources are worked here with their current settings (one query): a
     * fan-out calls it before it enqueues for them.
     */
    ensure(ids: string[]): Promise<void> {
      if (stopped) return Promise.resolve();
      running = running
        .then(async () => {
          for (const config of await loadSourceConfigs(ctx.db, ids)) await apply(config);
        })
        .catch((err) => ctx.log.warn({ err }, 'could not start delivering to a source: the reconcile will'));
      return running;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(dueTimer);
      await Promise.all([running, dueCheck]);
    },
    queues: () => [...registrations.keys()].map((id) => deliverQueue.name(id)),
  };
}
