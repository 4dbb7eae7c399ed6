import { describe, expect, it } from 'vitest';
import { createTokenSchema } from '@/lib/tokens/schemas';
import { dateInputValue, expiresAtFor, latestExpiryDate } from './token-expiry';

const now = new Date(2030, 5, 15, 10, 30);

describe('token expiry', () => {
  it('turns presets into a time that many days ahead', () => {
    expect(expiresAtFor('30', '', now)).toEqual({ value: new Date(now.getTime() + 30 * 86_400_000).toISOString() });
  });

  it('makes a chosen date last through the end of that local day', () => {
    const result = expiresAtFor('custom', '2030-07-01', now);
    expect(result).toEqual({ value: new Date(2030, 6, 1, 23, 59, 59, 999).toISOString() });
    expect(expiresAtFor('custom', dateInputValue(now), now)).toHaveProperty('value');
  });

  it('refuses a missing or past date', () => {
    expect(expiresAtFor('custom', '', now)).toHaveProperty('error');
    expect(expiresAtFor('custom', '2030-06-14', now)).toEqual({ error: 'Pick today or a later date' });
  });

  it('refuses a date past the longest expiry the API takes, and offers up to the day before it', () => {
    expect(expiresAtFor('custom', '2031-06-30', now)).toEqual({ error: 'Pick a date at most 366 days ahead' });
    expect(expiresAtFor('custom', latestExpiryDate(now), now)).toHaveProperty('value');
  });

  it('produces values the API schema accepts', () => {
    for (const choice of ['7', '90', '365', 'custom'] as const) {
      const result = expiresAtFor(choice, dateInputValue(new Date(Date.now() + 3 * 86_400_000)));
      if (!('value' in result)) throw new Error(result.error);
      expect(createTokenSchema.safeParse({ name: 'ci', scopes: ['jobs:read'], expires_at: result.value }).success).toBe(
        true,
      );
    }
  });

  it('formats a date input value in local time', () => {
    expect(dateInputValue(new Date(2030, 0, 5, 23, 59))).toBe('2030-01-05');
  });
});
