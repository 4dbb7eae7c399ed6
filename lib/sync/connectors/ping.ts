import { randomUUID } from 'node:crypto';
import { commonHeaders, joinUrl } from '../payload';
import { z } from 'zod';
import type { ConnectorModule } from './contract';
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

const noSettings = z.strictObject({});

/**
 * What both envelope connectors (receivers of ours) are alike in: no settings of their own, any
 * auth the admin chooses per source, no target fields (their `field_mapping` renames inside the
 * event), create only, and the signed ping as connection test.
 */
export const ownReceiver = {
  docs: [],
  settings: noSettings,
  settingFields: [],
  auth: { type: 'per_source', fields: [] },
  defaultBaseUrl: () => '',
  rateLimit: {
    requestsPerMinute: null,
    note: 'Whatever the receiver allows: set max requests per minute on the source.',
  },
  targetFields: [],
  defaultMapping: {},
  actions: ['create'],
  connectionTest: {
    request: ({ source, now }) => pingRequest(source, now),
    explain: explainPing,
  },
} satisfies Partial<ConnectorModule<z.infer<typeof noSettings>>>;
