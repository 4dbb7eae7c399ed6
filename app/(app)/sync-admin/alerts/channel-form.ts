import type { AlertChannel, AlertChannelKind, ChannelBody } from '@/lib/swr/use-alerts';
import { hasControlCharacter } from '@/lib/security/hostile-input';
import { definedErrors, nameError } from './form-checks';

export const CHANNEL_FIELDS = ['name', 'kind', 'email_to', 'slack_webhook_url'] as const;
export type ChannelField = (typeof CHANNEL_FIELDS)[number];

export const MAX_ADDRESSES = 20;

export type ChannelFormState = {
  name: string;
  kind: AlertChannelKind;
  /** As typed: addresses separated by commas, semicolons, spaces or lines. */
  addresses: string;
  /** Empty when editing keeps the URL already saved (which the page cannot read back). */
  slack_webhook_url: string;
};

export function initialChannelForm(channel?: AlertChannel, kind: AlertChannelKind = 'slack'): ChannelFormState {
  return {
    name: channel?.name ?? '',
    kind: channel?.kind ?? kind,
    addresses: channel?.email_to?.join(', ') ?? '',
    slack_webhook_url: '',
  };
}

/** The distinct addresses of the text, in the order typed (case-insensitively distinct). */
export function parseAddresses(text: string): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const address of text.split(/[\s,;]+/)) {
    if (!address || seen.has(address.toLowerCase())) continue;
    seen.add(address.toLowerCase());
    result.push(address);
  }
  return result;
}

// The shape mail servers accept in practice; the server checks again.
const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

function addressesError(text: string): string | undefined {
  const addresses = parseAddresses(text);
  if (addresses.length === 0) return 'Enter at least one address';
  if (addresses.length > MAX_ADDRESSES) return `At most ${MAX_ADDRESSES} addresses (${addresses.length} entered)`;
  const bad = addresses.filter((a) => !ADDRESS.test(a) || hasControlCharacter(a));
  if (bad.length > 0) return `Not an email address: ${bad.join(', ')}`;
  return undefined;
}

function slackUrlError(url: string, required: boolean): string | undefined {
  const text = url.trim();
  if (!text) return required ? 'Required: the incoming webhook URL Slack gave you' : undefined;
  let parsed: URL | null = null;
  try {
    parsed = new URL(text);
  } catch {
    parsed = null;
  }
  if (!parsed || !['https:', 'http:'].includes(parsed.protocol) || hasControlCharacter(text)) {
    return 'Enter the whole URL Slack gave you, such as https://hooks.slack.com/services/T…/B…/…';
  }
  return undefined;
}

/** What is wrong with the form, per field; empty when it may be sent. */
export function checkChannelForm(state: ChannelFormState, editing: boolean): Partial<Record<ChannelField, string>> {
  return definedErrors<ChannelField>({
    name: nameError(state.name),
    kind: undefined,
    email_to: state.kind === 'email' ? addressesError(state.addresses) : undefined,
    slack_webhook_url: state.kind === 'slack' ? slackUrlError(state.slack_webhook_url, !editing) : undefined,
  });
}

/** The request body of a checked form; an edit sends a Slack URL only when a new one was typed. */
export function channelBody(state: ChannelFormState, editing: boolean): ChannelBody {
  const body: ChannelBody = { name: state.name.trim() };
  if (!editing) body.kind = state.kind;
  if (state.kind === 'email') body.email_to = parseAddresses(state.addresses);
  else if (state.slack_webhook_url.trim()) body.slack_webhook_url = state.slack_webhook_url.trim();
  return body;
}

/** Where the channel's messages go, as the table shows it: the addresses, or the masked URL. */
export function destinationOf(channel: Pick<AlertChannel, 'kind' | 'email_to' | 'slack_webhook_url'>): string {
  if (channel.kind === 'email') return channel.email_to?.join(', ') || 'No address';
  return channel.slack_webhook_url ?? 'No URL';
}

export const CHANNEL_KINDS: Record<AlertChannelKind, string> = { email: 'Email', slack: 'Slack' };
