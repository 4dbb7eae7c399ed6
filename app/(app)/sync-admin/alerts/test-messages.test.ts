import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/client/api-fetch';
import { channelTestOutcome, requestFailedOutcome, ruleTestOutcome } from './test-messages';

const at = '2026-12-07T09:00:00Z';

describe('channelTestOutcome', () => {
  it('says where it went, or why it failed', () => {
    expect(channelTestOutcome({ name: '#alerts' }, { ok: true, at, error: null })).toEqual({
      ok: true,
      text: 'Sent to #alerts',
    });
    expect(
      channelTestOutcome(
        { name: '#alerts' },
        { ok: false, at, error: { code: 'no_service', message: 'Slack answered 404 no_service' } },
      ),
    ).toEqual({ ok: false, text: 'Failed: Slack answered 404 no_service' });
  });
});

describe('ruleTestOutcome', () => {
  const result = (name: string, ok: boolean) => ({
    channel_id: name,
    channel_name: name,
    ok,
    error: ok ? null : { code: 'e', message: `${name} is down` },
  });

  it('lists the channels reached', () => {
    expect(ruleTestOutcome([result('#alerts', true), result('Ops email', true)])).toEqual({
      ok: true,
      text: 'Sent to #alerts and Ops email',
    });
  });

  it('names each channel that failed with its error, after those reached', () => {
    expect(ruleTestOutcome([result('#alerts', true), result('Ops', false)])).toEqual({
      ok: false,
      text: 'Sent to #alerts. Failed: Ops: Ops is down',
    });
    expect(ruleTestOutcome([result('A', false), result('B', false)]).text).toBe('Failed: A: A is down; B: B is down');
  });

  it('says so when there was nowhere to send', () => {
    expect(ruleTestOutcome([])).toEqual({ ok: false, text: 'Failed: this rule has no enabled channel to send to' });
  });
});

describe('requestFailedOutcome', () => {
  it('shows the API’s message', () => {
    expect(requestFailedOutcome(new ApiError(422, 'email_not_configured', 'Email is not configured'))).toEqual({
      ok: false,
      text: 'Failed: Email is not configured',
    });
    expect(requestFailedOutcome('boom').text).toBe('Failed: could not reach the server');
  });
});
