import { describe, expect, it } from 'vitest';
import { failedInARow, webhookHealth } from './webhook-health';

const endpoint = (consecutive_failures: number, delivered = true, is_active = true) => ({
  is_active,
  consecutive_failures,
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

  it('does not call an endpoint never delivered to delivering, and leaves out inactive ones', () => {
    expect(webhookHealth([endpoint(0, false)]).summary).toBe('1 endpoint with nothing delivered yet.');
    expect(webhookHealth([endpoint(0), endpoint(0, false), endpoint(3, true, false)]).summary).toBe(
      '1 endpoint delivering; 1 endpoint with nothing delivered yet.',
    );
  });

  it('says how many failed in a row', () => {
    expect(failedInARow(1)).toBe('1 delivery failed in a row');
    expect(failedInARow(5)).toBe('5 deliveries failed in a row');
  });
});
