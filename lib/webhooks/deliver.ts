import type { Logger } from 'pino';
import type { Database } from '@/db/client';
import { decryptSecret, getKeyring } from '@/lib/crypto/secret-box';
import { sendRequest } from '@/lib/http/outbound-client';
import { signatureHeaders } from '@/lib/http/webhook-signing';
import { USER_AGENT } from '@/lib/sync/payload';
import { secretRedactor } from '@/lib/sync/redact-secrets';
import { type AttemptRecord, findDeliveryToSend, recordDeliveryAttempt } from './repository';

export const WEBHOOK_TIMEOUT_MS = 10_000;
// Several events for one endpoint may be in flight at once; more than this would only queue up.
const CONNECTIONS_PER_ENDPOINT = 4;
const ERROR_EXCERPT = 200;

export type DeliverOutcome = 'succeeded' | 'retrying' | 'failed' | 'gone';

/**
 * Sends one webhook delivery, signed the endpoint's way (lib/http/webhook-signing.ts: Standard
 * Webhooks, plus X-ATS-Signature for endpoints registered before it), and records the attempt.
 * `final` says pg-boss has no retry left, so a failure now is the delivery's end; otherwise the
 * caller throws and pg-boss tries again after its backoff.
 */
export async function deliverWebhook(
  deps: { db: Database; log: Logger },
  deliveryId: string,
  options: { final: boolean },
): Promise<DeliverOutcome> {
  const { db, log } = deps;
  const delivery = await findDeliveryToSend(db, deliveryId);
  // Its endpoint was deleted (the log went with it), or an earlier attempt already ended it.
  if (!delivery || delivery.status === 'succeeded' || delivery.status === 'failed') return 'gone';

  let attempt: AttemptRecord;
  if (!delivery.is_active) {
    attempt = { status: 'failed', httpStatus: null, error: 'the endpoint is disabled', durationMs: 0 };
  } else {
    const timestamp = Math.floor(Date.now() / 1000);
    const secret = decryptSecret(getKeyring(), delivery.secret_encrypted);
    const result = await sendRequest(
      {
        id: `webhook:${delivery.endpoint_id}`,
        updatedAt: delivery.endpoint_updated_at.toISOString(),
        maxConcurrency: CONNECTIONS_PER_ENDPOINT,
        timeoutMs: WEBHOOK_TIMEOUT_MS,
      },
      {
        url: delivery.url,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          // The same key on every retry: a receiver that saw the event already can ignore it.
          'idempotency-key': delivery.id,
          'x-ats-delivery-id': delivery.id,
          'x-ats-event': delivery.event_type,
          'x-ats-timestamp': String(timestamp),
          // webhook-id is the event: the same on every retry and redelivery, so a receiver that
          // deduplicates on it (as the spec advises) processes an event once.
          ...signatureHeaders(delivery.signing_mode, [secret], {
            id: delivery.event_id,
            timestamp,
            body: delivery.body,
          }),
        },
        body: delivery.body,
      },
    );
    const ok = result.ok && result.status >= 200 && result.status < 300;
    const blocked = !result.ok && result.errorCode === 'destination_blocked';
    const error = ok
      ? null
      : result.ok
        ? `HTTP ${result.status}${result.body ? `: ${secretRedactor([secret]).excerpt(result.body, ERROR_EXCERPT)}` : ''}`
        : result.message;
    attempt = {
      // A blocked destination stays blocked on every retry: fail now instead of for hours of backoff.
      status: ok ? 'succeeded' : options.final || blocked ? 'failed' : 'retrying',
      httpStatus: result.ok ? result.status : null,
      error,
      durationMs: result.durationMs,
    };
  }
  const recorded = await db.transaction().execute((trx) => recordDeliveryAttempt(trx, delivery, attempt));
  if (!recorded) return 'gone';
  log[attempt.status === 'succeeded' ? 'debug' : 'info'](
    {
      webhookDeliveryId: delivery.id,
      endpointId: delivery.endpoint_id,
      event: delivery.event_type,
      attempt: delivery.attempts + 1,
      httpStatus: attempt.httpStatus,
      ms: attempt.durationMs,
    },
    `webhook delivery ${attempt.status === 'retrying' ? 'will be retried' : attempt.status}`,
  );
  return attempt.status;
}
