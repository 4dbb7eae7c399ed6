import { describe, expect, it } from 'vitest';
import {
  attemptText,
  DELIVERY_STATUS_TEXT,
  DELIVERY_STATUSES,
  DELIVERY_ACTION_LABEL,
  deliveryText,
  formatDuration,
  heldText,
  onlyWaiting,
  OUTCOMES,
  outcomeParts,
  pauseCauseText,
  RECORD_STATE_TEXT,
  recordStateOf,
  RUN_STATUS_TEXT,
  RUN_STATUSES,
  runDurationMs,
  summarizeCounts,
  TERMINAL_RUN_STATUSES,
  waitingRetryText,
} from './statuses';

const counts = (c: Partial<Parameters<typeof summarizeCounts>[0]>) => ({
  total: 0,
  succeeded: 0,
  failed: 0,
  skipped: 0,
  cancelled: 0,
  ...c,
});

describe('status words', () => {
  it('names every run and delivery status once, with a description', () => {
    for (const s of RUN_STATUSES) expect(RUN_STATUS_TEXT[s].description).not.toBe('');
    for (const s of DELIVERY_STATUSES) expect(DELIVERY_STATUS_TEXT[s].description).not.toBe('');
    const labels = DELIVERY_STATUSES.map((s) => DELIVERY_STATUS_TEXT[s].label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(TERMINAL_RUN_STATUSES.every((s) => RUN_STATUSES.includes(s))).toBe(true);
  });

  it('calls a skipped delivery "already up to date" and a tried pending one "waiting to retry"', () => {
    expect(DELIVERY_STATUS_TEXT.skipped.label).toBe('Already up to date');
    expect(deliveryText('pending', 0).label).toBe('Waiting');
    expect(deliveryText('pending', 2).label).toBe('Waiting to retry');
    expect(deliveryText('failed', 3).label).toBe('Failed');
    expect(OUTCOMES.map((o) => DELIVERY_STATUS_TEXT[o].label)).toEqual([
      'Delivered',
      'Already up to date',
      'Failed',
      'Cancelled',
    ]);
  });
});

describe('record states', () => {
  it('names the record after the last action that succeeded there; a rehire reads "Rehired"', () => {
    expect(recordStateOf('succeeded', 'create')).toBe('sent');
    expect(recordStateOf('succeeded', 'update')).toBe('updated');
    expect(recordStateOf('succeeded', 'withdraw')).toBe('withdrawn');
    expect(recordStateOf('succeeded', 'rehire')).toBe('rehired');
    expect(recordStateOf('succeeded', null)).toBe('sent');
    expect(recordStateOf('failed', 'rehire')).toBe('failed');
    expect(recordStateOf('pending', 'rehire')).toBeNull();
    expect(RECORD_STATE_TEXT.rehired).toMatchObject({ label: 'Rehired', tone: 'green' });
    expect(DELIVERY_ACTION_LABEL.rehire).toBe('Rehire');
  });
});

describe('summarizeCounts', () => {
  it('counts every settled delivery as done and lists the outcomes in one order', () => {
    expect(summarizeCounts(counts({ total: 18, succeeded: 6, skipped: 12 }))).toBe(
      '18 of 18 done: 6 delivered, 12 already up to date',
    );
    expect(summarizeCounts(counts({ total: 18, skipped: 18 }))).toBe('18 of 18 done: 18 already up to date');
    expect(summarizeCounts(counts({ total: 5, failed: 2, succeeded: 1, cancelled: 2 }))).toBe(
      '5 of 5 done: 1 delivered, 2 failed, 2 cancelled',
    );
  });

  it('says what is still to send while a run goes on, and when there was nothing', () => {
    expect(summarizeCounts(counts({ total: 20, succeeded: 4 }))).toBe('4 of 20 done: 4 delivered, 16 still to send');
    expect(summarizeCounts(counts({ total: 0 }))).toBe('Nothing to send');
  });

  it('tells paused and retrying deliveries apart from those next in line, from live counts', () => {
    const live = counts({ total: 10, succeeded: 3, paused: 4, waiting_retry: 2 });
    expect(summarizeCounts(live)).toBe('3 of 10 done: 3 delivered, 4 paused, 2 waiting to retry, 1 still to send');
    // Counts taken a moment apart never make more waiting than is left.
    expect(outcomeParts(counts({ total: 5, succeeded: 4, paused: 3 }))).toEqual(['4 delivered', '1 paused']);
  });

  it('says a run only waits when nothing left could be sent now', () => {
    expect(onlyWaiting(counts({ total: 6, succeeded: 2, paused: 4 }))).toBe('paused');
    expect(onlyWaiting(counts({ total: 6, succeeded: 2, paused: 1, waiting_retry: 3 }))).toBe('paused');
    expect(onlyWaiting(counts({ total: 6, succeeded: 2, waiting_retry: 4 }))).toBe('retry');
    expect(onlyWaiting(counts({ total: 6, succeeded: 2, waiting_retry: 3 }))).toBeNull();
    expect(onlyWaiting(counts({ total: 6, succeeded: 6 }))).toBeNull();
  });

  it('formats numbers and says where an outcome happened', () => {
    const c = counts({ total: 1500, succeeded: 1497, failed: 3 });
    expect(outcomeParts(c, { format: (n) => n.toLocaleString('en'), where: { failed: 'at Payroll' } })).toEqual([
      '1,497 delivered',
      '3 failed at Payroll',
    ]);
  });
});

describe('durations', () => {
  it('measures a run from its start to its end, or to now while it runs', () => {
    const started_at = '2026-01-01T10:00:00.000Z';
    expect(runDurationMs({ started_at, finished_at: '2026-01-01T10:01:05.900Z' }, 0)).toBe(65_900);
    expect(runDurationMs({ started_at, finished_at: null }, Date.parse('2026-01-01T10:00:01.500Z'))).toBe(1500);
    expect(runDurationMs({ started_at, finished_at: null }, Date.parse('2026-01-01T09:59:59Z'))).toBe(0);
    expect(runDurationMs({ started_at: null, finished_at: null }, Date.now())).toBe(0);
  });

  it('shows whole seconds, rounded down', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(999)).toBe('0:00');
    expect(formatDuration(65_400)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });
});

describe('waiting words', () => {
  it('says how many attempts were made of how many', () => {
    expect(attemptText(1, 3)).toBe('attempt 1 of 3');
    expect(attemptText({ min: 1, max: 2 }, 3)).toBe('attempts 1–2 of 3');
    expect(attemptText(2, null)).toBe('attempt 2');
  });

  it('counts the deliveries waiting to retry in the words of the status labels', () => {
    expect(waitingRetryText(3, { min: 1, max: 1 }, 3)).toBe('3 waiting to retry after attempt 1 of 3');
    expect(waitingRetryText(1200, { min: 1, max: 2 }, 5, (n) => n.toLocaleString('en-US'))).toBe(
      '1,200 waiting to retry after attempts 1–2 of 5',
    );
  });

  it('gives the reason of a pause as the source gave it', () => {
    expect(pauseCauseText(429, 'Retry-After: 30')).toBe('asked to wait: HTTP 429');
    expect(pauseCauseText(null, 'retry_after')).toBe('asked to wait: retry_after');
    expect(pauseCauseText(null, null)).toBe('asked to wait');
  });

  it('says a source paused until resumed waits for an admin, and why', () => {
    expect(heldText('Payroll', 12, 'admin', 'migration')).toBe(
      '12 waiting: Payroll is paused until an admin resumes it (migration)',
    );
    expect(heldText('HR', 0, 'auth_failed', null)).toBe('HR is paused until an admin resumes it (credentials refused)');
  });
});
