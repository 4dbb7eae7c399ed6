import { describe, expect, it } from 'vitest';
import { POLL_INTERVAL_MS, pollDelay } from './use-sync-run';

describe('pollDelay', () => {
  it('polls a new run soon, then every 2 s', () => {
    expect([0, 1, 2, 3, 4, 50].map(pollDelay)).toEqual([300, 700, 1000, 2000, 2000, 2000]);
    expect(POLL_INTERVAL_MS).toBe(2000);
  });
});
