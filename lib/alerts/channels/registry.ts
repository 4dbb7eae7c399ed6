import type { AlertChannelKind } from '@/db/types';
import { decryptSecret, getKeyring } from '@/lib/crypto/secret-box';
import type { ChannelRow } from '../repository';
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

/** Sends one message to one channel; never throws (a failure is an outcome to record). */
export async function sendToChannel(channel: ChannelRow, message: AlertMessage): Promise<ChannelOutcome> {
  try {
    return await SENDERS[channel.kind](channel, message);
  } catch (err) {
    return { ok: false, code: 'send_failed', message: `sending failed: ${(err as Error).message?.slice(0, 200)}` };
  }
}
