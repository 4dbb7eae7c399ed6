import { describe, expect, it } from 'vitest';
import { failureLine, webhookHealth } from './webhook-health';

const endpoint = (consecutive_failures: number, delivered = true, is_active = true, retrying = 0) => ({
  is_active,
  consecutive_failures,
  retrying,
  last_success_at: delivered ? '2026-01-01T00:00:00.000Z' : null,
});

describe('webhookHealth', () => {
  it('counts endpoints in the right number', () => {
    expect(webhookHealth([endpoint(0)]).summary).toBe('1 endpoint delivering.');
    expect(webhookHealth([endpoint(0), endpoint(0)]).summary).toBe('All 2 endpoints delivering.');
  });

  it('calls an endpoint whose last delivery failed failing, before the alert threshold', () => {
    const failing = endpoint(1);
    expect(webhookHealth([failing])).toEqual({ failing: [failing], summary: null });
    expect(webhookHealth([failing, endpoint(0)]).summary).toBe('1 other endpoint delivering.');
  });

  it('calls an endpoint with a delivery waiting to retry failing, even one that delivered before', () => {
    const retrying = endpoint(0, true, true, 1);
    expect(webhookHealth([retrying])).toEqual({ failing: [retrying], summary: null });
  });

  it('does not call an endpoint never delivered to delivering, and leaves out inactive ones', () => {
    expect(webhookHealth([endpoint(0, false)]).summary).toBe('1 endpoint with nothing delivered yet.');
    expect(webhookHealth([endpoint(0), endpoint(0, false), endpoint(3, true, false)]).summary).toBe(
      '1 endpoint delivering; 1 endpoint with nothing delivered yet.',
    );
  });

  it('says how many failed in a row and how many wait to retry', () => {
    expect(failureLine({ consecutive_failures: 1, retrying: 0 })).toBe('1 delivery failed in a row');
    expect(failureLine({ consecutive_failures: 5, retrying: 2 })).toBe(
      '5 deliveries failed in a row; 2 deliveries waiting to retry',
    );
  });
});
