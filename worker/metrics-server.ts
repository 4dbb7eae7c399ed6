import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PgBoss } from 'pg-boss';
import { Gauge } from 'prom-client';
import type { Env } from '@/lib/env';
import { isAppError } from '@/lib/errors';
import { getProcessRegistry } from '@/lib/metrics/registry';
import { authorizeMetrics, METRICS_CONTENT_TYPE } from '@/lib/metrics/service';

/**
 * The worker's own metrics on WORKER_METRICS_PORT (`GET /metrics`, same METRICS_TOKEN as the web):
 * what only this process knows — CPU, memory, event loop lag, GC, the jobs it is running now per
 * queue. Delivery outcomes are not counted here: they are in the database, which the web's
 * /api/metrics reads, so they add up across workers without any merging.
 */
export async function startWorkerMetricsServer(
  env: Env,
  info: { boss: PgBoss; workerId: string; concurrency: number },
  host = '0.0.0.0',
): Promise<{ port: number; close: () => Promise<void> }> {
  const registry = getProcessRegistry();
  // A second server in the same process (tests) replaces the first one's gauges.
  for (const name of ['ats_worker_info', 'ats_worker_jobs_active']) registry.removeSingleMetric(name);
  new Gauge({
    name: 'ats_worker_info',
    help: 'This worker process: its id (as in sync_deliveries.locked_by) and job slots',
    labelNames: ['worker_id', 'concurrency'],
    registers: [registry],
  }).set({ worker_id: info.workerId, concurrency: String(info.concurrency) }, 1);
  new Gauge({
    name: 'ats_worker_jobs_active',
    help: 'Jobs this worker is running now, by queue',
    labelNames: ['queue'],
    registers: [registry],
    collect() {
      this.reset();
      const byQueue = new Map<string, number>();
      for (const w of info.boss.getWipData()) byQueue.set(w.name, (byQueue.get(w.name) ?? 0) + w.count);
      for (const [queue, n] of byQueue) this.set({ queue }, n);
    },
  });

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || (path !== '/metrics' && path !== '/')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    try {
      authorizeMetrics(env, req.headers.authorization);
    } catch (err) {
      const status = isAppError(err) ? err.status : 500;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(isAppError(err) ? err.toBody() : { error: { code: 'internal_error' } }));
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('could not collect metrics\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.WORKER_METRICS_PORT ?? 0, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
