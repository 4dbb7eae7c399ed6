import { type RunningFake, parseJsonObject, startHttpFake } from './http-fake';

/**
 * A local Slack incoming webhook, as Slack's documentation describes it
 * (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks, "Handling errors"):
 * - `POST /services/<team>/<bot>/<token>` with a JSON body carrying `text` (and optionally
 *   `blocks`); the answer is 200 with the body `ok`;
 * - a body that is not JSON, or has neither `text` nor `blocks`: 400 `invalid_payload`;
 * - a wrong token: 403 `invalid_token`; a removed or unknown webhook: 404 `no_service`;
 * - the channel archived: 410 `channel_is_archived`.
 * `mode` makes the fake answer as Slack does in each of those states.
 */
export type SlackFakeMode = 'ok' | 'invalid_token' | 'no_service' | 'channel_is_archived';

export type SlackFake = RunningFake & {
  /** The webhook URL to paste, like https://hooks.slack.com/services/T…/B…/… but on 127.0.0.1. */
  webhookUrl: string;
  setMode(mode: SlackFakeMode): void;
  /** The `text` of every message accepted. */
  texts(): string[];
};

const TOKEN = 'xoxfaketoken0123456789ab';
const PATH = `/services/T0FAKETEAM/B0FAKEHOOK/${TOKEN}`;

const ERRORS: Record<Exclude<SlackFakeMode, 'ok'>, number> = {
  invalid_token: 403,
  no_service: 404,
  channel_is_archived: 410,
};

export async function startSlackFake(): Promise<SlackFake> {
  let mode: SlackFakeMode = 'ok';
  const fake = await startHttpFake(({ method, path, body }) => {
    if (method !== 'POST' || !path.startsWith('/services/')) return { status: 404, body: 'no_service' };
    if (path !== PATH) return { status: 403, body: 'invalid_token' };
    if (mode !== 'ok') return { status: ERRORS[mode], body: mode };
    const json = parseJsonObject(body);
    if (!json || (typeof json.text !== 'string' && !Array.isArray(json.blocks))) {
      return { status: 400, body: 'invalid_payload' };
    }
    return { status: 200, headers: { 'content-type': 'text/html' }, body: 'ok' };
  });
  return {
    ...fake,
    webhookUrl: `${fake.url}${PATH}`,
    setMode: (m) => {
      mode = m;
    },
    texts: () => fake.requests.filter((r) => r.status === 200).map((r) => String(parseJsonObject(r.body)?.text ?? '')),
  };
}
