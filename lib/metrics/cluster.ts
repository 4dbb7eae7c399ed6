import { sql } from 'kysely';
import type { PgBoss } from 'pg-boss';
import { Gauge, type Metric, Registry } from 'prom-client';
import type { Database } from '@/db/client';
import { WORKER_ALIVE_SECONDS } from '@/lib/health/check-readiness';
import { RUN_STATUSES } from '@/lib/sync/statuses';
import { FAILING_AFTER_DELIVERIES } from '@/lib/webhooks/schemas';

/** Upper bounds of the delivery duration buckets, in seconds. */
export const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

type DeliveryRow = {
  source_id: string;
  source: string;
  status: string;
  n: number;
  retries: number;
  timed: number;
  duration_ms: number;
  buckets: number[];
};

export type ClusterStats = {
  runs: { status: string; n: number }[];
  deliveries: DeliveryRow[];
  workers: { alive: number; slots: number };
  queues: { name: string; queued: number; deferred: number; active: number }[];
  webhookEndpoints: { failing: number; total: number };
  webhookDeliveries: { status: string; n: number }[];
};

/**
 * The deployment as the database records it, the same whichever web process answers: runs and
 * deliveries over the retained history (SYNC_HISTORY_DAYS), the pg-boss queues and the workers
 * that are alive. One scan of sync_deliveries per call, so the caller caches it briefly.
 */
export async function findClusterStats(db: Database, boss: PgBoss): Promise<ClusterStats> {
  const bucketColumns = sql.join(
    DURATION_BUCKETS.map((b) => sql`count(*) filter (where d.duration_ms <= ${b * 1000})::int`),
  );
  const [runs, deliveries, workers, queues, endpoints, webhookDeliveries] = await Promise.all([
    db
      .selectFrom('sync_runs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute(),
    sql<DeliveryRow>`
      select d.source_id, s.name as source, d.status, count(*)::int as n,
             coalesce(sum(greatest(d.attempts - 1, 0)), 0)::int as retries,
             count(d.duration_ms)::int as timed, coalesce(sum(d.duration_ms), 0)::bigint as duration_ms,
             array[${bucketColumns}] as buckets
      from sync_deliveries d join sources s on s.id = d.source_id
      group by d.source_id, s.name, d.status
      order by s.name, d.status
    `.execute(db),
    db
      .selectFrom('worker_heartbeats')
      .select((eb) => [
        eb.fn.countAll<number>().as('alive'),
        sql<number>`coalesce(sum(concurrency), 0)::int`.as('slots'),
      ])
      .where('last_seen', '>', sql<Date>`now() - make_interval(secs => ${WORKER_ALIVE_SECONDS})`)
      .executeTakeFirstOrThrow(),
    boss.getQueues(),
    db
      .selectFrom('webhook_endpoints')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        sql<number>`count(*) filter (where consecutive_failures >= ${FAILING_AFTER_DELIVERIES})::int`.as('failing'),
      ])
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('webhook_deliveries')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute(),
  ]);
  return {
    runs,
    deliveries: deliveries.rows,
    workers,
    // pg-boss's own internal queues (`__pgboss__…`) are its business, not a depth to watch.
    queues: queues
      .filter((q) => !q.name.startsWith('__pgboss__'))
      .map((q) => ({
        name: q.name,
        queued: q.queuedCount,
        deferred: q.deferredCount,
        active: q.activeCount,
      })),
    webhookEndpoints: endpoints,
    webhookDeliveries,
  };
}

type Series = { labels: Record<string, string>; buckets: number[]; count: number; sum: number };

/** A histogram whose bucket counts come from the database rather than from observe(). */
function histogram(name: string, help: string, series: Series[]): Metric {
  const values = series.flatMap((s) => [
    ...DURATION_BUCKETS.map((le, i) => ({
      metricName: `${name}_bucket`,
      labels: { ...s.labels, le: String(le) },
      value: s.buckets[i],
    })),
    { metricName: `${name}_bucket`, labels: { ...s.labels, le: '+Inf' }, value: s.count },
    { metricName: `${name}_sum`, labels: s.labels, value: s.sum },
    { metricName: `${name}_count`, labels: s.labels, value: s.count },
  ]);
  const metric = { name, help, type: 'histogram', aggregator: 'sum', values };
  return { ...metric, get: async () => metric } as unknown as Metric;
}

function gauge<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]) {
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

/** The stats as Prometheus metrics (gauges: they fall when the retention job deletes history). */
export function clusterRegistry(stats: ClusterStats): Registry {
  const registry = new Registry();
  const runs = gauge(registry, 'ats_sync_runs', 'Sync runs in the retained history, by status', ['status']);
  // Every status is present, zero included, so a query never sees a series appear from nowhere.
  for (const status of RUN_STATUSES) runs.set({ status }, stats.runs.find((r) => r.status === status)?.n ?? 0);

  const deliveries = gauge(
    registry,
    'ats_sync_deliveries',
    'Deliveries (one candidate to one source) in the retained history, by source and status',
    ['source_id', 'source', 'status'],
  );
  const retries = gauge(
    registry,
    'ats_sync_delivery_retries',
    'Attempts beyond the first, summed over the retained deliveries, by source',
    ['source_id', 'source'],
  );
  const perSource = new Map<string, Series & { retries: number }>();
  for (const d of stats.deliveries) {
    deliveries.set({ source_id: d.source_id, source: d.source, status: d.status }, d.n);
    const s = perSource.get(d.source_id) ?? {
      labels: { source_id: d.source_id, source: d.source },
      buckets: DURATION_BUCKETS.map(() => 0),
      count: 0,
      sum: 0,
      retries: 0,
    };
    d.buckets.forEach((n, i) => {
      s.buckets[i] += n;
    });
    s.count += d.timed;
    s.sum += Number(d.duration_ms) / 1000;
    s.retries += d.retries;
    perSource.set(d.source_id, s);
  }
  for (const s of perSource.values()) retries.set(s.labels, s.retries);
  registry.registerMetric(
    histogram('ats_sync_delivery_duration_seconds', "Duration of each retained delivery's last attempt, by source", [
      ...perSource.values(),
    ]),
  );

  gauge(registry, 'ats_workers_alive', `Workers with a heartbeat in the last ${WORKER_ALIVE_SECONDS} s`, []).set(
    stats.workers.alive,
  );
  gauge(registry, 'ats_worker_slots', 'Job slots (WORKER_CONCURRENCY) summed over the live workers', []).set(
    stats.workers.slots,
  );
  const depth = gauge(registry, 'ats_queue_depth', 'Jobs waiting in a pg-boss queue (including deferred ones)', [
    'queue',
  ]);
  const deferred = gauge(registry, 'ats_queue_deferred', 'Jobs in a queue waiting for their start time (retries)', [
    'queue',
  ]);
  const active = gauge(registry, 'ats_queue_active', 'Jobs a worker is processing now, by queue', ['queue']);
  for (const q of stats.queues) {
    depth.set({ queue: q.name }, q.queued);
    deferred.set({ queue: q.name }, q.deferred);
    active.set({ queue: q.name }, q.active);
  }
  const endpoints = gauge(registry, 'ats_webhook_endpoints', 'Completion webhook endpoints, by state', ['state']);
  endpoints.set({ state: 'failing' }, stats.webhookEndpoints.failing);
  endpoints.set({ state: 'ok' }, stats.webhookEndpoints.total - stats.webhookEndpoints.failing);
  const webhookDeliveries = gauge(
    registry,
    'ats_webhook_deliveries',
    'Completion webhook deliveries in the retained history, by status',
    ['status'],
  );
  for (const w of stats.webhookDeliveries) webhookDeliveries.set({ status: w.status }, w.n);
  return registry;
}
