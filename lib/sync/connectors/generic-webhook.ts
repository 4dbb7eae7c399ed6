import { applyFieldMapping, buildDataObject, commonHeaders, joinUrl } from '../payload';
import { classify } from './outcomes';
import type { Connector } from './types';

/** One candidate per request, as a signed candidate.hired event. */
export const genericWebhook: Connector = {
  kind: 'generic_webhook',
  itemsPerRequest: () => 1,
  buildRequest(source, items, now) {
    const item = items[0];
    const body = JSON.stringify({
      id: item.deliveryId,
      type: 'candidate.hired',
      created_at: now.toISOString(),
      attempt: item.attempt,
      data: applyFieldMapping(buildDataObject(item), source.fieldMapping),
    });
    return {
      url: joinUrl(source.baseUrl, source.syncEndpoint),
      method: source.httpMethod,
      headers: commonHeaders(source, body, { idempotencyKey: item.idempotencyKey, deliveryId: item.deliveryId }, now),
      body,
    };
  },
  interpret: classify,
};
