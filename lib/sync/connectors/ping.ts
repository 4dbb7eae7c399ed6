import { randomUUID } from 'node:crypto';
import { commonHeaders, joinUrl } from '../payload';
import type { OutboundRequest, SourceConfig } from './types';

/** The connection test of the two envelope connectors: a signed `{"type":"ping","test":true}` event. */
export function pingRequest(source: SourceConfig, now: Date): OutboundRequest {
  const pingId = randomUUID();
  const body = JSON.stringify({ id: pingId, type: 'ping', test: true, created_at: now.toISOString() });
  return {
    url: joinUrl(source.baseUrl, source.syncEndpoint),
    method: source.httpMethod,
    headers: {
      ...commonHeaders(source, body, { idempotencyKey: pingId, deliveryId: pingId }, now),
      'x-ats-event': 'ping',
    },
    body,
  };
}

// A receiver of ours has no vendor words for a failure: the status and its answer, which the
// connection test reports anyway, say everything.
export const explainPing = (): string | null => null;
