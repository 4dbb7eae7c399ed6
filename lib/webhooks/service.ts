import type { PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import type { WebhookDelivery } from '@/db/types';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { type Actor, isAdmin } from '@/lib/auth/actor';
import { encryptSecret, getKeyring, maskSecret } from '@/lib/crypto/secret-box';
import { AppError } from '@/lib/errors';
import { refuseBlockedUrl } from '@/lib/http/destination-guard';
import { generateSigningSecret } from '@/lib/http/webhook-secret';
import { buildEvent, enqueueEventDeliveries } from './events';
import {
  deleteEndpointRow,
  type EndpointRow,
  findEndpointRow,
  insertEndpointRow,
  listDeliveryRows,
  listEndpointRows,
} from './repository';
import {
  type CreatedWebhookEndpoint,
  type CreateWebhookInput,
  FAILING_AFTER_DELIVERIES,
  type PublicWebhookDelivery,
  type PublicWebhookEndpoint,
  TEST_EVENT_TYPE,
} from './schemas';

function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError('forbidden', 'only admins can manage webhooks');
}

export function toPublicEndpoint(e: EndpointRow): PublicWebhookEndpoint {
  return {
    id: e.id,
    name: e.name,
    url: e.url,
    events: e.events,
    is_active: e.is_active,
    failing: e.consecutive_failures >= FAILING_AFTER_DELIVERIES,
    consecutive_failures: e.consecutive_failures,
    retrying: e.retrying,
    secret_mask: e.secret_hint,
    signing_mode: e.signing_mode,
    last_success_at: e.last_success_at?.toISOString() ?? null,
    last_failure_at: e.last_failure_at?.toISOString() ?? null,
    last_error: e.last_error,
    created_at: e.created_at.toISOString(),
  };
}

function toPublicDelivery(d: WebhookDelivery): PublicWebhookDelivery {
  return {
    id: d.id,
    event_id: d.event_id,
    event_type: d.event_type,
    status: d.status,
    attempts: d.attempts,
    http_status: d.http_status,
    last_error: d.last_error,
    duration_ms: d.duration_ms,
    created_at: d.created_at.toISOString(),
    last_attempt_at: d.last_attempt_at?.toISOString() ?? null,
    finished_at: d.finished_at?.toISOString() ?? null,
  };
}

async function getEndpointRowOrThrow(db: Database, id: string): Promise<EndpointRow> {
  const row = await findEndpointRow(db, id);
  if (!row) throw new AppError('webhook_not_found', 'webhook endpoint not found');
  return row;
}

export async function listWebhooks(db: Database, actor: Actor): Promise<PublicWebhookEndpoint[]> {
  requireAdmin(actor);
  return (await listEndpointRows(db)).map(toPublicEndpoint);
}

export async function getWebhookOrThrow(db: Database, actor: Actor, id: string): Promise<PublicWebhookEndpoint> {
  requireAdmin(actor);
  return toPublicEndpoint(await getEndpointRowOrThrow(db, id));
}

/** Registers an endpoint with a secret we generate; the answer is the only place it is ever shown. */
export async function createWebhook(
  db: Database,
  actor: Actor,
  input: CreateWebhookInput,
): Promise<CreatedWebhookEndpoint> {
  requireAdmin(actor);
  refuseBlockedUrl('url', input.url);
  const secret = generateSigningSecret();
  return db.transaction().execute(async (trx) => {
    const row = await insertEndpointRow(trx, {
      name: input.name,
      url: input.url,
      events: input.events,
      secret_encrypted: encryptSecret(getKeyring(), secret),
      secret_hint: maskSecret(secret),
      signing_mode: input.signing_mode ?? 'standard',
      created_by: actor.kind === 'user' ? actor.id : null,
    });
    await recordAuditEvent(trx, {
      actor,
      action: 'webhook.created',
      targetType: 'webhook_endpoint',
      targetId: row.id,
      details: { name: row.name, url: row.url, events: row.events, signing_mode: row.signing_mode },
    });
    return { ...toPublicEndpoint({ ...row, retrying: 0 }), secret };
  });
}

/** Deleting an endpoint deletes its delivery log; jobs still queued for it find nothing to send. */
export async function deleteWebhook(db: Database, actor: Actor, id: string): Promise<{ id: string; deleted: true }> {
  requireAdmin(actor);
  return db.transaction().execute(async (trx) => {
    const row = await deleteEndpointRow(trx, id);
    if (!row) throw new AppError('webhook_not_found', 'webhook endpoint not found');
    await recordAuditEvent(trx, {
      actor,
      action: 'webhook.deleted',
      targetType: 'webhook_endpoint',
      targetId: id,
      details: { name: row.name },
    });
    return { id, deleted: true as const };
  });
}

/** Queues a `webhook.test` event for this endpoint alone; the worker sends it like any other. */
export async function sendTestEvent(
  db: Database,
  boss: PgBoss,
  actor: Actor,
  id: string,
): Promise<{ delivery_id: string; event_id: string }> {
  requireAdmin(actor);
  const endpoint = await getEndpointRowOrThrow(db, id);
  const event = buildEvent(TEST_EVENT_TYPE, {
    message: 'A test event from ATS Sync. Verify the signature with the secret shown when you registered this URL.',
    endpoint: { id: endpoint.id, name: endpoint.name },
  });
  return db.transaction().execute(async (trx) => {
    const [deliveryId] = await enqueueEventDeliveries(trx, boss, [{ endpointId: endpoint.id, event }]);
    await recordAuditEvent(trx, {
      actor,
      action: 'webhook.tested',
      targetType: 'webhook_endpoint',
      targetId: endpoint.id,
      details: { name: endpoint.name, event_id: event.id },
    });
    return { delivery_id: deliveryId, event_id: event.id };
  });
}

export async function listWebhookDeliveries(
  db: Database,
  actor: Actor,
  id: string,
  limit: number,
): Promise<{ endpoint: PublicWebhookEndpoint; data: PublicWebhookDelivery[] }> {
  requireAdmin(actor);
  const endpoint = await getEndpointRowOrThrow(db, id);
  const rows = await listDeliveryRows(db, id, limit);
  return { endpoint: toPublicEndpoint(endpoint), data: rows.map(toPublicDelivery) };
}
