import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a fake received, for tests to assert on (the Authorization header included, as sent). */
export type ReceivedRequest = {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The status the fake answered. */
  status: number;
};

export type FakeAnswer = { status: number; headers?: Record<string, string>; body?: string };

export type FakeHandler = (req: {
  method: string;
  path: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}) => FakeAnswer;

export type RunningFake = {
  url: string;
  requests: ReceivedRequest[];
  /** Resolves once `count` requests have been answered (a test waits on this, never on a clock). */
  waitForRequests(count: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
};

/** A real node:http server on 127.0.0.1 with an ephemeral port, answering through `handler`. */
export async function startHttpFake(handler: FakeHandler): Promise<RunningFake> {
  const requests: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: (r: ReceivedRequest[]) => void }[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let answer: FakeAnswer;
      try {
        answer = handler({ method: req.method ?? 'GET', path: url.pathname, url, headers: req.headers, body });
      } catch (err) {
        answer = { status: 500, body: String(err) };
      }
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        headers: req.headers,
        body,
        status: answer.status,
      });
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
      for (const w of [...waiters]) {
        if (requests.length >= w.count) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(requests.slice());
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    waitForRequests(count) {
      if (requests.length >= count) return Promise.resolve(requests.slice());
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The user and password of a Basic Authorization header, or null. */
export function basicCredentials(headers: IncomingMessage['headers']): { user: string; password: string } | null {
  const value = headers.authorization;
  if (typeof value !== 'string' || !/^basic /i.test(value)) return null;
  const decoded = Buffer.from(value.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function parseJsonObject(body: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(body) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A switch: the next `count` requests get the rate-limit answer instead of their own. */
export class RateLimitSwitch {
  private remaining = 0;
  private seconds = 1;
  next(count: number, retryAfterSeconds: number): void {
    this.remaining = count;
    this.seconds = retryAfterSeconds;
  }
  /** The wait to announce when this request is throttled, else null. */
  take(): number | null {
    if (this.remaining <= 0) return null;
    this.remaining -= 1;
    return this.seconds;
  }
}
