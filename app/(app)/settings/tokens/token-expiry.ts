import { MAX_EXPIRY_DAYS } from '@/lib/tokens/schemas';

export const EXPIRY_CHOICES = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'custom', label: 'On a date…' },
] as const;

export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value'];

export const DEFAULT_EXPIRY: ExpiryChoice = '90';

const DAY_MS = 86_400_000;

/** The last day the date input offers: the furthest expiry the API takes, in whole local days. */
export function latestExpiryDate(now: Date = new Date()): string {
  return dateInputValue(new Date(now.getTime() + (MAX_EXPIRY_DAYS - 1) * DAY_MS));
}

/** A date input's value (YYYY-MM-DD) for a day in local time. */
export function dateInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The `expires_at` to send for a choice, or why it cannot be sent. A chosen date means the token
 * works through the end of that day in the user's own time zone.
 */
export function expiresAtFor(
  choice: ExpiryChoice,
  customDate: string,
  now: Date = new Date(),
): { value: string } | { error: string } {
  if (choice !== 'custom') return { value: new Date(now.getTime() + Number(choice) * DAY_MS).toISOString() };
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(customDate);
  if (!match) return { error: 'Pick the last day the token should work' };
  const endOfDay = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59, 999);
  if (Number.isNaN(endOfDay.getTime()) || endOfDay.getTime() <= now.getTime()) {
    return { error: 'Pick today or a later date' };
  }
  if (endOfDay.getTime() > now.getTime() + MAX_EXPIRY_DAYS * DAY_MS) {
    return { error: `Pick a date at most ${MAX_EXPIRY_DAYS} days ahead` };
  }
  return { value: endOfDay.toISOString() };
}
