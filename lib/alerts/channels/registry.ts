import type { AlertChannelKind } from '@/db/types';
import { decryptSecret, getKeyring } from '@/lib/crypto/secret-box';
import type { ChannelRow, SendOutcome } from '../repository';
import { sendEmail, smtpSettingsOf } from './email';
import { sendSlack } from './slack';
import type { AlertMessage, ChannelOutcome } from './types';

/** Every kind of channel and how a message goes out on it; a new kind is a file and one line here. */
const SENDERS: Record<AlertChannelKind, (channel: ChannelRow, message: AlertMessage) => Promise<ChannelOutcome>> = {
  email: async (channel, message) => {
    const settings = smtpSettingsOf();
    if (!settings) return { ok: false, code: 'email_not_configured', message: 'SMTP_URL is not set on this server' };
    return sendEmail(settings, channel.email_to ?? [], message);
  },
  slack: async (channel, message) => {
    let url: string;
    try {
      url = decryptSecret(getKeyring(), channel.slack_webhook_url_encrypted ?? '');
    } catch {
      return {
        ok: false,
        code: 'secret_unreadable',
        message: 'the stored webhook URL cannot be decrypted with APP_ENCRYPTION_KEY: paste it again',
      };
    }
    return sendSlack(channel.id, url, message);
  },
};

// An error text can quote a remote server (an SMTP reply): no control character of theirs is stored
// (PostgreSQL refuses NUL in text, which would leave the notification unrecorded) or shown.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]+/g;

const printable = (text: string) => text.replace(CONTROL_CHARACTERS, ' ').trim().slice(0, 500);

/** Sends one message to one channel; never throws (a failure is an outcome to record). */
export async function sendToChannel(channel: ChannelRow, message: AlertMessage): Promise<ChannelOutcome> {
  let outcome: ChannelOutcome;
  try {
    outcome = await SENDERS[channel.kind](channel, message);
  } catch (err) {
    outcome = { ok: false, code: 'send_failed', message: `sending failed: ${(err as Error).message}` };
  }
  return outcome.ok
    ? outcome
    : { ok: false, code: printable(outcome.code).slice(0, 60), message: printable(outcome.message) };
}

/** The outcome as the channel and notification rows record it. */
export const outcomeAt = (result: ChannelOutcome, at: Date): SendOutcome => ({
  ok: result.ok,
  at,
  errorCode: result.ok ? null : result.code,
  errorMessage: result.ok ? null : result.message,
});
