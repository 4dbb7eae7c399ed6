import { type NextRequest, NextResponse } from 'next/server';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { canReadReadinessDetails } from '@/lib/health/can-read-readiness-details';
import { summariseReadiness } from '@/lib/health/check-readiness';
import { getReadiness } from '@/lib/health/get-readiness';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const dynamic = 'force-dynamic';

/**
 * Readiness: 200 when the database, the schema and the queue are there (status `degraded` when no
 * worker is alive: the web keeps serving); 503 otherwise. Everyone gets each check's ok; admins and the metrics token also the reasons. Not
 * route(): a load balancer calls it signed out, and a failed session lookup must not turn the
 * 503 of a database outage into a 500. Results are shared for a second (getReadiness).
 */
export async function GET(req: NextRequest): Promise<Response> {
  const db = getDb();
  const readiness = await getReadiness(db, { bossSchema: getEnv().PGBOSS_SCHEMA });
  const body = (await canReadReadinessDetails(req, db)) ? readiness : summariseReadiness(readiness);
  return NextResponse.json(body, {
    status: readiness.status === 'unavailable' ? 503 : 200,
    headers: { 'cache-control': 'no-store' },
  });
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
