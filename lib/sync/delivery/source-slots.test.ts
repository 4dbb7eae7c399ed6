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
