import { describe, expect, it } from 'vitest';
import { CREDENTIAL_TTL_MS, ShortLivedCache } from './credential-cache';

describe('credentials are believed for at most a second (issue 19)', () => {
  it('keeps an entry for less than its lifetime and never from the lifetime on', () => {
    let now = 1_000;
    const cache = new ShortLivedCache<string>(CREDENTIAL_TTL_MS, 10, () => now);
    cache.set('token-hash', 'actor');
    now += CREDENTIAL_TTL_MS - 1;
    expect(cache.get('token-hash')).toBe('actor');
    now += 1;
    expect(cache.get('token-hash')).toBeUndefined();
    // Gone for good: a later set starts a new second, an old entry never comes back.
    now += 10_000;
    expect(cache.get('token-hash')).toBeUndefined();
    expect(CREDENTIAL_TTL_MS).toBeLessThanOrEqual(1000);
  });

  it('holds at most maxEntries, dropping the oldest first', () => {
    const cache = new ShortLivedCache<number>(CREDENTIAL_TTL_MS, 3, () => 0);
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) cache.set(key, i);
    expect(['a', 'b', 'c', 'd'].map((k) => cache.get(k))).toEqual([undefined, 1, 2, 3]);
    cache.clear();
    expect(cache.get('d')).toBeUndefined();
  });
});
