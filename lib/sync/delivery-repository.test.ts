import { describe, expect, it } from 'vitest';
import { createDb } from '@/db/client';
import { type RecordedOutcome, recordDeliveriesStatement } from './delivery-repository';

// Compiling needs no connection: the pool connects only when a query runs.
const db = createDb('postgres://nobody@127.0.0.1:1/none');

const outcome = (i: number): RecordedOutcome => ({
  deliveryId: `00000000-0000-4000-8000-00000000000${i}`,
  attempt: 1,
  status: i % 2 ? 'succeeded' : 'pending',
  httpStatus: i % 2 ? 200 : 503,
  errorCode: i % 2 ? null : 'server_error',
  errorMessage: i % 2 ? null : 'HTTP 503',
  responseExcerpt: '{"ok":true}',
  request: { url: 'https://example.test/hired', headers: {}, body: '{}' },
  durationMs: 3,
  externalId: null,
  recordHash: null,
  nextAttemptAt: i % 2 ? null : new Date(0),
});

describe('the statement that records a batch', () => {
  it('has one text, marked prepared, whatever the number of outcomes (the values go as one JSON parameter)', () => {
    const one = recordDeliveriesStatement('w', 'src', 'w#0', [outcome(1)], false).compile(db);
    const three = recordDeliveriesStatement('w', 'src', 'w#0', [outcome(1), outcome(2), outcome(3)], false).compile(db);
    expect(three.sql).toBe(one.sql);
    expect(one.sql.startsWith('/* prepared */')).toBe(true);
    expect(three.parameters.length).toBe(one.parameters.length);
    const sent = JSON.parse(three.parameters[0] as string) as { id: string; next_attempt_at: string | null }[];
    expect(sent.map((r) => r.id)).toEqual([outcome(1), outcome(2), outcome(3)].map((o) => o.deliveryId));
    expect(sent[1].next_attempt_at).toBe(new Date(0).toISOString());
  });
});
