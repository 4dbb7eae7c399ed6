import { NextResponse } from 'next/server';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const dynamic = 'force-dynamic';

/**
 * Liveness: the process is up and answering. Not wrapped in route(): it reads no session and
 * touches no database on purpose, so a database outage does not get healthy web processes
 * restarted. /api/health/ready says whether the deployment can work.
 */
export function GET(): Response {
  return NextResponse.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
