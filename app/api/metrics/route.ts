import type { NextRequest } from 'next/server';
import { errorResponse } from '@/lib/api/error-response';
import { withApiSecurityHeaders } from '@/lib/api/security-headers';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { getLogger } from '@/lib/logger';
import { authorizeMetrics, METRICS_CONTENT_TYPE, renderWebMetrics } from '@/lib/metrics/service';
import { getSender } from '@/lib/queue/sender';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const dynamic = 'force-dynamic';

/**
 * Prometheus text format. Not wrapped in route(): its Bearer token is METRICS_TOKEN, not a user's
 * API token, and a scrape is not an API request worth observing.
 */
export async function GET(req: NextRequest): Promise<Response> {
  try {
    authorizeMetrics(getEnv(), req.headers.get('authorization'));
    const text = await renderWebMetrics(getDb(), await getSender());
    return withApiSecurityHeaders(
      new Response(text, { headers: { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' } }),
    );
  } catch (err) {
    return withApiSecurityHeaders(errorResponse(err, getLogger().child({ path: '/api/metrics' })));
  }
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
