import { describe, expect, it } from 'vitest';
import { describeCron } from './describe-cron';

describe('describeCron', () => {
  it('puts the presets and other common shapes in words', () => {
    expect(describeCron('*/15 * * * *')).toBe('Every 15 minutes');
    expect(describeCron('0 * * * *')).toBe('Every hour');
    expect(describeCron('30 * * * *')).toBe('Every hour at :30');
    expect(describeCron('0 2 * * *')).toBe('Every day at 02:00');
    expect(describeCron('0 8 * * 1-5')).toBe('Weekdays at 08:00');
    expect(describeCron('5 9 * * MON-FRI')).toBe('Weekdays at 09:05');
    expect(describeCron('0 10 * * 0,6')).toBe('Weekends at 10:00');
    expect(describeCron('45 17 * * 5')).toBe('Every Friday at 17:45');
    expect(describeCron('0 0 * * 7')).toBe('Every Sunday at 00:00');
    expect(describeCron('0 6 1 * *')).toBe('Monthly on day 1 at 06:00');
    expect(describeCron('* * * * *')).toBe('Every minute');
  });

  it('leaves anything else to be shown as the expression', () => {
    for (const cron of [
      '0 2 * 1 *',
      '0 2,14 * * *',
      '0 */2 * * *',
      '0 2 1 * 1',
      '61 2 * * *',
      '0 2 * *',
      'x y z a b',
    ]) {
      expect(describeCron(cron), cron).toBeNull();
    }
  });
});
