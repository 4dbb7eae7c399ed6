import { describe, expect, it } from 'vitest';
import { DispatchTurns } from './dispatch-turns';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

describe('DispatchTurns', () => {
  it("lets each source's first request of a turn go at once, and holds the others until the loop has polled again", async () => {
    const turns = new DispatchTurns();
    const order: string[] = [];
    expect(turns.wait('a')).toBeUndefined();
    expect(turns.wait('b')).toBeUndefined();
    const second = turns.wait('a');
    expect(second).toBeInstanceOf(Promise);
    const done = second!.then(() => order.push('second request of a'));
    // Queued after the wait: an immediate of this turn still runs first, so the poll phase between
    // the two turns (where the first requests' sockets connect and are written to) does too.
    setImmediate(() => order.push('this turn'));
    await done;
    expect(order).toEqual(['this turn', 'second request of a']);
  });

  it('forgets the sources at the end of the turn', async () => {
    const turns = new DispatchTurns();
    expect(turns.wait('a')).toBeUndefined();
    expect(turns.wait('a')).toBeInstanceOf(Promise);
    await nextTurn();
    expect(turns.wait('a')).toBeUndefined();
  });
});
