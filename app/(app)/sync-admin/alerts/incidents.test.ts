import { describe, expect, it } from 'vitest';
import type { AlertIncident } from '@/lib/swr/use-alerts';
import { formatElapsed, incidentDuration, notificationSummary, orderIncidents } from './incidents';

const incident = (id: string, opened_at: string, resolved_at: string | null = null): AlertIncident => ({
  id,
  rule_id: 'r',
  rule_name: 'R',
  kind: 'source_unhealthy',
  subject: `Source ${id}`,
  opened_at,
  resolved_at,
  details: '',
  link: null,
  notifications: [],
});

describe('orderIncidents', () => {
  it('puts open ones first (newest first), then resolved ones (most recently resolved first)', () => {
    const open = [incident('o1', '2026-12-07T08:00:00Z'), incident('o2', '2026-12-07T09:00:00Z')];
    const resolved = [
      incident('r1', '2026-12-07T06:00:00Z', '2026-12-07T07:00:00Z'),
      incident('r2', '2026-12-07T05:00:00Z', '2026-12-07T09:30:00Z'),
    ];
    expect(orderIncidents(open, resolved).map((i) => i.id)).toEqual(['o2', 'o1', 'r2', 'r1']);
  });

  it('shows an incident found in both lists once, as resolved', () => {
    const open = [incident('x', '2026-12-07T08:00:00Z')];
    const resolved = [incident('x', '2026-12-07T08:00:00Z', '2026-12-07T08:05:00Z')];
    expect(orderIncidents(open, resolved)).toEqual(resolved);
  });
});

describe('durations', () => {
  it('uses the two largest units', () => {
    expect(formatElapsed(45_000)).toBe('45 s');
    expect(formatElapsed(12 * 60_000 + 30_000)).toBe('12 min');
    expect(formatElapsed(125 * 60_000)).toBe('2 h 5 min');
    expect(formatElapsed(120 * 60_000)).toBe('2 h');
    expect(formatElapsed((3 * 24 + 4) * 3_600_000)).toBe('3 d 4 h');
    expect(formatElapsed(-5)).toBe('0 s');
  });

  it('counts an open incident until now', () => {
    const now = Date.parse('2026-12-07T09:12:00Z');
    expect(incidentDuration(incident('o', '2026-12-07T09:00:00Z'), now)).toBe('12 min');
    expect(incidentDuration(incident('r', '2026-12-07T08:00:00Z', '2026-12-07T08:30:00Z'), now)).toBe('30 min');
  });
});

describe('notificationSummary', () => {
  it('counts sent and failed messages', () => {
    const n = (ok: boolean | null) => ({
      channel_id: 'c',
      channel_name: 'C',
      kind: 'firing' as const,
      ok,
      error: ok ? null : { code: 'x', message: 'y' },
      at: '',
    });
    expect(notificationSummary({ notifications: [] })).toBe('None sent');
    expect(notificationSummary({ notifications: [n(true), n(true)] })).toBe('2 sent');
    expect(notificationSummary({ notifications: [n(true), n(false)] })).toBe('1 sent · 1 failed');
    expect(notificationSummary({ notifications: [n(false)] })).toBe('1 failed');
    expect(notificationSummary({ notifications: [n(true), n(null)] })).toBe('1 sent · 1 sending');
  });
});
