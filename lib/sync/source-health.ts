import type { SourceHealth } from '@/db/types';

/**
 * The rules that decide a source's health, in one place: for one answer (a connection test, or
 * one delivery request) and for a recorded batch of delivery outcomes.
 */

/** What one answer says about the source: 2xx and 409 (already there) are healthy. */
export function healthOfAnswer(httpStatus: number | null, errorCode: string | null): SourceHealth {
  // (personio, issue 20) Refused OAuth2 client credentials: the token endpoint said no before any
  // request reached the source, so there is no HTTP status of the source's own.
  if (errorCode === 'auth_failed') return 'auth_failed';
  if (httpStatus === null)
    return errorCode === 'timeout' || errorCode === 'connection_failed' || errorCode === 'destination_blocked'
      ? 'unreachable'
      : 'degraded';
  if ((httpStatus >= 200 && httpStatus < 300) || httpStatus === 409) return 'healthy';
  if (httpStatus === 401 || httpStatus === 403 || errorCode === 'auth_failed') return 'auth_failed';
  return 'degraded';
}

export type AttemptOutcome = {
  kind: 'succeeded' | 'failed' | 'retry';
  httpStatus: number | null;
  errorCode: string | null;
  errorMessage: string | null;
};

/**
 * What a batch of delivery outcomes does to the source's health. One success (without an auth
 * failure beside it) confirms it healthy. Otherwise every failed attempt counts towards
 * SOURCE_UNHEALTHY_AFTER consecutive failures, after which the source turns `status`: auth_failed
 * when any answer refused the credentials (at once, not after the count), unreachable when none
 * was answered, else degraded.
 */
export type BatchHealth =
  | { kind: 'healthy' }
  | { kind: 'failing'; failures: number; status: SourceHealth; immediate: boolean; lastError: string | null }
  | null;

export function healthAfterBatch(outcomes: AttemptOutcome[]): BatchHealth {
  const answers = outcomes.map((o) => (o.kind === 'succeeded' ? 'healthy' : healthOfAnswer(o.httpStatus, o.errorCode)));
  const authFailed = answers.includes('auth_failed');
  if (answers.includes('healthy') && !authFailed) return { kind: 'healthy' };
  const failures = outcomes.filter((o) => o.kind !== 'succeeded');
  if (failures.length === 0) return null;
  const status: SourceHealth = authFailed
    ? 'auth_failed'
    : answers.every((a) => a === 'unreachable')
      ? 'unreachable'
      : 'degraded';
  return {
    kind: 'failing',
    failures: failures.length,
    status,
    immediate: authFailed,
    lastError: failures[failures.length - 1].errorMessage,
  };
}

/** A turn from healthy or unknown to anything else is announced (a source.unhealthy event), once. */
export const isTurnUnhealthy = (previous: SourceHealth, current: SourceHealth) =>
  (previous === 'healthy' || previous === 'unknown') && current !== previous;

/**
 * Why a source whose credentials were refused is paused, from its health error (already redacted
 * of the source's secrets by the engine and the connection test).
 */
export const credentialsRefusedReason = (healthError: string | null) =>
  `credentials refused: ${healthError?.slice(0, 300) || 'the target answered 401 or 403'}`;

/** The health states an alert reports a source for (issue 23): everything but healthy and not-yet-checked. */
export const UNHEALTHY_STATUSES = ['degraded', 'unreachable', 'auth_failed'] as const satisfies readonly SourceHealth[];

/** How an alert names the state: "Source X is failing: auth failed". */
export const HEALTH_PROBLEM: Record<(typeof UNHEALTHY_STATUSES)[number], string> = {
  degraded: 'is failing: errors',
  unreachable: 'is failing: unreachable',
  auth_failed: 'is failing: auth failed',
};
