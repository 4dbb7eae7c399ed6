import { parseRetryAfter } from '@/lib/http/outbound-client';
import { UNSAFE_KEYS } from '@/lib/security/hostile-input';
import { USER_AGENT } from '../payload';
import type { ActionItem, TargetRecord, TargetValue } from './contract';
import { excerpt } from './outcomes';
import type { HttpResult, Outcome, SourceConfig } from './types';

/**
 * What the named HR connectors (one employee per request) share: JSON headers, a target record
 * turned into the vendor's nested body, and the outcome of one answer for one candidate. The
 * vendor modules decide what a status means; these only spell the Outcome.
 */

export const JSON_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json',
  accept: 'application/json',
  'user-agent': USER_AGENT,
};

/**
 * `{"firstName": "Ada", "work.site": "Berlin"}` -> `{"firstName": "Ada", "work": {"site": "Berlin"}}`.
 * Null values are left out: a create or an update never clears what the HR team filled in by hand.
 * Keys come from the target field list, but a path with `__proto__` is skipped all the same.
 */
export function nestRecord(record: TargetRecord, keys?: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys ?? Object.keys(record)) {
    if (!Object.hasOwn(record, key)) continue;
    const value: TargetValue = record[key];
    if (value === null || value === undefined) continue;
    const parts = key.split('.');
    if (parts.some((p) => !p || UNSAFE_KEYS.has(p))) continue;
    let parent = out;
    for (const part of parts.slice(0, -1)) {
      const next = parent[part];
      if (next && typeof next === 'object') parent = next as Record<string, unknown>;
      else parent = parent[part] = {};
    }
    parent[parts[parts.length - 1]] = value;
  }
  return out;
}

/** `2026-12-07` of a date, an ISO timestamp or a Date; null for anything else. */
export function dateOnly(value: TargetValue | Date | undefined): string | null {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return null;
  const match = /^(\d{4}-\d{2}-\d{2})(?:$|T)/.exec(value);
  return match ? match[1] : null;
}

export function header(result: Extract<HttpResult, { ok: true }>, name: string): string | null {
  const v = result.headers[name.toLowerCase()];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' && first.trim() ? first.trim() : null;
}

/** Retry-After, else a rate-limit reset time in Unix seconds (HiBob's X-RateLimit-Reset). */
export function retryDelayMs(result: Extract<HttpResult, { ok: true }>, now = Date.now()): number | null {
  const retryAfter = parseRetryAfter(result.headers['retry-after'], now);
  if (retryAfter !== null) return retryAfter;
  const reset = Number(header(result, 'x-ratelimit-reset'));
  if (!Number.isFinite(reset) || reset <= 0) return null;
  return Math.min(Math.max(reset * 1000 - now, 0), 3600_000);
}

type Verdict = Pick<Outcome, 'kind'> &
  Partial<Pick<Outcome, 'errorCode' | 'errorMessage' | 'externalId' | 'retryAfterMs'>>;

/** One answer, as the outcome of every candidate in the request (one, for these APIs). */
export function outcomesOf(
  source: SourceConfig,
  items: readonly ActionItem[],
  result: HttpResult,
  verdict: Verdict,
): Outcome[] {
  const responseExcerpt = result.ok ? excerpt(source, result.body) : null;
  return items.map((a) => ({
    deliveryId: a.item.deliveryId,
    kind: verdict.kind,
    httpStatus: result.ok ? result.status : null,
    errorCode: verdict.errorCode ?? null,
    // The vendor's text may echo what we sent: redacted like every other answer we keep.
    errorMessage: verdict.errorMessage ? excerpt(source, verdict.errorMessage, 500) : null,
    externalId: verdict.externalId ?? null,
    responseExcerpt,
    retryAfterMs: verdict.retryAfterMs ?? null,
    durationMs: result.durationMs,
  }));
}

/** A network failure: retried, except a destination the guard refuses (only a config change helps). */
export function networkVerdict(result: Extract<HttpResult, { ok: false }>): Verdict {
  return {
    kind: result.errorCode === 'destination_blocked' ? 'failed' : 'retry',
    errorCode: result.errorCode,
    errorMessage: result.message,
  };
}
