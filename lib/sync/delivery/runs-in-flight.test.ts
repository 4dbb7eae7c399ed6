import { describe, expect, it } from 'vitest';
import { RunsInFlight } from './runs-in-flight';

describe('runs in flight in one worker', () => {
  it('is held while another batch of the run has not recorded, and not once the last one has', () => {
    const runs = new RunsInFlight();
    const first = runs.hold(['r1', 'r2']);
    const second = runs.hold(['r1']);
    first();
    // The first batch recorded: the second still holds r1 (it asks), nobody holds r2 (the first asks).
    expect(runs.held('r1')).toBe(true);
    expect(runs.held('r2')).toBe(false);
    second();
    expect(runs.held('r1')).toBe(false);
  });

  it('counts a run once per batch and lets a batch go only once (a failed batch releases in finally too)', () => {
    const runs = new RunsInFlight();
    const a = runs.hold(['r1', 'r1']);
    const b = runs.hold(['r1']);
    a();
    a();
    expect(runs.held('r1')).toBe(true);
    b();
    expect(runs.held('r1')).toBe(false);
  });
});
