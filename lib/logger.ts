import pino, { type Logger } from 'pino';
import { type Env, getEnv } from './env';

const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|credential|signature|set-cookie/i;
// API tokens have a recognisable prefix so they can be scrubbed even from free text.
const SECRET_VALUE = [
  /\bats_[A-Za-z0-9_-]{16,}/g,
  // A token runs to whitespace or a closing quote, taking escaped characters
  // with it, so `Bearer pa\"ss\\word` inside JSON text goes whole, not just up to its first quote.
  /\bBearer\s+(?:\\.|[^\s"\\])+/gi,
  /\bBasic\s+[A-Za-z0-9+/=]{8,}/gi,
];

export const REDACTED = '[redacted]';
// (h4, tokens) A count about secrets (`tokens_revoked: 2` in a password reset's audit row) is no secret.
const COUNT_KEY = /_(count|revoked)$/i;

export function scrubString(value: string): string {
  let out = value;
  for (const re of SECRET_VALUE) out = out.replace(re, REDACTED);
  return out;
}

/** Deep copy with every secret-looking key or value replaced; used for logs and audit details. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[depth]';
  if (typeof value === 'string') return scrubString(value);
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (value instanceof Error) {
    return { type: value.name, message: scrubString(value.message), stack: value.stack && scrubString(value.stack) };
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        SECRET_KEY.test(k) &&
        v !== null &&
        v !== undefined &&
        typeof v !== 'boolean' &&
        !(typeof v === 'number' && COUNT_KEY.test(k))
          ? REDACTED
          : redactSecrets(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** A logger for this configuration; processes use the shared one from getLogger(). */
export function createLogger(
  env: Pick<Env, 'LOG_LEVEL' | 'LOG_FILE' | 'LOG_FILE_SIZE' | 'LOG_FILE_FREQUENCY'> = getEnv(),
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: env.LOG_LEVEL,
    base: { proc: process.env.ATS_PROCESS ?? 'app', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (obj) => redactSecrets(obj) as Record<string, unknown>,
    },
    serializers: { err: pino.stdSerializers.err },
    hooks: {
      logMethod(args, method) {
        // Scrub the message text too: a secret interpolated into a message must not survive.
        const scrubbed = args.map((a) => (typeof a === 'string' ? scrubString(a) : a));
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  if (destination) return pino(options, destination);
  if (!env.LOG_FILE) return pino(options);
  const transport = pino.transport({
    targets: [
      { target: 'pino/file', options: { destination: 1 }, level: env.LOG_LEVEL },
      {
        target: 'pino-roll',
        level: env.LOG_LEVEL,
        options: { file: env.LOG_FILE, size: env.LOG_FILE_SIZE, frequency: env.LOG_FILE_FREQUENCY, mkdir: true },
      },
    ],
  });
  return pino(options, transport);
}

const holder = globalThis as unknown as { __atsLogger?: Logger };

/** Replaces the process logger (tests read what the product logs). */
export function setLogger(logger: Logger): void {
  holder.__atsLogger = logger;
}

export function getLogger(): Logger {
  holder.__atsLogger ??= createLogger();
  return holder.__atsLogger;
}

/** Masks an email for logs: j***@example.com. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  if (!domain) return '***';
  return `${local.slice(0, 1)}***@${domain}`;
}
