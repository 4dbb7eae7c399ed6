import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClaimLease } from './claim-lease';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];

function lease(renew: (ids: string[]) => Promise<string[]>) {
  const lost: string[][] = [];
  const errors: unknown[] = [];
  const calls: string[][] = [];
  const l = new ClaimLease(
    {
      leaseMs: 3000,
      renewEveryMs: 1000,
      renew: (ids) => {
        calls.push(ids);
        return renew(ids);
      },
      onLost: (ids) => lost.push(ids),
      onError: (err) => errors.push(err),
    },
    ['a', 'b', 'c'],
    Date.now(),
  );
  return { l, lost, errors, calls };
}

describe('a batch claim lease', () => {
  it('costs nothing when the batch ends before the first renewal', async () => {
    const { l, calls } = lease(async (ids) => ids);
    await vi.advanceTimersByTimeAsync(999);
    l.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toEqual([]);
  });

  it('renews what it still holds; a delivery the renewal did not return is never sent', async () => {
    const { l, lost, calls } = lease(async (ids) => ids.filter((id) => id !== 'b'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual([['a', 'b', 'c']]);
    expect(lost).toEqual([['b']]);
    expect(l.sendable(rows)).toEqual([{ id: 'a' }, { id: 'c' }]);
    // Renewed: still sendable past the first claim's end.
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls.at(-1)).toEqual(['a', 'c']);
    expect(l.sendable(rows)).toEqual([{ id: 'a' }, { id: 'c' }]);
    l.stop();
  });

  it('stops sending when renewals fail, a third of the lease before it can run out', async () => {
    const { l, errors } = lease(async () => {
      throw new Error('connection refused');
    });
    await vi.advanceTimersByTimeAsync(1999);
    expect(l.sendable(rows)).toBe(rows);
    expect(errors).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(l.sendable(rows)).toEqual([]);
    l.stop();
  });

  it('reports no loss for an answer that comes after the batch stopped (it recorded its deliveries)', async () => {
    let answer: (ids: string[]) => void = () => {};
    const { l, lost } = lease(() => new Promise((resolve) => (answer = resolve)));
    await vi.advanceTimersByTimeAsync(1000);
    l.stop();
    answer([]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(lost).toEqual([]);
  });
});
