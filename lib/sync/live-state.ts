import { createHash } from 'node:crypto';
import type { ActivePause, RetryingDeliveryRow, WaitingCounts } from './repository';
import type { RetryingDelivery, SourceLiveState } from './schemas';

/** The waiting deliveries a status answer lists (the counts per source cover the rest). */
export const RETRYING_LIMIT = 50;

const iso = (value: string | Date) => new Date(value).toISOString();

/**
 * Each source's live state from the rows of findRunProgress / findRunWaiting; a source with
 * nothing waiting and no pause gets zeros and nulls. `unfinished` is the source's deliveries not
 * settled yet: while it is paused, those not waiting for a retry are `paused` (taken from the
 * counters the answer has anyway, not counted per poll; a request still in flight when the pause
 * began is counted with them until it is recorded).
 */
export function sourceLiveState(
  sourceId: string,
  maxAttempts: number | null,
  waiting: WaitingCounts[],
  pauses: ActivePause[],
  unfinished: number,
): SourceLiveState {
  const w = waiting.find((x) => x.source_id === sourceId);
  const p = pauses.find((x) => x.source_id === sourceId);
  return {
    max_attempts: maxAttempts ?? w?.max_attempts ?? null,
    waiting_retry: w?.waiting ?? 0,
    next_attempt_at: w ? iso(w.next_attempt_at) : null,
    waiting_attempts: w ? { min: w.min_attempts, max: w.max_attempts_so_far } : null,
    paused: p ? Math.max(0, unfinished - (w?.waiting ?? 0)) : 0,
    pause_kind: p?.kind ?? null,
    paused_until: p?.paused_until ? iso(p.paused_until) : null,
    pause_reason: p?.reason ?? null,
    pause_http_status: p?.http_status ?? null,
  };
}

export function toRetrying(rows: RetryingDeliveryRow[]): RetryingDelivery[] {
  return rows.map((r) => ({
    candidate_id: r.candidate_id,
    candidate_name: `${r.first_name} ${r.last_name}`,
    source_id: r.source_id,
    source_name: r.source_name,
    attempts: r.attempts,
    max_attempts: r.max_attempts,
    next_attempt_at: iso(r.next_attempt_at),
    code: r.error_code,
    message: r.error_message,
    http_status: r.http_status,
  }));
}

/**
 * A short tag of what the run's sources wait for, for the status ETag: a retry changes neither the
 * run's version nor its counts, yet a delivery that starts waiting, is tried again, or a pause that
 * begins or ends must reach the poller. Empty when nothing waits, so a plain run's ETag is as before.
 */
export function liveStateTag(waiting: WaitingCounts[], pauses: ActivePause[]): string {
  if (waiting.length === 0 && pauses.length === 0) return '';
  const parts = [
    ...waiting.map((w) => `w:${w.source_id}:${w.waiting}:${w.attempts_sum}:${iso(w.next_attempt_at)}`),
    ...pauses.map(
      (p) => `p:${p.source_id}:${p.kind}:${p.paused_until ? iso(p.paused_until) : ''}:${p.http_status ?? ''}`,
    ),
  ];
  return createHash('sha256').update(parts.join('|')).digest('base64url').slice(0, 12);
}
