import { describe, expect, it } from 'vitest';
import { cronRangeProblems, cronSchema } from './schemas';

describe('cron fields out of range', () => {
  it('names every number outside its field, in words', () => {
    expect(cronRangeProblems('61 25 * * *')).toEqual([
      'minute 61 is not between 0 and 59',
      'hour 25 is not between 0 and 23',
    ]);
    expect(cronRangeProblems('0 2 0 13 8')).toEqual([
      'day of month 0 is not between 1 and 31',
      'month 13 is not between 1 and 12',
      'day of week 8 is not between 0 and 7',
    ]);
    expect(cronRangeProblems('*/0 1-30 * * *')).toEqual([
      'minute step must be at least 1',
      'hour 30 is not between 0 and 23',
    ]);
  });

  it('leaves valid expressions, names and what it does not read alone', () => {
    for (const ok of ['0 2 * * *', '*/15 9-17 * * MON-FRI', '0 0 1,15 JAN,JUL 0', '0 0 L * *']) {
      expect(cronRangeProblems(ok), ok).toEqual([]);
    }
    const parsed = cronSchema.safeParse('61 25 * * *');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toBe('minute 61 is not between 0 and 59; hour 25 is not between 0 and 23');
  });
});
