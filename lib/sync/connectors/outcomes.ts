import { RESPONSE_EXCERPT_BYTES, parseRetryAfter } from '@/lib/http/outbound-client';
import { sourceRedactor, storableText } from '../redact-secrets';
import type { DeliveryItem, HttpResult, Outcome, SourceConfig } from './types';

// Whatever comes from the receiver is stored through storableText: one NUL in an answer would
// otherwise fail the whole transaction that records the batch, forever.
export function excerpt(source: SourceConfig, body: string, limit = RESPONSE_EXCERPT_BYTES): string | null {
  return sourceRedactor(source).excerpt(body, limit);
}

export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export function externalIdOf(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const id = v.external_id ?? v.externalId ?? v.id;
  return typeof id === 'string' || typeof id === 'number' ? storableText(String(id).slice(0, 200)) : null;
}

/**
 * What an HTTP answer means, for every delivery in the request: 2xx succeeded, 409 already there
 * (succeeded), 408/429/5xx and network failures are retried, any other 4xx and a destination the
 * outbound guard blocks fail at once.
 */
export function classify(source: SourceConfig, items: DeliveryItem[], result: HttpResult): Outcome[] {
  // One answer for the whole request: redacted once, not once per candidate of a batch.
  const responseExcerpt = result.ok ? excerpt(source, result.body) : null;
  const base = (item: DeliveryItem): Omit<Outcome, 'kind'> => ({
    deliveryId: item.deliveryId,
    httpStatus: result.ok ? result.status : null,
    errorCode: null,
    errorMessage: null,
    externalId: null,
    responseExcerpt,
    retryAfterMs: null,
    durationMs: result.durationMs,
  });
  if (!result.ok) {
    return items.map((item) => ({
      ...base(item),
      // The guard will refuse the next attempt just the same: only a configuration change helps.
      kind: result.errorCode === 'destination_blocked' ? 'failed' : 'retry',
      errorCode: result.errorCode,
      errorMessage: result.message,
    }));
  }
  const status = result.status;
  if ((status >= 200 && status < 300) || status === 409) {
    const externalId = status === 409 ? null : externalIdOf(parseJson(result.body));
    return items.map((item) => ({ ...base(item), kind: 'succeeded', externalId }));
  }
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(result.headers['retry-after']);
    const errorCode = status === 429 ? 'rate_limited' : status === 408 ? 'timeout' : 'server_error';
    return items.map((item) => ({
      ...base(item),
      kind: 'retry',
      errorCode,
      errorMessage: `HTTP ${status}`,
      retryAfterMs,
    }));
  }
  const errorCode =
    status === 401 || status === 403 ? 'auth_failed' : status >= 300 && status < 400 ? 'redirect' : 'rejected';
  const detail = result.body ? `: ${excerpt(source, result.body, 300)}` : '';
  return items.map((item) => ({ ...base(item), kind: 'failed', errorCode, errorMessage: `HTTP ${status}${detail}` }));
}
