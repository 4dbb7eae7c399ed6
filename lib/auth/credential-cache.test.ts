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

  it('checks a credential once for all the requests that miss it at the same moment', async () => {
    let now = 0;
    const cache = new ShortLivedCache<string>(CREDENTIAL_TTL_MS, 10, () => now);
    let loads = 0;
    let finish!: (value: string) => void;
    const load = () => {
      loads += 1;
      return new Promise<string>((resolve) => {
        finish = resolve;
      });
    };
    const waiting = Array.from({ length: 200 }, () => cache.getOrLoad('token-hash', load));
    await Promise.resolve();
    finish('actor');
    expect(await Promise.all(waiting)).toEqual(Array(200).fill('actor'));
    expect(loads).toBe(1);
    // Kept for a second from when the check began, then checked again.
    now += CREDENTIAL_TTL_MS - 1;
    expect(await cache.getOrLoad('token-hash', load)).toBe('actor');
    now += 1;
    const again = cache.getOrLoad('token-hash', load);
    await Promise.resolve();
    finish('actor');
    await again;
    expect(loads).toBe(2);
  });

  it('shares a refusal without keeping it', async () => {
    const cache = new ShortLivedCache<string>(CREDENTIAL_TTL_MS, 10, () => 0);
    let loads = 0;
    const refuse = async () => {
      loads += 1;
      throw new Error('invalid_token');
    };
    const results = await Promise.allSettled([cache.getOrLoad('k', refuse), cache.getOrLoad('k', refuse)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(loads).toBe(1);
    const none = async () => {
      loads += 1;
      return null;
    };
    expect(await cache.getOrLoad('k', none)).toBeNull();
    expect(await cache.getOrLoad('k', none)).toBeNull();
    expect(loads).toBe(3);
  });

  it('neither keeps nor shares a check that began before the cache was emptied (a revocation)', async () => {
    const cache = new ShortLivedCache<string>(CREDENTIAL_TTL_MS, 10, () => 0);
    let finishOld!: (value: string) => void;
    const before = cache.getOrLoad(
      'k',
      () =>
        new Promise<string>((resolve) => {
          finishOld = resolve;
        }),
    );
    await Promise.resolve();
    cache.clear();
    let fresh = 0;
    const after = cache.getOrLoad('k', async () => {
      fresh += 1;
      return 'checked after';
    });
    expect(await after).toBe('checked after');
    // The old check ends last: its caller gets its answer, but it replaces nothing.
    finishOld('checked before');
    expect(await before).toBe('checked before');
    expect(fresh).toBe(1);
    expect(await cache.getOrLoad('k', async () => 'never')).toBe('checked after');
  });
});
