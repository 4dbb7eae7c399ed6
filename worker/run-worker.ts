import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { PgBoss } from 'pg-boss';
import { closeDb, getDb } from '@/lib/db';
import { ConfigError, getEnv } from '@/lib/env';
import { getLogger } from '@/lib/logger';
import { type AlertEvaluator, startAlertEvaluator } from '@/lib/alerts/evaluator';
import { createBoss } from '@/lib/queue/boss';
import { startHeartbeat } from './heartbeat';
import { startWorkerMetricsServer } from './metrics-server';
import { registerHandlers } from './register-handlers';

/** What a spawned worker sends its parent (over IPC, when it has one) once it is ready. */
export type WorkerReadyMessage = { type: 'ready'; workerId: string };

type Started = {
  boss?: PgBoss;
  handlers?: Awaited<ReturnType<typeof registerHandlers>>;
  heartbeat?: ReturnType<typeof startHeartbeat>;
  metrics?: Awaited<ReturnType<typeof startWorkerMetricsServer>>;
  alerts?: AlertEvaluator;
};

/**
 * Starts the worker (pg-boss, handlers, heartbeat, metrics) and says it is ready: the log line
 * 'worker ready' and, when spawned with an IPC channel, a WorkerReadyMessage. Runs until
 * `stopRequested` settles, then shuts down gracefully and exits 0. A stop requested during
 * start-up lets the step under way finish, skips the rest and stops what did start.
 */
export async function runWorker(stopRequested: Promise<NodeJS.Signals>): Promise<void> {
  try {
    await startAndServe(stopRequested);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    getLogger().fatal({ err }, 'worker failed to start');
    process.exit(1);
  }
}

async function startAndServe(stopRequested: Promise<NodeJS.Signals>): Promise<void> {
  const env = getEnv();
  const log = getLogger();
  let stopSignal: NodeJS.Signals | undefined;
  let ready = false;
  void stopRequested.then((signal) => {
    stopSignal = signal;
    if (!ready) log.info({ signal }, 'stop requested during start-up: stopping after the step under way');
  });
  // Every write the worker makes is followed by a pg-boss job completion, committed synchronously,
  // whose WAL flush covers it; or it is safe to repeat (deliveries carry their Idempotency-Key).
  // So its own commits need not wait for the flush (README, "Durability").
  const db = getDb({ synchronousCommit: false });
  const workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const started: Started = {};

  const startUp = async () => {
    const boss = createBoss(env, 'worker');
    started.boss = boss;
    await boss.start();
    if (stopSignal) return;
    started.handlers = await registerHandlers({ boss, db, env, log, workerId });
    if (stopSignal) return;
    // Written only once the handlers run: a heartbeat row means this worker takes work.
    const heartbeat = startHeartbeat(db, { id: workerId, concurrency: env.WORKER_CONCURRENCY });
    started.heartbeat = heartbeat;
    await heartbeat.start((err) => log.warn({ err }, 'heartbeat failed'));
    // Alerts (issue 23): every worker and web process evaluates; an advisory lock makes it once.
    started.alerts = startAlertEvaluator(db, { intervalSeconds: env.ALERTS_EVALUATE_SECONDS, log });
    if (stopSignal || !env.WORKER_METRICS_PORT) return;
    started.metrics = await startWorkerMetricsServer(env, { boss, workerId, concurrency: env.WORKER_CONCURRENCY });
  };
  await startUp();

  if (!stopSignal) {
    ready = true;
    log.info(
      {
        workerId,
        concurrency: env.WORKER_CONCURRENCY,
        queues: started.handlers?.queues,
        metricsPort: started.metrics?.port,
      },
      'worker ready',
    );
    const message: WorkerReadyMessage = { type: 'ready', workerId };
    // The callback keeps a parent that has gone away from turning into an 'error' event here.
    process.send?.(message, undefined, {}, (err) => err && log.warn({ err }, 'could not report readiness'));
  }

  const signal = await stopRequested;
  log.info({ signal }, 'worker stopping: no new jobs, finishing in-flight work');
  try {
    // Graceful: stop fetching, wait for running handlers; pg-boss releases what does not finish in time.
    await started.boss?.stop({ graceful: true, timeout: env.JOB_TIMEOUT_SECONDS * 1000 });
    await started.handlers?.close();
    await started.heartbeat?.stop();
    await started.alerts?.stop();
    await started.metrics?.close();
  } catch (err) {
    log.error({ err }, 'error during shutdown');
  } finally {
    await closeDb();
    log.info('worker stopped');
    process.exit(0);
  }
}
