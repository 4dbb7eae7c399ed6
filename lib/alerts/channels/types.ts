/** One message as every channel gets it: a subject line, plain text, and the page that shows the problem. */
export type AlertMessage = {
  subject: string;
  text: string;
  link: string | null;
};

/** What sending to a channel came to; `message` never carries the channel's secret. */
export type ChannelOutcome = { ok: true } | { ok: false; code: string; message: string };

/** How long one message to one channel may take, connection included. */
export const CHANNEL_TIMEOUT_MS = 10_000;
