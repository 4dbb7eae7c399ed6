import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { appUrl, type Env, getEnv } from '@/lib/env';
import { connectGuardedSocket, DESTINATION_BLOCKED, isDestinationBlocked } from '@/lib/http/destination-guard';
import { type AlertMessage, CHANNEL_TIMEOUT_MS, type ChannelOutcome } from './types';

export type SmtpSettings = {
  host: string;
  port: number;
  /** smtps://: TLS from the first byte; smtp://: STARTTLS when the server offers it. */
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
};

/** The SMTP server from SMTP_URL and ALERT_EMAIL_FROM, or null when email is not set up. */
export function smtpSettingsOf(env: Env = getEnv()): SmtpSettings | null {
  if (!env.SMTP_URL) return null;
  const url = new URL(env.SMTP_URL);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(url.port) || (secure ? 465 : 587),
    secure,
    user: url.username ? decodeURIComponent(url.username) : null,
    password: url.password ? decodeURIComponent(url.password) : null,
    from: env.ALERT_EMAIL_FROM || `ATS Sync <alerts@${new URL(appUrl(env)).hostname}>`,
  };
}

/**
 * Sends one plain-text email. The connection is opened by the destination guard and handed to
 * nodemailer (its `getSocket` hook), so an SMTP host in a blocked range is refused like any
 * other outbound request; nodemailer still does the TLS (smtps or STARTTLS) on that socket with
 * the host name for SNI and certificate checks.
 */
export async function sendEmail(
  settings: SmtpSettings,
  to: readonly string[],
  message: AlertMessage,
): Promise<ChannelOutcome> {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
    connectionTimeout: CHANNEL_TIMEOUT_MS,
    greetingTimeout: CHANNEL_TIMEOUT_MS,
    socketTimeout: CHANNEL_TIMEOUT_MS,
    logger: false,
    getSocket: (_options, callback) => {
      connectGuardedSocket(settings.host, settings.port, CHANNEL_TIMEOUT_MS).then(
        (connection) => callback(null, { connection }),
        (err: Error) => callback(err, null),
      );
    },
  } satisfies SMTPTransport.Options);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' })),
        CHANNEL_TIMEOUT_MS * 2,
      );
    });
    await Promise.race([
      transport.sendMail({ from: settings.from, to: [...to], subject: message.subject, text: message.text }),
      timeout,
    ]);
    return { ok: true };
  } catch (err) {
    return describeSmtpError(err, settings);
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}

function describeSmtpError(err: unknown, settings: SmtpSettings): ChannelOutcome & { ok: false } {
  const e = err as { code?: string; responseCode?: number; message?: string };
  const scrub = (text: string) =>
    settings.password ? text.split(settings.password).join('[redacted]').slice(0, 300) : text.slice(0, 300);
  if (isDestinationBlocked(err)) return { ok: false, code: DESTINATION_BLOCKED, message: scrub(e.message ?? '') };
  switch (e.code) {
    case 'EAUTH':
      return {
        ok: false,
        code: 'auth_failed',
        message: `the SMTP server refused the login: ${scrub(e.message ?? '')}`,
      };
    case 'EENVELOPE':
      return { ok: false, code: 'rejected', message: `the SMTP server refused a recipient: ${scrub(e.message ?? '')}` };
    case 'ETIMEDOUT':
      return { ok: false, code: 'timeout', message: `no answer from ${settings.host}:${settings.port} in time` };
    case 'ECONNREFUSED':
      return {
        ok: false,
        code: 'connection_failed',
        message: `connection refused by ${settings.host}:${settings.port}`,
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { ok: false, code: 'connection_failed', message: `host name ${settings.host} not found` };
    case 'ETLS':
    case 'ESOCKET':
    case 'ECONNECTION':
      return { ok: false, code: 'connection_failed', message: scrub(e.message ?? 'connection failed') };
    default:
      if (e.responseCode && e.responseCode >= 400) {
        return { ok: false, code: 'rejected', message: `the SMTP server answered: ${scrub(e.message ?? '')}` };
      }
      return { ok: false, code: 'connection_failed', message: scrub(e.message ?? 'sending failed') };
  }
}
