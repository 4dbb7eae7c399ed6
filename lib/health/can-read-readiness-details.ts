import { canReadAdmin } from '@/lib/auth/actor';
import type { NextRequest } from 'next/server';
import type { Database } from '@/db/client';
import { findActor } from '@/lib/api/route';
import { getEnv } from '@/lib/env';
import { authorizeMetrics } from '@/lib/metrics/service';

/**
 * Readiness details (error texts, migration names, versions, timings) are for admins (session or
 * API token) and for the monitoring that holds METRICS_TOKEN. Everyone else gets the statuses.
 * Never throws: an unknown token or an unreachable database leaves the caller with the statuses,
 * so the probe still answers 200/503 and not a 401 or 500.
 */
export async function canReadReadinessDetails(req: NextRequest, db: Database): Promise<boolean> {
  const env = getEnv();
  const authorization = req.headers.get('authorization');
  if (env.METRICS_TOKEN && authorization) {
    try {
      authorizeMetrics(env, authorization);
      return true;
    } catch {
      // Not the metrics token; it may still be an admin's API token.
    }
  }
  try {
    const actor = await findActor(req, db);
    return actor?.kind === 'user' && canReadAdmin(actor);
  } catch {
    return false;
  }
}
