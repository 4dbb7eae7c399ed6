import { describe, expect, it } from 'vitest';
import { candidatesFillingSlots, deliverFetchPlan, deliverJobSize, FAST_HOLD_FACTOR, HOLD_FACTOR } from './jobs';

const webhook = (maxConcurrency: number, batchSize: number) =>
  ({ connector: 'generic_webhook', batchSize, maxConcurrency }) as const;

describe('delivery job sizes and fetch plans', () => {
  it('gives a small webhook source whole batches: up to batch_size, at most three times max_concurrency', () => {
    expect(deliverJobSize(webhook(4, 10))).toBe(10);
    expect(deliverJobSize(webhook(4, 50))).toBe(12);
    expect(deliverJobSize(webhook(1, 10))).toBe(3);
    expect(deliverJobSize(webhook(32, 10))).toBe(10);
    expect(deliverJobSize({ connector: 'rest_batch', batchSize: 50, maxConcurrency: 2 })).toBe(50);
  });

  it("counts the candidates a source's slots take at once: max_concurrency requests of a request's candidates", () => {
    expect(candidatesFillingSlots(webhook(16, 50))).toBe(16);
    expect(candidatesFillingSlots({ connector: 'rest_batch', batchSize: 50, maxConcurrency: 2 })).toBe(100);
  });

  it('never holds more than HOLD_FACTOR (answering fast: FAST_HOLD_FACTOR) times max_concurrency requests, and at least max_concurrency when it can', () => {
    for (const connector of ['generic_webhook', 'rest_batch'] as const) {
      for (let c = 1; c <= 64; c++) {
        for (const batchSize of [1, 5, 10, 25, 50, 100]) {
          for (const fast of [false, true]) {
            const source = { connector, batchSize, maxConcurrency: c };
            const { loops, batchSize: jobsPerFetch } = deliverFetchPlan(source, { fast });
            const requestsPerJob = connector === 'rest_batch' ? 1 : deliverJobSize(source);
            const held = loops * jobsPerFetch * requestsPerJob;
            const what = JSON.stringify({ ...source, fast });
            expect(held, what).toBeLessThanOrEqual((fast ? FAST_HOLD_FACTOR : HOLD_FACTOR) * c);
            expect(held, what).toBeGreaterThanOrEqual(Math.min(c, requestsPerJob));
          }
        }
      }
    }
  });

  it('keeps two fetch loops where jobs are smaller than the slots (the throughput source)', () => {
    expect(deliverFetchPlan(webhook(32, 10))).toEqual({ loops: 2, batchSize: 4 });
    expect(deliverFetchPlan(webhook(16, 10))).toEqual({ loops: 2, batchSize: 2 });
  });

  it('gives a source whose job fills its slots one loop of two jobs per fetch: one claim and record for both', () => {
    expect(deliverFetchPlan(webhook(4, 10))).toEqual({ loops: 1, batchSize: 2 });
    expect(deliverFetchPlan(webhook(8, 10))).toEqual({ loops: 1, batchSize: 2 });
    // Two would not fit in HOLD_FACTOR times max_concurrency.
    expect(deliverFetchPlan(webhook(1, 10))).toEqual({ loops: 1, batchSize: 1 });
  });

  it('takes bigger batches of a source that answers fast: more deliveries per fetch, claim, record and completion', () => {
    expect(deliverFetchPlan(webhook(32, 10), { fast: true })).toEqual({ loops: 3, batchSize: 10 });
    expect(deliverFetchPlan(webhook(16, 10), { fast: true })).toEqual({ loops: 3, batchSize: 5 });
    // A job that fills the slots already: the same plan either way.
    expect(deliverFetchPlan(webhook(8, 10), { fast: true })).toEqual(deliverFetchPlan(webhook(8, 10)));
  });
});
