import { applyFieldMapping, buildDataObject, commonHeaders, joinUrl } from '../payload';
import type { ConnectorModule } from './contract';
import { classify } from './outcomes';
import { ownReceiver } from './ping';

/**
 * Any receiver of ours: one candidate per request, as a signed candidate.hired event (the body
 * documented in the README). The admin chooses the auth per source; `field_mapping` renames or
 * drops fields inside the event, so the target mapping of named connectors does not apply.
 */
export const genericWebhook: ConnectorModule<Record<string, never>> = {
  id: 'generic_webhook',
  name: 'Webhook',
  description: 'One request per candidate (candidate.hired event).',
  ...ownReceiver,
  itemsPerRequest: () => 1,
  buildRequest(action, { source, now }, items) {
    if (action !== 'create') throw new Error(`generic_webhook cannot ${action} yet`);
    const { item } = items[0];
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
  interpret: (_action, { source }, items, result) =>
    classify(
      source,
      items.map((i) => i.item),
      result,
    ),
};
