import { describe, expect, it } from 'vitest';
import type { RunStatus, SourceProgress } from '@/lib/sync/schemas';
import { connectorLabel, joinNames, runHeadline, summarizeRun, waitingNote } from './sync-text';

const source = (name: string, failed = 0, live: Partial<SourceProgress> = {}): SourceProgress => ({
  source_id: name,
  name,
  status: failed ? 'partially_failed' : 'completed',
  total: 0,
  succeeded: 0,
  failed,
  skipped: 0,
  cancelled: 0,
  max_attempts: 3,
  waiting_retry: 0,
  next_attempt_at: null,
  waiting_attempts: null,
  paused: 0,
  pause_kind: null,
  paused_until: null,
  pause_reason: null,
  pause_http_status: null,
  ...live,
});

const run = (
  progress: Partial<RunStatus['progress']>,
  sources: SourceProgress[] = [],
  error_summary: string | null = null,
) => ({
  progress: {
    total: 0,
    processed: 0,
    succeeded: 0,
    failed: 0,
    skipped: 0,
    cancelled: 0,
    percent: 0,
    waiting_retry: 0,
    paused: 0,
    ...progress,
  },
  sources,
  error_summary,
});

describe('summarizeRun', () => {
  it('says how many were delivered and where the failures are', () => {
    expect(
      summarizeRun(run({ total: 45, succeeded: 42, failed: 3 }, [source('HR system'), source('Payroll', 3)])),
    ).toBe('45 of 45 done: 42 delivered, 3 failed at Payroll.');
    expect(summarizeRun(run({ total: 4, failed: 4 }, [source('HR', 2), source('Payroll', 2)]))).toBe(
      '4 of 4 done: 4 failed at HR and Payroll.',
    );
  });

  it('counts candidates already up to date apart from those delivered', () => {
    expect(summarizeRun(run({ total: 6, succeeded: 4, skipped: 2 }))).toBe(
      '6 of 6 done: 4 delivered, 2 already up to date.',
    );
    expect(summarizeRun(run({ total: 6, skipped: 6 }))).toBe('6 of 6 done: 6 already up to date.');
  });

  it('counts what a cancellation left unsent, and says why an empty run ended', () => {
    expect(summarizeRun(run({ total: 10, succeeded: 3, cancelled: 7 }))).toBe(
      '10 of 10 done: 3 delivered, 7 cancelled.',
    );
    expect(summarizeRun(run({ total: 0 }, [], 'the posting has no hired candidates any more'))).toBe(
      'The posting has no hired candidates any more.',
    );
  });
});

describe('waitingNote', () => {
  const later = '2026-12-06T19:20:05.000Z';
  it('names the sources that wait, not their counts or times, so the live region speaks once', () => {
    expect(waitingNote({ sources: [source('HR system'), source('Payroll')] })).toBeNull();
    const waiting = source('Payroll', 0, {
      waiting_retry: 3,
      next_attempt_at: later,
      waiting_attempts: { min: 1, max: 1 },
    });
    expect(waitingNote({ sources: [source('HR system'), waiting] })).toBe('Waiting to retry at Payroll.');
    // Another delivery starting to wait, or a later retry time, says nothing new.
    const more = { ...waiting, waiting_retry: 4, next_attempt_at: '2026-12-06T19:21:00.000Z' };
    expect(waitingNote({ sources: [source('HR system'), more] })).toBe(
      waitingNote({ sources: [source('HR system'), waiting] }),
    );
  });

  it('says which sources are paused, before those waiting to retry', () => {
    const paused = source('HR system', 0, {
      pause_kind: 'retry_after',
      paused_until: later,
      pause_reason: 'Retry-After',
      pause_http_status: 429,
    });
    const waiting = source('Payroll', 0, {
      waiting_retry: 1,
      next_attempt_at: later,
      waiting_attempts: { min: 2, max: 2 },
    });
    expect(waitingNote({ sources: [paused, waiting] })).toBe('Paused by HR system. Waiting to retry at Payroll.');
  });

  it('says which sources are paused until resumed (by an admin or for refused credentials)', () => {
    const held = source('Payroll', 0, { pause_kind: 'admin', paused: 3, pause_reason: 'migration' });
    const refused = source('HR system', 0, { pause_kind: 'auth_failed', paused: 2, waiting_retry: 1 });
    expect(waitingNote({ sources: [held, refused] })).toBe('Payroll and HR system paused until resumed.');
  });
});

describe('helpers', () => {
  it('joins names', () => {
    expect(joinNames(['A'])).toBe('A');
    expect(joinNames(['A', 'B', 'C'])).toBe('A, B and C');
  });
});

describe('connectorLabel', () => {
  const names = { bamboohr: 'BambooHR', generic_webhook: 'Webhook' };

  it('shows the name the registry gives a connector', () => {
    expect(connectorLabel(names, 'bamboohr')).toBe('BambooHR');
    expect(connectorLabel(names, 'generic_webhook')).toBe('Webhook');
  });

  it('shows an id the registry does not know as it is, never an inherited property', () => {
    expect(connectorLabel(names, 'legacy_sftp')).toBe('legacy_sftp');
    expect(connectorLabel(names, 'toString')).toBe('toString');
  });
});

describe('runHeadline', () => {
  const running = (progress: Partial<RunStatus['progress']>, sources: SourceProgress[] = []) => ({
    ...run(progress, sources),
    status: 'running' as const,
  });

  it('says a run is sending while something could go now', () => {
    expect(runHeadline(running({ total: 4, succeeded: 1, waiting_retry: 2 }))).toBe(
      'Sending candidates to the sources…',
    );
  });

  it('says it waits when everything left waits for a retry or a paused source', () => {
    expect(runHeadline(running({ total: 4, succeeded: 2, waiting_retry: 2 }))).toBe('Waiting to retry…');
    expect(runHeadline(running({ total: 4, succeeded: 1, paused: 3 }))).toBe('Waiting for paused sources…');
    // Retries at a source that answered Retry-After wait for its pause.
    const busy = source('Payroll', 0, { pause_kind: 'retry_after', waiting_retry: 2 });
    expect(runHeadline(running({ total: 2, waiting_retry: 2 }, [busy]))).toBe('Waiting for paused sources…');
  });

  it('keeps the finished headings', () => {
    expect(runHeadline({ ...run({ total: 2, succeeded: 2 }), status: 'completed' })).toBe('Sync completed');
  });
});
