import { describe, expect, it } from 'vitest';
import { NO_END } from '../limits-repository';
import { SourceSlots } from './source-slots';

// The pause bookkeeping asks nothing of the database: a backend that is never to be called.
const unused = () => {
  throw new Error('the backend is not asked for a pause');
};
const slots = () => new SourceSlots({ lease: unused, tokens: null, onError: unused }, 4);

describe('SourceSlots pause and resume', () => {
  it('a pause with no end holds every request until resumed', async () => {
    const s = slots();
    s.pause(NO_END);
    expect(s.pausedUntil()).toEqual(NO_END);
    expect(await s.run(async () => 'sent')).toEqual({ paused: NO_END });
    s.resume();
    expect(s.pausedUntil()).toBeNull();
  });

  it('a claim that began before a pause was heard of does not lift it', () => {
    const s = slots();
    const seen = s.pauses;
    s.pause(NO_END);
    s.resume(seen);
    expect(s.pausedUntil()).toEqual(NO_END);
    s.resume(s.pauses);
    expect(s.pausedUntil()).toBeNull();
  });
});

/** A backend that answers every lease with what was asked for, and records the asks. */
function leasing(max: number) {
  const asks: { want: number; inUse: number }[] = [];
  const s = new SourceSlots(
    {
      lease: async (want, inUse) => {
        asks.push({ want, inUse });
        return { granted: Math.min(want, max), held: Math.max(Math.min(want, max), inUse), pausedUntil: null };
      },
      tokens: null,
      onError: (err) => {
        throw err;
      },
    },
    max,
  );
  return { s, asks };
}

describe('SourceSlots.prepare', () => {
  it('leases for a batch being claimed before its requests queue, and they start without asking again', async () => {
    const { s, asks } = leasing(4);
    s.prepare(3);
    // The lease is asked for at once, before any request queues for a slot.
    expect(asks).toEqual([{ want: 3, inUse: 0 }]);
    await new Promise((resolve) => setImmediate(resolve));
    const sent = await Promise.all([1, 2, 3].map((n) => s.run(async () => n)));
    expect(sent).toEqual([1, 2, 3]);
    expect(asks).toHaveLength(1);
    await s.stop();
  });

  it('asks for no more than max_concurrency, and nothing while its slots are usable or the source is paused', async () => {
    const { s, asks } = leasing(4);
    s.prepare(50);
    // A second batch claimed while that lease is on its way: the same answer serves it.
    s.prepare(10);
    await new Promise((resolve) => setImmediate(resolve));
    expect(asks).toEqual([{ want: 4, inUse: 0 }]);
    s.prepare(2);
    expect(asks).toHaveLength(1);
    const paused = leasing(4);
    paused.s.pause(NO_END);
    paused.s.prepare(2);
    expect(paused.asks).toHaveLength(0);
    await s.stop();
    await paused.s.stop();
  });
});
