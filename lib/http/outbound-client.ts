import { Agent, type Dispatcher } from 'undici';
import { DESTINATION_BLOCKED, guardedConnector, isDestinationBlocked } from './destination-guard';

export const RESPONSE_EXCERPT_BYTES = 2048;
// We read a little more than we keep, to parse small JSON answers; a huge body is never buffered.
const RESPONSE_READ_LIMIT = 64 * 1024;

export type OutboundRequest = { url: string; method: string; headers: Record<string, string>; body: string };

export type HttpResult =
  | {
      ok: true;
      status: number;
      headers: Record<string, string | string[] | undefined>;
      body: string;
      durationMs: number;
    }
  | {
      ok: false;
      errorCode: 'timeout' | 'connection_failed' | typeof DESTINATION_BLOCKED;
      message: string;
      durationMs: number;
    };

/** What sending needs to know about the receiver: a source, or a completion-webhook endpoint. */
export type HttpTarget = { id: string; updatedAt: string; maxConcurrency: number; timeoutMs: number };

type AgentEntry = { agent: Agent; key: string };
const agents = new Map<string, AgentEntry>();

/**
 * One keep-alive connection pool per source, rebuilt when the source's limits change. Every pool
 * connects through the destination guard: this is the only way the product sends a request out.
 */
function agentFor(source: HttpTarget): Agent {
  const key = `${source.updatedAt}:${source.maxConcurrency}:${source.timeoutMs}`;
  const existing = agents.get(source.id);
  if (existing?.key === key) return existing.agent;
  if (existing) void existing.agent.close().catch(() => {});
  const agent = new Agent({
    connections: source.maxConcurrency,
    keepAliveTimeout: 30_000,
    connect: guardedConnector({ timeout: Math.min(source.timeoutMs, 10_000) }),
    headersTimeout: source.timeoutMs,
    bodyTimeout: source.timeoutMs,
  });
  agents.set(source.id, { agent, key });
  return agent;
}

/** At shutdown, after the grace period: requests still in flight are aborted, not waited for. */
export async function closeAgents(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.all(all.map((a) => a.agent.destroy().catch(() => {})));
}

/**
 * Sends one request with the source's timeout; never throws, never follows redirects.
 *
 * Through the agent's `dispatch` with a handler that collects the answer, not `request()`: that
 * one wraps every answer in a readable stream read through an async iterator, which cost the
 * worker an eighth to a fifth of its CPU per delivery at 0 ms answers (the body here is at most
 * 64 KiB, collected into a few chunks). The handler API is undici's documented one (Dispatcher.md:
 * onRequestStart, onResponseStart, onResponseData, onResponseEnd, onResponseError).
 */
export function sendRequest(source: HttpTarget, request: OutboundRequest): Promise<HttpResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise<HttpResult>((resolve) => {
    let settled = false;
    let controller: Dispatcher.DispatchController | null = null;
    let status = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (result: HttpResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const answered = () =>
      settle({
        ok: true,
        status,
        headers,
        body: (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))
          .subarray(0, RESPONSE_READ_LIMIT)
          .toString('utf8'),
        durationMs: elapsed(),
      });
    const failed = (err: unknown) => {
      if (isDestinationBlocked(err)) {
        settle({ ok: false, errorCode: DESTINATION_BLOCKED, message: (err as Error).message, durationMs: elapsed() });
        return;
      }
      const e = err as { name?: string; code?: string; message?: string };
      if (e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') {
        settle({
          ok: false,
          errorCode: 'timeout',
          message: `no answer within ${Math.round(source.timeoutMs / 100) / 10} s`,
          durationMs: elapsed(),
        });
        return;
      }
      settle({ ok: false, errorCode: 'connection_failed', message: describeNetworkError(e), durationMs: elapsed() });
    };
    // A timer cleared with the answer, not AbortSignal.timeout: that one fires for every request
    // after timeoutMs even when the answer came long before, building an abort error each time.
    // A request still waiting for a connection when it fires is answered now and aborted as soon
    // as the pool starts it.
    const timedOut = () => new DOMException('request timed out', 'TimeoutError');
    const timer = setTimeout(() => {
      const reason = timedOut();
      controller?.abort(reason);
      failed(reason);
    }, source.timeoutMs);
    timer.unref();
    let url: URL;
    try {
      url = new URL(request.url);
    } catch (err) {
      failed(err);
      return;
    }
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        // Started after its timeout was already answered (it waited for a connection).
        if (settled) c.abort(timedOut());
      },
      onResponseStart(_c, statusCode, responseHeaders) {
        // 1xx answers come before the real one; only the final status and headers count.
        if (statusCode < 200) return;
        status = statusCode;
        headers = responseHeaders;
      },
      onResponseData(c, chunk) {
        chunks.push(chunk);
        size += chunk.length;
        // We read a little more than we keep; a huge body is cut off, not buffered.
        if (size >= RESPONSE_READ_LIMIT) {
          answered();
          c.abort(new Error('response read limit reached'));
        }
      },
      onResponseEnd() {
        answered();
      },
      onResponseError(_c, err) {
        failed(err);
      },
    };
    try {
      agentFor(source).dispatch(
        {
          origin: url.origin,
          path: url.pathname + url.search,
          method: request.method as Dispatcher.HttpMethod,
          headers: request.headers,
          body: request.body,
        },
        handler,
      );
    } catch (err) {
      // Refused before it started (a closed pool, arguments undici does not take).
      failed(err);
    }
  });
}

function describeNetworkError(e: { code?: string; message?: string }): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset by the source';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'could not connect in time';
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `TLS certificate problem (${e.code})`;
    default:
      return `network error${e.code ? ` (${e.code})` : ''}: ${(e.message ?? '').slice(0, 200)}`;
  }
}

/** Retry-After in milliseconds, from seconds or an HTTP date; capped at an hour. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return null;
  const seconds = Number(v);
  let ms: number;
  if (Number.isFinite(seconds)) ms = seconds * 1000;
  else {
    const date = Date.parse(v);
    if (Number.isNaN(date)) return null;
    ms = date - now;
  }
  return Math.min(Math.max(ms, 0), 3600_000);
}
