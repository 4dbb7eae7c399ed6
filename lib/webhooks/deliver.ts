import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '@/db/client';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { systemActor } from '@/lib/auth/actor';
import { decryptSecret, getKeyring } from '@/lib/crypto/secret-box';
import { getEnv } from '@/lib/env';
import { sendRequest } from '@/lib/http/outbound-client';
import { signatureHeaders } from '@/lib/http/webhook-signing';
import { USER_AGENT } from '@/lib/sync/payload';
import { secretRedactor } from '@/lib/sync/redact-secrets';
import { emitEndpointDisabled } from './events';
import { type AttemptRecord, findDeliveryToSend, markDeliveryNotSent, recordDeliveryAttempt } from './repository';

export const WEBHOOK_TIMEOUT_MS = 10_000;
// Several events for one endpoint may be in flight at once; more than this would only queue up.
const CONNECTIONS_PER_ENDPOINT = 4;
const ERROR_EXCERPT = 200;

export type DeliverOutcome = 'succeeded' | 'retrying' | 'failed' | 'gone';

/** The log's error of a delivery that was queued when its endpoint was disabled; recover sends it later. */
export const NOT_SENT_DISABLED = 'not sent: the endpoint is disabled';

/**
 * Sends one webhook delivery, signed the endpoint's way (lib/http/webhook-signing.ts: Standard
 * Webhooks, plus X-ATS-Signature for endpoints registered before it), and records the attempt.
 * `final` says pg-boss has no retry left, so a failure now is the delivery's end; otherwise the
 * caller throws and pg-boss tries again after its backoff.
 */
export async function deliverWebhook(
  deps: { db: Database; boss: PgBoss; log: Logger },
  deliveryId: string,
  options: { final: boolean },
): Promise<DeliverOutcome> {
  const { db, boss, log } = deps;
  const delivery = await findDeliveryToSend(db, deliveryId);
  // Its endpoint was deleted (the log went with it), or an earlier attempt already ended it.
  if (!delivery || delivery.status === 'succeeded' || delivery.status === 'failed') return 'gone';

  // Not an attempt: nothing was sent, and the endpoint's failure streak and clock stay as they are.
  if (!delivery.is_active) return (await markDeliveryNotSent(db, delivery.id, NOT_SENT_DISABLED)) ? 'failed' : 'gone';

  const timestamp = Math.floor(Date.now() / 1000);
  const keyring = getKeyring();
  // During a rotation both secrets sign, current first: receivers on either one verify.
  const secrets = delivery.secrets_encrypted.map((s) => decryptSecret(keyring, s));
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
        // The same key on every retry and every redelivery (the first delivery's id): a receiver
        // that saw the event already can ignore it.
        'idempotency-key': delivery.redelivery_of ?? delivery.id,
        'x-ats-delivery-id': delivery.id,
        'x-ats-event': delivery.event_type,
        'x-ats-timestamp': String(timestamp),
        // webhook-id is the event: the same on every retry and redelivery, so a receiver that
        // deduplicates on it (as the spec advises) processes an event once. Every secret still
        // valid (current first, then the rotated-out one) signs.
        ...signatureHeaders(delivery.signing_mode, secrets, {
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
      ? `HTTP ${result.status}${result.body ? `: ${secretRedactor(secrets).excerpt(result.body, ERROR_EXCERPT)}` : ''}`
      : result.message;
  const attempt: AttemptRecord = {
    // A blocked destination stays blocked on every retry: fail now instead of for hours of backoff.
    status: ok ? 'succeeded' : options.final || blocked ? 'failed' : 'retrying',
    httpStatus: result.ok ? result.status : null,
    error,
    durationMs: result.durationMs,
  };
  const disableAfterDays = getEnv().WEBHOOK_DISABLE_AFTER_DAYS;
  const recorded = await db.transaction().execute(async (trx) => {
    const recorded = await recordDeliveryAttempt(trx, delivery, attempt, { disableAfterDays });
    const disabled = recorded?.disabled;
    if (disabled) {
      const reason = disabled.disabled_reason ?? 'every delivery attempt failed';
      await recordAuditEvent(trx, {
        actor: systemActor('webhooks'),
        action: 'webhook.disabled',
        targetType: 'webhook_endpoint',
        targetId: disabled.id,
        details: { name: disabled.name, kind: 'failing', reason, failing_since: disabled.failing_since?.toISOString() },
      });
      await emitEndpointDisabled(trx, boss, {
        ...disabled,
        trigger: 'automatic',
        reason,
      });
    }
    return recorded;
  });
  if (!recorded) return 'gone';
  if (recorded.disabled) {
    log.warn(
      { endpointId: delivery.endpoint_id, failingSince: recorded.disabled.failing_since },
      `webhook endpoint disabled: every attempt failed for ${disableAfterDays} days`,
    );
  }
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
