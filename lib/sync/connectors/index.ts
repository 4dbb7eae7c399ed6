import type { SourceConnector } from '@/db/types';
import { genericWebhook } from './generic-webhook';
import { restBatch } from './rest-batch';
import type { Connector } from './types';

/** Every connector, by name. A new kind of system is one new file and one line here. */
export const CONNECTORS: Record<SourceConnector, Connector> = {
  generic_webhook: genericWebhook,
  rest_batch: restBatch,
};

export function connectorFor(kind: SourceConnector): Connector {
  return CONNECTORS[kind];
}
