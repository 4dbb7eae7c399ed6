import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { closeDb, getDb } from '@/lib/db';
import { ConfigError, getEnv } from '@/lib/env';
import { getLogger } from '@/lib/logger';
import { createBoss } from '@/lib/queue/boss';
import { startHeartbeat } from './heartbeat';
import { startWorkerMetricsServer } from './metrics-server';
import { registerHandlers } from './register-handlers';

process.env.ATS_PROCESS ??= 'worker';

async function main(): Promise<void> {
  const env = getEnv();
  const log = getLogger();
  // Every write the worker makes is followed by a pg-boss job completion, committed synchronously,
  // whose WAL flush covers it; or it is safe to repeat (deliveries carry their Idempotency-Key).
  // So its own commits need not wait for the flush (README, "Durability").
  const db = getDb({ synchronousCommit: false });
  const workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const boss = createBoss(env, 'worker');
  await boss.start();
  const handlers = await registerHandlers({ boss, db, env, log, workerId });
  const heartbeat = startHeartbeat(db, { id: workerId, concurrency: env.WORKER_CONCURRENCY });
  await heartbeat.start((err) => log.warn({ err }, 'heartbeat failed'));
  const metrics = env.WORKER_METRICS_PORT
    ? await startWorkerMetricsServer(env, { boss, workerId, concurrency: env.WORKER_CONCURRENCY })
    : undefined;
  log.info(
    { workerId, concurrency: env.WORKER_CONCURRENCY, queues: handlers.queues, metricsPort: metrics?.port },
    'worker started',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker stopping: no new jobs, finishing in-flight work');
    try {
      // Graceful: stop fetching, wait for running handlers; pg-boss releases what does not finish in time.
      await boss.stop({ graceful: true, timeout: env.JOB_TIMEOUT_SECONDS * 1000 });
      await handlers.close();
      await heartbeat.stop();
      await metrics?.close();
    } catch (err) {
      log.error({ err }, 'error during shutdown');
    } finally {
      await closeDb();
      log.info('worker stopped');
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78);
  }
  getLogger().fatal({ err }, 'worker failed to start');
  process.exit(1);
});
