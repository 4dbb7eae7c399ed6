import { describe, expect, it } from 'vitest';
import { type AttemptOutcome, healthAfterBatch, healthOfAnswer, isTurnUnhealthy } from './source-health';

const ok: AttemptOutcome = { kind: 'succeeded', httpStatus: 200, errorCode: null, errorMessage: null };
const http = (
  status: number,
  kind: AttemptOutcome['kind'] = 'retry',
  errorCode: string | null = null,
): AttemptOutcome => ({
  kind,
  httpStatus: status,
  errorCode,
  errorMessage: `HTTP ${status}`,
});
const network = (errorCode: string): AttemptOutcome => ({
  kind: 'retry',
  httpStatus: null,
  errorCode,
  errorMessage: errorCode,
});

describe('the health of one answer', () => {
  it.each([
    [200, null, 'healthy'],
    [201, null, 'healthy'],
    [409, null, 'healthy'],
    [401, null, 'auth_failed'],
    [403, null, 'auth_failed'],
    [429, null, 'degraded'],
    [500, null, 'degraded'],
    [404, null, 'degraded'],
    [null, 'timeout', 'unreachable'],
    [null, 'connection_failed', 'unreachable'],
    [null, 'destination_blocked', 'unreachable'],
    [null, 'something_else', 'degraded'],
    [null, 'auth_failed', 'auth_failed'],
  ] as const)('HTTP %s (%s) is %s', (status, code, expected) => {
    expect(healthOfAnswer(status, code)).toBe(expected);
  });
});

describe('the health after a batch of deliveries', () => {
  it('one success confirms the source healthy', () => {
    expect(healthAfterBatch([http(500), ok])).toEqual({ kind: 'healthy' });
  });
  it('an auth failure wins over a success and counts at once', () => {
    expect(healthAfterBatch([ok, http(401, 'failed', 'auth_failed')])).toMatchObject({
      kind: 'failing',
      status: 'auth_failed',
      immediate: true,
      failures: 1,
    });
  });
  it('unanswered requests only make it unreachable; any answer makes it degraded', () => {
    expect(healthAfterBatch([network('timeout'), network('connection_failed')])).toMatchObject({
      status: 'unreachable',
      immediate: false,
      failures: 2,
      lastError: 'connection_failed',
    });
    expect(healthAfterBatch([network('timeout'), http(503)])).toMatchObject({ status: 'degraded', failures: 2 });
  });
  it('nothing to say for an empty batch', () => {
    expect(healthAfterBatch([])).toBeNull();
  });
  it('announces the turn from healthy or unknown only', () => {
    expect(isTurnUnhealthy('healthy', 'degraded')).toBe(true);
    expect(isTurnUnhealthy('unknown', 'auth_failed')).toBe(true);
    expect(isTurnUnhealthy('degraded', 'unreachable')).toBe(false);
    expect(isTurnUnhealthy('healthy', 'healthy')).toBe(false);
  });
});
