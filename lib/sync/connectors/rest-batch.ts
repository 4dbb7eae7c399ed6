import { applyFieldMapping, buildDataObject, commonHeaders, joinUrl, sha256Hex } from '../payload';
import type { ConnectorModule } from './contract';
import { classify, excerpt, externalIdOf, parseJson } from './outcomes';
import { ownReceiver } from './ping';
import type { Outcome } from './types';

const OK = new Set(['ok', 'success', 'succeeded', 'created', 'updated', 'duplicate', 'exists']);
const RETRY = new Set(['retry', 'temporary_error', 'throttled']);

/**
 * Up to `batch_size` candidates per request: `{"candidates":[{id, idempotency_key, candidate,
 * application, job}]}`. The answer may carry per-item results (`{"results":[{id, status,
 * external_id?, error?}]}`, matched by id, else by position); without them a 2xx covers all.
 */
export const restBatch: ConnectorModule<Record<string, never>> = {
  id: 'rest_batch',
  name: 'REST batch',
  description: 'Candidates in batches of “Batch size” per request, with per-item results.',
  ...ownReceiver,
  itemsPerRequest: (source) => source.batchSize,
  buildRequest(action, { source, now }, items) {
    if (action !== 'create') throw new Error(`rest_batch cannot ${action} yet`);
    const body = JSON.stringify({
      candidates: items.map(({ item }) => ({
        id: item.deliveryId,
        idempotency_key: item.idempotencyKey,
        attempt: item.attempt,
        ...applyFieldMapping(buildDataObject(item), source.fieldMapping),
      })),
    });
    // The same chunk retried carries the same key; a different chunk is different content.
    const batchKey = `batch_${sha256Hex(items.map((i) => i.item.idempotencyKey).join(',')).slice(0, 40)}`;
    return {
      url: joinUrl(source.baseUrl, source.syncEndpoint),
      method: source.httpMethod,
      headers: commonHeaders(source, body, { idempotencyKey: batchKey, deliveryId: batchKey }, now),
      body,
    };
  },
  interpret(_action, { source }, actionItems, result) {
    const items = actionItems.map((i) => i.item);
    const outcomes = classify(source, items, result);
    if (!result.ok || result.status < 200 || result.status >= 300) return outcomes;
    const parsed = parseJson(result.body) as { results?: unknown } | undefined;
    const results = Array.isArray(parsed?.results) ? (parsed.results as Record<string, unknown>[]) : null;
    if (!results) return outcomes;
    const byId = new Map(results.filter((r) => r && typeof r.id === 'string').map((r) => [r.id as string, r]));
    return outcomes.map((outcome, index): Outcome => {
      const r = byId.get(outcome.deliveryId) ?? results[index];
      if (!r || typeof r !== 'object') {
        return {
          ...outcome,
          kind: 'retry',
          errorCode: 'invalid_response',
          errorMessage: 'the source returned no result for this candidate',
        };
      }
      const status = String(r.status ?? 'ok').toLowerCase();
      const message = typeof r.error === 'string' ? r.error : typeof r.message === 'string' ? r.message : null;
      if (OK.has(status)) return { ...outcome, externalId: externalIdOf(r) };
      const text = excerpt(source, message ?? `item status ${status}`);
      if (RETRY.has(status)) return { ...outcome, kind: 'retry', errorCode: 'item_retry', errorMessage: text };
      return { ...outcome, kind: 'failed', errorCode: 'item_rejected', errorMessage: text };
    });
  },
};
