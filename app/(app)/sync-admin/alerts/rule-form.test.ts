import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/client/api-fetch';
import type { AlertRule } from '@/lib/swr/use-alerts';
import { checkRuleForm, initialRuleForm, placeParamErrors, ruleBody } from './rule-form';

const valid = () => ({ ...initialRuleForm(undefined, ['c1']), name: 'Sources down' });

describe('checkRuleForm', () => {
  it('accepts the defaults of every kind once named and given a channel', () => {
    for (const kind of ['source_unhealthy', 'run_failed', 'no_worker', 'queue_backlog', 'webhook_disabled'] as const) {
      expect(checkRuleForm({ ...valid(), kind })).toEqual({});
    }
  });

  it('asks for a name, a channel, and at least one chosen source', () => {
    expect(checkRuleForm({ ...valid(), name: '  ', channel_ids: [], allSources: false })).toEqual({
      name: 'Required',
      channel_ids: 'Choose at least one channel to notify',
      source_ids: 'Choose at least one source, or every source',
    });
  });

  it('checks only the chosen kind’s threshold, with its range and unit', () => {
    const state = { ...valid(), failure_percent: '0', seconds: '10', minutes: 'x' };
    expect(checkRuleForm({ ...state, kind: 'run_failed' })).toEqual({
      failure_percent: 'Enter a whole number of percent from 1 to 100',
    });
    expect(checkRuleForm({ ...state, kind: 'no_worker' })).toEqual({
      seconds: 'Enter a whole number of seconds from 30 to 3600',
    });
    expect(checkRuleForm({ ...state, kind: 'queue_backlog' })).toEqual({
      minutes: 'Enter a whole number of minutes from 1 to 1440',
    });
    expect(checkRuleForm({ ...state, kind: 'webhook_disabled' })).toEqual({});
  });

  it('refuses fractions, negative numbers and a quiet period beyond a day', () => {
    expect(checkRuleForm({ ...valid(), kind: 'run_failed', failure_percent: '12.5' }).failure_percent).toBeDefined();
    expect(checkRuleForm({ ...valid(), quiet_period_minutes: '-1' }).quiet_period_minutes).toBeDefined();
    expect(checkRuleForm({ ...valid(), quiet_period_minutes: '1441' }).quiet_period_minutes).toBeDefined();
    expect(checkRuleForm({ ...valid(), quiet_period_minutes: '0' })).toEqual({});
  });

  it('refuses control characters and names over 100 characters', () => {
    expect(checkRuleForm({ ...valid(), name: 'a\u0000b' }).name).toBe('Must not contain control characters');
    expect(checkRuleForm({ ...valid(), name: 'x'.repeat(101) }).name).toBe('At most 100 characters');
  });
});

describe('ruleBody', () => {
  it('sends only the chosen kind’s parameters, as numbers', () => {
    expect(
      ruleBody(
        { ...valid(), kind: 'run_failed', failure_percent: ' 25 ', allSources: false, source_ids: ['s1'] },
        false,
      ),
    ).toEqual({
      name: 'Sources down',
      kind: 'run_failed',
      enabled: true,
      params: { failure_percent: 25, source_ids: ['s1'] },
      channel_ids: ['c1'],
      quiet_period_minutes: 60,
    });
    expect(ruleBody({ ...valid(), kind: 'no_worker', seconds: '90' }, false).params).toEqual({ seconds: 90 });
    expect(ruleBody({ ...valid(), kind: 'queue_backlog' }, false).params).toEqual({ minutes: 10 });
    expect(ruleBody({ ...valid(), kind: 'webhook_disabled' }, false).params).toEqual({});
    expect(ruleBody({ ...valid(), kind: 'source_unhealthy', source_ids: ['s1'] }, false).params).toEqual({
      source_ids: null,
    });
  });

  it('leaves out the kind and enabled when editing (the kind cannot change; the table switches enabled)', () => {
    const body = ruleBody({ ...valid(), name: '  Renamed ' }, true);
    expect(body).not.toHaveProperty('kind');
    expect(body).not.toHaveProperty('enabled');
    expect(body.name).toBe('Renamed');
  });

  it('starts an edit from the rule’s own values', () => {
    const rule: AlertRule = {
      id: 'r1',
      name: 'Backlog',
      kind: 'queue_backlog',
      enabled: false,
      params: { minutes: 30 },
      channel_ids: ['c2'],
      quiet_period_minutes: 0,
      state: 'ok',
      open_incidents: 0,
      last_notified_at: null,
      created_at: '',
      updated_at: '',
    };
    expect(initialRuleForm(rule)).toMatchObject({
      kind: 'queue_backlog',
      minutes: '30',
      channel_ids: ['c2'],
      quiet_period_minutes: '0',
      allSources: true,
    });
  });
});

describe('placeParamErrors', () => {
  it('moves an error on params.x to the field x', () => {
    const err = new ApiError(422, 'validation_failed', 'params.seconds: too small', [
      { path: 'params.seconds', message: 'too small' },
      { path: 'name', message: 'is required' },
    ]);
    const placed = placeParamErrors(err) as ApiError;
    expect(placed.details).toEqual([
      { path: 'seconds', message: 'too small' },
      { path: 'name', message: 'is required' },
    ]);
    expect(placed.code).toBe('validation_failed');
  });

  it('leaves other errors as they are', () => {
    const err = new ApiError(409, 'conflict', 'taken');
    expect(placeParamErrors(err)).toBe(err);
    const plain = new Error('network');
    expect(placeParamErrors(plain)).toBe(plain);
  });
});
