import { describe, expect, it } from 'vitest';
import { describeCondition, describeQuietPeriod, firingSince, formatMinutes, formatSeconds } from './conditions';

const names = new Map([
  ['s1', 'BambooHR'],
  ['s2', 'Workday'],
  ['s3', 'Payroll'],
]);

describe('describeCondition', () => {
  it('says each kind in words, with its threshold and unit', () => {
    expect(describeCondition({ kind: 'source_unhealthy', params: { source_ids: null } }, names)).toBe(
      'A source is unhealthy',
    );
    expect(describeCondition({ kind: 'run_failed', params: { failure_percent: 10, source_ids: null } }, names)).toBe(
      'A run fails for 10 % or more of its deliveries',
    );
    expect(describeCondition({ kind: 'no_worker', params: { seconds: 60 } }, names)).toBe('No worker for 60 s');
    expect(describeCondition({ kind: 'queue_backlog', params: { minutes: 10 } }, names)).toBe(
      'Deliveries wait more than 10 min',
    );
    expect(describeCondition({ kind: 'webhook_disabled', params: {} }, names)).toBe('A webhook endpoint is disabled');
  });

  it('names the chosen sources, up to three, and a deleted one as such', () => {
    expect(describeCondition({ kind: 'source_unhealthy', params: { source_ids: ['s1'] } }, names)).toBe(
      'BambooHR is unhealthy',
    );
    expect(describeCondition({ kind: 'source_unhealthy', params: { source_ids: ['s1', 'gone', 's3'] } }, names)).toBe(
      'BambooHR, a deleted source or Payroll is unhealthy',
    );
    expect(
      describeCondition({ kind: 'run_failed', params: { failure_percent: 25, source_ids: ['s1', 's2'] } }, names),
    ).toBe('A run fails for 25 % or more of its deliveries to BambooHR or Workday');
    expect(
      describeCondition({ kind: 'source_unhealthy', params: { source_ids: ['s1', 's2', 's3', 's4'] } }, names),
    ).toBe('One of 4 chosen sources is unhealthy');
  });

  it('falls back to the documented defaults when a parameter is missing', () => {
    expect(describeCondition({ kind: 'run_failed', params: {} }, names)).toBe(
      'A run fails for 10 % or more of its deliveries',
    );
    expect(describeCondition({ kind: 'no_worker', params: {} }, names)).toBe('No worker for 60 s');
  });
});

describe('units', () => {
  it('uses the largest unit that divides the value', () => {
    expect(formatSeconds(30)).toBe('30 s');
    expect(formatSeconds(90)).toBe('90 s');
    expect(formatSeconds(300)).toBe('5 min');
    expect(formatSeconds(3600)).toBe('60 min');
    expect(formatMinutes(90)).toBe('90 min');
    expect(formatMinutes(120)).toBe('2 h');
    expect(formatMinutes(1440)).toBe('24 h');
  });

  it('calls a quiet period of 0 none', () => {
    expect(describeQuietPeriod(0)).toBe('None');
    expect(describeQuietPeriod(60)).toBe('60 min');
  });
});

describe('firingSince', () => {
  it('is the oldest open incident of that rule, else when it last sent', () => {
    const open = [
      { rule_id: 'r1', opened_at: '2026-12-07T09:10:00.000Z' },
      { rule_id: 'r1', opened_at: '2026-12-07T09:00:00.000Z' },
      { rule_id: 'r2', opened_at: '2026-12-07T08:00:00.000Z' },
    ];
    expect(firingSince({ id: 'r1', last_notified_at: null }, open)).toBe('2026-12-07T09:00:00.000Z');
    expect(firingSince({ id: 'r3', last_notified_at: '2026-12-07T07:00:00.000Z' }, open)).toBe(
      '2026-12-07T07:00:00.000Z',
    );
  });
});
