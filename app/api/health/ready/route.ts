import { NextResponse } from 'next/server';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { checkReadiness } from '@/lib/health/check-readiness';

export const dynamic = 'force-dynamic';

/**
 * Readiness: 200 when the database, the schema, the queue and a live worker are there; 503 naming
 * the failing checks. Public and sessionless (not route()): a load balancer calls it, and a
 * session lookup would turn a database outage into a 500 instead of the 503 that explains it.
 */
export async function GET(): Promise<Response> {
  const readiness = await checkReadiness(getDb(), { bossSchema: getEnv().PGBOSS_SCHEMA });
  return NextResponse.json(readiness, {
    status: readiness.status === 'ok' ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
}
