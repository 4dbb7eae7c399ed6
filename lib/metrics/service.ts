import { createHash, timingSafeEqual } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import { Registry } from 'prom-client';
import type { Database } from '@/db/client';
import type { Env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { clusterRegistry, findClusterStats } from './cluster';
import { getProcessRegistry } from './registry';

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Metrics are off until METRICS_TOKEN is set (404, so an unconfigured deployment does not even
 * advertise them); then they need `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise).
 */
export function authorizeMetrics(env: Pick<Env, 'METRICS_TOKEN'>, authorization: string | null | undefined): void {
  if (!env.METRICS_TOKEN) {
    throw new AppError('not_found', 'metrics are disabled: set METRICS_TOKEN to serve them');
  }
  const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  // Compared as digests: equal length, constant time, whatever was sent.
  if (!given || !timingSafeEqual(digest(given), digest(env.METRICS_TOKEN))) {
    throw new AppError('unauthorized', 'send the metrics token as "Authorization: Bearer <METRICS_TOKEN>"');
  }
}

// Several scrapers (or a scraper and a person) within a few seconds share one set of queries.
const CLUSTER_CACHE_MS = 5000;
let cached: { at: number; text: Promise<string> } | undefined;

function clusterText(db: Database, boss: PgBoss): Promise<string> {
  if (cached && Date.now() - cached.at < CLUSTER_CACHE_MS) return cached.text;
  const text = findClusterStats(db, boss).then((stats) => clusterRegistry(stats).metrics());
  cached = { at: Date.now(), text };
  text.catch(() => {
    if (cached?.text === text) cached = undefined;
  });
  return text;
}

/** The web's exposition: the cluster as the database records it, then this process's own metrics. */
export async function renderWebMetrics(db: Database, boss: PgBoss): Promise<string> {
  const [cluster, own] = await Promise.all([clusterText(db, boss), getProcessRegistry().metrics()]);
  return `${cluster}\n${own}`;
}
