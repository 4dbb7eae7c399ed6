import type { Database } from '@/db/client';
import { countReadinessCheck } from '@/lib/metrics/registry';
import { checkReadiness, type Readiness } from './check-readiness';

/** How long one readiness result answers every probe of this process. */
export const READINESS_CACHE_MS = 1000;

type Cached = { result: Promise<Readiness>; expiresAt: number };

// On globalThis, like the database handle, so a dev reload does not start a second cache.
const holder = globalThis as unknown as { __atsReadiness?: Cached };

/**
 * checkReadiness, at most once per second per process: probes arriving while a check runs wait
 * for it, and its result answers them all for a second after it is known. A flood of probes (or
 * a load balancer per web instance polling fast) thus costs the database one check per second,
 * and a database that is slow to answer is not sent more checks while it is.
 */
export function getReadiness(db: Database, options: { bossSchema: string }): Promise<Readiness> {
  const cached = holder.__atsReadiness;
  if (cached && Date.now() < cached.expiresAt) return cached.result;
  countReadinessCheck();
  const entry: Cached = { result: checkReadiness(db, options), expiresAt: Number.POSITIVE_INFINITY };
  holder.__atsReadiness = entry;
  const expire = () => {
    entry.expiresAt = Date.now() + READINESS_CACHE_MS;
  };
  // A check that threw is not kept: the next probe tries again.
  entry.result.then(expire, () => {
    if (holder.__atsReadiness === entry) holder.__atsReadiness = undefined;
  });
  return entry.result;
}
