import { describe, expect, it } from 'vitest';
import { channelBody, checkChannelForm, destinationOf, initialChannelForm, parseAddresses } from './channel-form';

describe('parseAddresses', () => {
  it('splits on commas, semicolons, spaces and lines, and drops repeats', () => {
    expect(parseAddresses(' a@x.io, b@x.io;\nA@X.io  c@x.io ,')).toEqual(['a@x.io', 'b@x.io', 'c@x.io']);
    expect(parseAddresses('  ')).toEqual([]);
  });
});

describe('checkChannelForm', () => {
  const email = { name: 'On-call', kind: 'email' as const, addresses: 'ops@example.com', slack_webhook_url: '' };
  const slack = {
    name: '#alerts',
    kind: 'slack' as const,
    addresses: '',
    slack_webhook_url: 'https://hooks.slack.com/services/T0/B0/xyz',
  };

  it('accepts a named email channel with addresses and a Slack channel with its URL', () => {
    expect(checkChannelForm(email, false)).toEqual({});
    expect(checkChannelForm(slack, false)).toEqual({});
  });

  it('names the addresses that are not addresses, and limits them to 20', () => {
    expect(checkChannelForm({ ...email, addresses: 'ops@example.com, nope, x@y' }, false)).toEqual({
      email_to: 'Not an email address: nope, x@y',
    });
    expect(checkChannelForm({ ...email, addresses: '' }, false)).toEqual({ email_to: 'Enter at least one address' });
    const many = Array.from({ length: 21 }, (_, i) => `p${i}@example.com`).join(',');
    expect(checkChannelForm({ ...email, addresses: many }, false)).toEqual({
      email_to: 'At most 20 addresses (21 entered)',
    });
  });

  it('needs a Slack URL when adding, not when editing (empty keeps the saved one)', () => {
    expect(checkChannelForm({ ...slack, slack_webhook_url: '' }, false).slack_webhook_url).toMatch(/^Required/);
    expect(checkChannelForm({ ...slack, slack_webhook_url: '' }, true)).toEqual({});
    expect(checkChannelForm({ ...slack, slack_webhook_url: 'hooks.slack.com/x' }, true).slack_webhook_url).toMatch(
      /^Enter the whole URL/,
    );
    expect(checkChannelForm({ ...slack, slack_webhook_url: 'javascript:alert(1)' }, false).slack_webhook_url).toMatch(
      /^Enter the whole URL/,
    );
  });

  it('asks for a name without control characters', () => {
    expect(checkChannelForm({ ...slack, name: '' }, false)).toEqual({ name: 'Required' });
    expect(checkChannelForm({ ...slack, name: 'a\u0007' }, false)).toEqual({
      name: 'Must not contain control characters',
    });
  });
});

describe('channelBody', () => {
  it('sends the kind’s own field, the kind only when adding', () => {
    expect(
      channelBody({ name: ' Ops ', kind: 'email', addresses: 'a@x.io b@x.io', slack_webhook_url: '' }, false),
    ).toEqual({
      name: 'Ops',
      kind: 'email',
      email_to: ['a@x.io', 'b@x.io'],
    });
    expect(channelBody({ name: 'S', kind: 'slack', addresses: '', slack_webhook_url: ' https://h/x ' }, false)).toEqual(
      {
        name: 'S',
        kind: 'slack',
        slack_webhook_url: 'https://h/x',
      },
    );
  });

  it('sends a Slack URL on edit only when a new one was typed', () => {
    expect(channelBody({ name: 'S', kind: 'slack', addresses: '', slack_webhook_url: '' }, true)).toEqual({
      name: 'S',
    });
  });

  it('starts an edit with the saved addresses and never the (masked) URL', () => {
    const form = initialChannelForm({
      id: 'c',
      name: 'S',
      kind: 'slack',
      enabled: true,
      email_to: null,
      slack_webhook_url: 'https://hooks.slack.com/services/T0…/B0…/••••',
      last_result: null,
      created_at: '',
      updated_at: '',
    });
    expect(form.slack_webhook_url).toBe('');
  });
});

describe('destinationOf', () => {
  it('lists the addresses, or shows the masked URL', () => {
    expect(destinationOf({ kind: 'email', email_to: ['a@x.io', 'b@x.io'], slack_webhook_url: null })).toBe(
      'a@x.io, b@x.io',
    );
    expect(destinationOf({ kind: 'slack', email_to: null, slack_webhook_url: 'https://hooks.slack.com/…/••••' })).toBe(
      'https://hooks.slack.com/…/••••',
    );
  });
});
