import { sendRequest } from '@/lib/http/outbound-client';
import { type AlertMessage, CHANNEL_TIMEOUT_MS, type ChannelOutcome } from './types';

/**
 * Slack incoming webhooks (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks):
 * a POST of JSON `{text, blocks}` answered 200 `ok`, or an HTTP error whose body is a short code.
 * What each code means to the admin who has to fix it:
 */
const SLACK_ERRORS: Record<string, string> = {
  invalid_payload: 'Slack could not read the message',
  invalid_token: 'the webhook URL is no longer valid: create a new one in Slack and paste it here',
  no_service: 'the webhook was removed or disabled in Slack: create a new one and paste it here',
  no_service_id: 'the webhook URL is incomplete: paste it again from Slack',
  no_team: 'the Slack workspace of this webhook no longer exists',
  team_disabled: 'the Slack workspace of this webhook is disabled',
  channel_not_found: 'the Slack channel of this webhook no longer exists',
  channel_is_archived:
    'the Slack channel of this webhook is archived: unarchive it or create a webhook for another channel',
  action_prohibited: 'a Slack admin restricted posting to this channel',
  posting_to_general_channel_denied: 'only Slack admins may post to this channel',
  user_not_found: 'the Slack user of this webhook no longer exists',
  too_many_attachments: 'Slack refused the message as too large',
};

/** The Block Kit body: the text stays as the notification's fallback, the blocks add a button to the page. */
export function slackBody(message: AlertMessage): string {
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(message.text) } }];
  if (message.link) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in ATS Sync' }, url: message.link }],
    });
  }
  return JSON.stringify({ text: escapeMrkdwn(`${message.subject}\n${message.text}`), blocks });
}

// Slack reads &, < and > as markup (links, mentions such as <!channel>); our text is plain.
const escapeMrkdwn = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Posts one message through the one outbound client; the URL (the credential) never appears in the outcome. */
export async function sendSlack(channelId: string, webhookUrl: string, message: AlertMessage): Promise<ChannelOutcome> {
  const result = await sendRequest(
    { id: `alert-channel:${channelId}`, updatedAt: '', maxConcurrency: 2, timeoutMs: CHANNEL_TIMEOUT_MS },
    { url: webhookUrl, method: 'POST', headers: { 'content-type': 'application/json' }, body: slackBody(message) },
  );
  if (!result.ok) return { ok: false, code: result.errorCode, message: result.message };
  const answer = result.body.trim();
  if (result.status >= 200 && result.status < 300) return { ok: true };
  const code = /^[a-z_]{1,60}$/.test(answer) ? answer : null;
  if (result.status === 429)
    return { ok: false, code: 'rate_limited', message: 'Slack is rate limiting this webhook (429)' };
  const meaning = code ? SLACK_ERRORS[code] : undefined;
  return {
    ok: false,
    code: code ?? `http_${result.status}`,
    message: `Slack answered ${result.status}${code ? ` ${code}` : ''}${meaning ? `: ${meaning}` : ''}`,
  };
}
