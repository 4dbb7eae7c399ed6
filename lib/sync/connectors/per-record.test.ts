import { describe, expect, it } from 'vitest';
import { answer, targetRecord } from '@/test/connector-harness';
import { dateOnly, nestRecord, retryDelayMs } from './per-record';

describe('nestRecord', () => {
  it('nests dotted keys, leaves nulls out, keeps the order of the keys asked for', () => {
    const record = targetRecord({
      'work.site': 'Berlin',
      firstName: 'Ada',
      'work.title': null,
      'work.startDate': '2027-01-04',
    });
    expect(nestRecord(record)).toEqual({ work: { site: 'Berlin', startDate: '2027-01-04' }, firstName: 'Ada' });
    expect(JSON.stringify(nestRecord(record, ['firstName', 'work.site', 'missing']))).toBe(
      '{"firstName":"Ada","work":{"site":"Berlin"}}',
    );
  });

  it('never writes through __proto__, prototype or constructor, nor an empty segment', () => {
    const record = targetRecord({ '__proto__.polluted': 'x', 'a.constructor.b': 'y', 'a..b': 'z', ok: 1 });
    const out = nestRecord(record);
    expect(out).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('dateOnly and retryDelayMs', () => {
  it('a calendar day from a day, a timestamp or a Date; null otherwise', () => {
    expect(dateOnly('2027-01-04')).toBe('2027-01-04');
    expect(dateOnly('2027-01-04T09:00:00Z')).toBe('2027-01-04');
    expect(dateOnly(new Date('2026-12-06T23:59:00Z'))).toBe('2026-12-06');
    expect(dateOnly('04.01.2027')).toBeNull();
    expect(dateOnly(20270104)).toBeNull();
  });

  it('Retry-After first, else X-RateLimit-Reset (Unix seconds), capped at an hour; null without either', () => {
    const now = 1_800_000_000_000;
    const reset = String(now / 1000 + 45);
    const ok = (headers: Record<string, string>) =>
      answer(429, headers) as Extract<ReturnType<typeof answer>, { ok: true }>;
    expect(retryDelayMs(ok({ 'retry-after': '3', 'x-ratelimit-reset': reset }), now)).toBe(3000);
    expect(retryDelayMs(ok({ 'x-ratelimit-reset': reset }), now)).toBe(45_000);
    expect(retryDelayMs(ok({ 'x-ratelimit-reset': String(now / 1000 + 86_400) }), now)).toBe(3_600_000);
    expect(retryDelayMs(ok({ 'x-ratelimit-reset': 'soon' }), now)).toBeNull();
    expect(retryDelayMs(ok({}), now)).toBeNull();
  });
});
