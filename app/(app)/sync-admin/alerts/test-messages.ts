import type { AlertChannel, AlertSendResult, RuleTestResult } from '@/lib/swr/use-alerts';

/** What a test of one channel came to, in one line. */
export type TestOutcome = { ok: boolean; text: string };

/** "Sent to #alerts", or "Failed: <why>" */
export function channelTestOutcome(channel: Pick<AlertChannel, 'name'>, result: AlertSendResult): TestOutcome {
  if (result.ok) return { ok: true, text: `Sent to ${channel.name}` };
  return { ok: false, text: `Failed: ${result.error?.message ?? 'the channel did not accept the message'}` };
}

const list = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/** A rule's test goes to each of its channels: what reached where, and why the rest did not. */
export function ruleTestOutcome(results: RuleTestResult[]): TestOutcome {
  if (results.length === 0) return { ok: false, text: 'Failed: this rule has no enabled channel to send to' };
  const sent = results.filter((r) => r.ok).map((r) => r.channel_name);
  const failed = results
    .filter((r) => !r.ok)
    .map((r) => `${r.channel_name}: ${r.error?.message ?? 'the channel did not accept the message'}`);
  if (failed.length === 0) return { ok: true, text: `Sent to ${list(sent)}` };
  const failure = `Failed: ${failed.join('; ')}`;
  return { ok: false, text: sent.length > 0 ? `Sent to ${list(sent)}. ${failure}` : failure };
}

/** A request that did not even reach the channel (the API refused it, or the network is down). */
export function requestFailedOutcome(err: unknown): TestOutcome {
  const message = err instanceof Error && err.message ? err.message : 'could not reach the server';
  return { ok: false, text: `Failed: ${message}` };
}
