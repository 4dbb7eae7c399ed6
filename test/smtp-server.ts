import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = { from: string; to: string[]; subject: string; text: string; raw: string };

export type RunningSmtpServer = {
  port: number;
  /** SMTP_URL for this server with its user and password. */
  url: string;
  mails: ReceivedMail[];
  /** The passwords clients logged in with (a test checks the one from SMTP_URL arrived intact). */
  logins: { user: string; password: string }[];
  /** TCP connections accepted, logged in or not. */
  connections(): number;
  waitForMails(count: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
};

// Quoted-printable, as nodemailer writes long text lines: soft breaks and =XX escapes.
const decodeQuotedPrintable = (s: string) =>
  s
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

function parseMail(raw: string, from: string, to: string[]): ReceivedMail {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = head.replace(/\r?\n[ \t]+/g, ' ');
  const subject = /^Subject: (.*)$/im.exec(headers)?.[1] ?? '';
  const qp = /^Content-Transfer-Encoding: quoted-printable$/im.test(headers);
  const body = rest.join('\n\n');
  return { from, to, subject, text: qp ? decodeQuotedPrintable(body) : body, raw };
}

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 with login required: what an
 * alert email meets at a mail relay. No STARTTLS, so login over plain text must be allowed.
 */
export async function startSmtpServer(
  credentials = { user: 'alerts', password: 'p@ss:w/rd' },
  host = '127.0.0.1',
): Promise<RunningSmtpServer> {
  const mails: ReceivedMail[] = [];
  const logins: { user: string; password: string }[] = [];
  let connections = 0;
  const waiters: { count: number; resolve: (m: ReceivedMail[]) => void }[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onAuth(auth, _session, callback) {
      logins.push({ user: auth.username ?? '', password: auth.password ?? '' });
      if (auth.username === credentials.user && auth.password === credentials.password) {
        return callback(null, { user: auth.username });
      }
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        mails.push(
          parseMail(
            Buffer.concat(chunks).toString('utf8'),
            from,
            session.envelope.rcptTo.map((r) => r.address),
          ),
        );
        for (const w of [...waiters]) {
          if (mails.length >= w.count) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(mails.slice());
          }
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.server.address() as AddressInfo).port;
  const enc = encodeURIComponent;
  return {
    port,
    url: `smtp://${enc(credentials.user)}:${enc(credentials.password)}@${host}:${port}`,
    connections: () => connections,
    mails,
    logins,
    waitForMails: (count) =>
      mails.length >= count
        ? Promise.resolve(mails.slice())
        : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
