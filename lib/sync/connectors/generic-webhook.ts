import { applyFieldMapping, buildDataObject, commonHeaders, joinUrl } from '../payload';
import type { ConnectorAction, ConnectorModule } from './contract';
import { classify } from './outcomes';
import { ownReceiver } from './ping';

/**
 * The event each action sends, in the same envelope and data shape. A hire again after a
 * withdrawal is `candidate.hired` once more: for a receiver it is the same fact as the first hire
 * (this candidate is hired, with this data), and a receiver that ended the record on
 * candidate.hire_withdrawn can bring it back by the candidate id it already holds. It goes out as
 * its own delivery with its own Idempotency-Key, so a receiver that deduplicates keys takes it.
 */
export const WEBHOOK_EVENT_TYPES: Record<ConnectorAction, string> = {
  create: 'candidate.hired',
  update: 'candidate.updated',
  withdraw: 'candidate.hire_withdrawn',
  rehire: 'candidate.hired',
};

/**
 * Any receiver of ours: one candidate per request, as a signed event (the body documented in the
 * README): candidate.hired, candidate.updated after a change of a delivered hire, and
 * candidate.hire_withdrawn when the hire is taken back. The admin chooses the auth per source;
 * `field_mapping` renames or drops fields inside the event, so the target mapping of named
 * connectors does not apply.
 */
export const genericWebhook: ConnectorModule<Record<string, never>> = {
  id: 'generic_webhook',
  name: 'Webhook',
  description: 'One request per candidate: candidate.hired, candidate.updated and candidate.hire_withdrawn events.',
  ...ownReceiver,
  actions: ['create', 'update', 'withdraw', 'rehire'],
  itemsPerRequest: () => 1,
  buildRequest(action, { source, now }, items) {
    const { item } = items[0];
    const type = WEBHOOK_EVENT_TYPES[action];
    const data = buildDataObject(item);
    if (action === 'withdraw') data.application = { status: 'hire_withdrawn', hired_at: null };
    const body = JSON.stringify({
      id: item.deliveryId,
      type,
      created_at: now.toISOString(),
      attempt: item.attempt,
      data: applyFieldMapping(data, source.fieldMapping),
    });
    return {
      url: joinUrl(source.baseUrl, source.syncEndpoint),
      method: source.httpMethod,
      headers: {
        ...commonHeaders(source, body, { idempotencyKey: item.idempotencyKey, deliveryId: item.deliveryId }, now),
        'x-ats-event': type,
      },
      body,
    };
  },
  interpret: (action, { source }, items, result) => {
    const outcomes = classify(
      source,
      items.map((i) => i.item),
      result,
    );
    if (action === 'create') return outcomes;
    // The record is the one its create made: an update, a withdrawal or a hire again names the same
    // candidate (data.candidate.id), so the id the receiver gave first stays, whatever it answers now.
    return outcomes.map((o, i) => ({ ...o, externalId: items[i]?.externalId ?? o.externalId }));
  },
};
