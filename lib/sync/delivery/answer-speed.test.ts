import { describe, expect, it } from 'vitest';
import { FAST_ANSWER_MS } from '../jobs';
import { AnswerSpeed } from './answer-speed';

describe('how fast a source answers', () => {
  it('is fast after three batches in a row answered within FAST_ANSWER_MS, slow again after one slower batch', () => {
    const speed = new AnswerSpeed();
    expect(speed.isFast('s1')).toBe(false);
    speed.note('s1', 3);
    speed.note('s1', FAST_ANSWER_MS);
    expect(speed.isFast('s1')).toBe(false);
    speed.note('s1', 0);
    expect(speed.isFast('s1')).toBe(true);
    expect(speed.isFast('s2')).toBe(false);
    speed.note('s1', FAST_ANSWER_MS + 1);
    expect(speed.isFast('s1')).toBe(false);
    speed.note('s1', 1);
    speed.note('s1', 1);
    expect(speed.isFast('s1')).toBe(false);
  });
});
