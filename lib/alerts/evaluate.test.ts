import { describe, expect, it } from 'vitest';
import { decide, type Finding } from './evaluate';

const now = new Date('2026-12-07T10:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const finding = (subjectKey: string, details = 'auth failed'): Finding => ({
  subjectKey,
  subject: `Source ${subjectKey}`,
  problem: 'is failing: auth failed',
  details,
  since: null,
  link: null,
});

describe('decide', () => {
  it('opens an incident for a new subject', () => {
    expect(decide([finding('a')], [], [], 60, now)).toEqual([{ action: 'open', finding: finding('a') }]);
  });

  it('sends nothing more while an incident is open, and follows its details', () => {
    expect(decide([finding('a')], [{ id: 'i1', subjectKey: 'a', details: 'auth failed' }], [], 60, now)).toEqual([]);
    expect(
      decide([finding('a', 'timeout')], [{ id: 'i1', subjectKey: 'a', details: 'auth failed' }], [], 60, now),
    ).toEqual([{ action: 'update', incidentId: 'i1', finding: finding('a', 'timeout') }]);
  });

  it('resolves an open incident whose condition cleared', () => {
    expect(decide([], [{ id: 'i1', subjectKey: 'a', details: 'x' }], [], 60, now)).toEqual([
      { action: 'resolve', incidentId: 'i1' },
    ]);
  });

  it('reopens silently within the quiet period of the last message, opens anew after it', () => {
    const cleared = [{ id: 'old', subjectKey: 'a', lastMessageAt: minutesAgo(30) }];
    expect(decide([finding('a')], [], cleared, 60, now)).toEqual([
      { action: 'reopen', incidentId: 'old', finding: finding('a') },
    ]);
    expect(decide([finding('a')], [], cleared, 20, now)).toEqual([{ action: 'open', finding: finding('a') }]);
    expect(decide([finding('a')], [], cleared, 0, now)).toEqual([{ action: 'open', finding: finding('a') }]);
  });

  it('treats each subject on its own and a subject found twice once', () => {
    const decisions = decide(
      [finding('a'), finding('b'), finding('a')],
      [
        { id: 'ib', subjectKey: 'b', details: 'auth failed' },
        { id: 'ic', subjectKey: 'c', details: 'x' },
      ],
      [],
      60,
      now,
    );
    expect(decisions).toEqual([
      { action: 'open', finding: finding('a') },
      { action: 'resolve', incidentId: 'ic' },
    ]);
  });
});
