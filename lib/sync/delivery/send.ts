import { sendRequest } from '@/lib/http/outbound-client';
import { maskEmail } from '@/lib/logger';
import type { Connector, DeliveryItem, Outcome, SourceConfig } from '../connectors/types';
import type { ClaimedRow, RecordedOutcome } from '../delivery-repository';
import type { EngineContext } from '../engine-context';
import { requestRecord } from '../redact-secrets';

/** One delivery's outcome, ready to record. */
export type Settled = Outcome &
  RecordedOutcome & {
    runId: string;
    candidateId: string;
  };

function toItem(row: ClaimedRow): DeliveryItem {
  return {
    deliveryId: row.id,
    idempotencyKey: row.idempotency_key,
    attempt: row.attempts,
    candidate: {
      id: row.candidate_id,
      first_name: row.first_name,
      last_name: row.last_name,
      email: row.email,
      phone: row.phone,
      hired_at: row.hired_at ? new Date(row.hired_at).toISOString() : null,
    },
    job: { id: row.job_id, slug: row.slug, title: row.title, department: row.department, location: row.location },
  };
}

/** Backoff for attempt n (1-based): base × 2^(n-1), with jitter; Retry-After is honoured as given. */
export function retryDelayMs(attempt: number, baseSeconds: number, retryAfterMs: number | null): number {
  if (retryAfterMs !== null) return retryAfterMs + Math.floor(Math.random() * 250);
  const base = Math.max(baseSeconds, 0.2) * 1000 * 2 ** (attempt - 1);
  return Math.round(Math.min(base, 300_000) * (0.75 + Math.random() * 0.5));
}

/** One request (one candidate, or a chunk for batch APIs) and what its answer means for each candidate. */
export async function sendChunk(
  ctx: EngineContext,
  source: SourceConfig,
  connector: Connector,
  chunk: ClaimedRow[],
): Promise<Settled[]> {
  const items = chunk.map(toItem);
  // Built when a slot is free, so X-ATS-Timestamp is the moment of sending.
  const request = connector.buildRequest(source, items, new Date());
  const result = await sendRequest(source, request);
  const outcomes = connector.interpret(source, items, result);
  // What was sent, for the task detail page: credentials out by value (on the values, before any
  // serialising, so escaping cannot hide them), then by header name.
  const sent = requestRecord(source, request);
  const body = items.length === 1 ? request.body : `[batch of ${items.length}]`;
  return outcomes.map((o, index) => {
    const row = chunk[index];
    const attempt = row.attempts;
    const retry = o.kind === 'retry' && attempt < source.maxAttempts;
    const status = o.kind === 'succeeded' ? 'succeeded' : retry ? 'pending' : 'failed';
    const level = o.kind === 'succeeded' ? 'debug' : 'info';
    if (ctx.log.isLevelEnabled(level)) {
      ctx.log[level](
        {
          runId: row.run_id,
          deliveryId: row.id,
          sourceId: source.id,
          candidate: maskEmail(row.email),
          attempt,
          // The last attempt of a retryable failure is a failure: no retry follows.
          outcome: o.kind === 'succeeded' ? 'succeeded' : retry ? 'retry' : 'failed',
          httpStatus: o.httpStatus,
          errorCode: o.errorCode,
          ms: o.durationMs,
        },
        `delivery ${o.kind === 'succeeded' ? 'succeeded' : retry ? 'will be retried' : 'failed'}`,
      );
    }
    return {
      ...o,
      status,
      nextAttemptAt: retry ? new Date(Date.now() + retryDelayMs(attempt, ctx.retryDelaySeconds, o.retryAfterMs)) : null,
      attempt,
      runId: row.run_id,
      candidateId: row.candidate_id,
      request: { ...sent, body },
    };
  });
}
