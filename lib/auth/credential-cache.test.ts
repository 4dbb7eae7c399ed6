import { describe, expect, it } from 'vitest';
import { CREDENTIAL_REFRESH_AHEAD_MS, CREDENTIAL_TTL_MS, ShortLivedCache } from './credential-cache';

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

  it('checks a credential in use again before its second ends, answering from the entry meanwhile; a refusal ends it at once', async () => {
    let now = 0;
    const cache = new ShortLivedCache<string>(CREDENTIAL_TTL_MS, 10, () => now, CREDENTIAL_REFRESH_AHEAD_MS);
    const answers: ((value: string | null) => void)[] = [];
    const load = () =>
      new Promise<string | null>((resolve) => {
        answers.push(resolve);
      });
    const first = cache.getOrLoad('k', load);
    await Promise.resolve();
    answers[0]('v1');
    expect(await first).toBe('v1');

    // Before the last part of the second: no check.
    now = CREDENTIAL_TTL_MS - CREDENTIAL_REFRESH_AHEAD_MS - 1;
    expect(await cache.getOrLoad('k', load)).toBe('v1');
    expect(answers).toHaveLength(1);
    // In it: one check in the background for any number of requests, which get the entry at once.
    now = CREDENTIAL_TTL_MS - CREDENTIAL_REFRESH_AHEAD_MS + 1;
    expect(await Promise.all([cache.getOrLoad('k', load), cache.getOrLoad('k', load)])).toEqual(['v1', 'v1']);
    await Promise.resolve();
    expect(answers).toHaveLength(2);
    answers[1]('v2');
    await new Promise((resolve) => setImmediate(resolve));
    // Renewed from when that check began: still believed after the first second ended (and checked
    // again in the background once in the last part of its own second).
    const renewedAt = now;
    now = CREDENTIAL_TTL_MS + 100;
    expect(await cache.getOrLoad('k', load)).toBe('v2');
    await Promise.resolve();
    expect(answers).toHaveLength(renewedAt + CREDENTIAL_TTL_MS - now <= CREDENTIAL_REFRESH_AHEAD_MS ? 3 : 2);

    // A renewal that finds the credential refused (revoked) ends the entry before its second does.
    now = 2 * CREDENTIAL_TTL_MS - CREDENTIAL_REFRESH_AHEAD_MS;
    expect(await cache.getOrLoad('k', load)).toBe('v2');
    await Promise.resolve();
    answers[2](null);
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.get('k')).toBeUndefined();
  });
});
