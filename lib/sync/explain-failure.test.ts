import { describe, expect, it } from 'vitest';
import { explainFailure } from './explain-failure';

const f = (code: string | null, http_status: number | null = null, message: string | null = null) => ({
  code,
  http_status,
  message,
});

describe('explainFailure', () => {
  it('explains each error code in plain language, naming the HTTP status where there is one', () => {
    expect(explainFailure(f('rejected', 400, 'HTTP 400: {"error":"bad"}'))).toBe(
      'The source rejected the data (HTTP 400)',
    );
    expect(explainFailure(f('rejected', 422))).toBe('The source found the data invalid (HTTP 422)');
    expect(explainFailure(f('auth_failed', 401, 'HTTP 401'))).toBe(
      "The source refused our credentials (HTTP 401) — an admin should check the source's token",
    );
    expect(explainFailure(f('auth_failed', 403))).toContain('(HTTP 403)');
    expect(explainFailure(f('rate_limited', 429, 'HTTP 429'))).toMatch(/too many requests.*\(HTTP 429\)/);
    expect(explainFailure(f('server_error', 503, 'HTTP 503'))).toBe(
      'The source had an internal problem (HTTP 503); retrying later usually works',
    );
    expect(explainFailure(f('connection_failed', null, 'connection refused'))).toBe(
      'Could not reach the source: connection refused',
    );
    expect(explainFailure(f('redirect', 301))).toMatch(/redirect \(HTTP 301\)/);
    expect(explainFailure(f('destination_blocked', null, 'destination 10.0.0.5 is blocked: private address'))).toMatch(
      /internal network this server may not reach/,
    );
    expect(explainFailure(f('invalid_response'))).toMatch(/did not say whether/);
    expect(explainFailure(f('item_retry'))).toMatch(/all attempts were used/);
    expect(explainFailure(f('item_retry'), { waiting: true })).toBe(
      'The source asked us to try this candidate again later',
    );
    expect(explainFailure(f('source_inactive'))).toMatch(/deactivated or deleted/);
    expect(explainFailure(f('cancelled', null, 'cancelled before it was sent'))).toBe(
      'The sync was cancelled before this candidate was sent',
    );
  });

  it('takes the timeout from the message, else from the source, else says "in time"', () => {
    expect(explainFailure(f('timeout', null, 'no answer within 30 s'))).toBe('The source did not answer within 30 s');
    expect(explainFailure(f('timeout', null, 'no answer within 2.5 s'))).toBe('The source did not answer within 2.5 s');
    expect(explainFailure(f('timeout'), { timeoutMs: 10_000 })).toBe('The source did not answer within 10 s');
    expect(explainFailure(f('timeout'))).toBe('The source did not answer in time');
    expect(explainFailure(f('timeout', 408, 'HTTP 408'))).toMatch(/HTTP 408/);
  });

  it("quotes the source's own reason for refusing one item of a batch", () => {
    expect(explainFailure(f('item_rejected', 200, 'email domain not allowed'))).toBe(
      'The source refused this candidate: email domain not allowed',
    );
    expect(explainFailure(f('item_rejected', 200, 'HTTP 200: duplicate employee'))).toBe(
      'The source refused this candidate: duplicate employee',
    );
    expect(explainFailure(f('item_rejected'))).toBe('The source refused this candidate');
  });

  it('falls back to the status or the message for codes it does not know', () => {
    expect(explainFailure(f('something_new', 418))).toBe('The source answered with an error (HTTP 418)');
    expect(explainFailure(f(null, null, 'odd failure'))).toBe('Failed: odd failure');
    expect(explainFailure(f(null))).toBe('Failed for an unknown reason');
  });
});
