import type { PgBoss } from 'pg-boss';
import type { Transaction } from 'kysely';
import type { Database } from '@/db/client';
import type { DB, WebhookDelivery } from '@/db/types';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { type Actor, isAdmin, requireAdminReader } from '@/lib/auth/actor';
import { decryptSecret, encryptSecret, getKeyring, maskSecret } from '@/lib/crypto/secret-box';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { refuseBlockedUrl } from '@/lib/http/destination-guard';
import { generateSigningSecret, standardSecretProblem } from '@/lib/http/webhook-secret';
import { buildEvent, emitEndpointDisabled, enqueueDeliveryRows, enqueueEventDeliveries } from './events';
import {
  deleteEndpointRow,
  type EndpointRow,
  findDeliveryRow,
  findEndpointRow,
  findEndpointRowForUpdate,
  findRecoverableDeliveries,
  insertEndpointRow,
  listDeliveryRows,
  listEndpointRows,
  summarizeFailedSince,
  updateEndpointRow,
} from './repository';
import {
  type CreatedWebhookEndpoint,
  type CreateWebhookInput,
  decodeDeliveryCursor,
  encodeDeliveryCursor,
  FAILING_AFTER_DELIVERIES,
  type ListWebhookDeliveriesQuery,
  type PublicWebhookDelivery,
  type PublicWebhookEndpoint,
  type RecoverWebhookInput,
  type RotateWebhookSecretInput,
  TEST_EVENT_TYPE,
  type UpdatedWebhookEndpoint,
  type UpdateWebhookInput,
  type WebhookDeliveryPage,
} from './schemas';

function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError('forbidden', 'only admins can manage webhooks');
}

function autoDisableAt(e: EndpointRow): string | null {
  const days = getEnv().WEBHOOK_DISABLE_AFTER_DAYS;
  if (!e.is_active || !e.failing_since || days === 0) return null;
  return new Date(e.failing_since.getTime() + days * 86_400_000).toISOString();
}

export function toPublicEndpoint(e: EndpointRow): PublicWebhookEndpoint {
  return {
    id: e.id,
    name: e.name,
    description: e.description,
    url: e.url,
    events: e.events,
    is_active: e.is_active,
    disabled:
      !e.is_active && e.disabled_at && e.disabled_kind
        ? { at: e.disabled_at.toISOString(), kind: e.disabled_kind, reason: e.disabled_reason ?? '' }
        : null,
    failing_since: e.failing_since?.toISOString() ?? null,
    auto_disable_at: autoDisableAt(e),
    previous_secret_expires_at:
      e.previous_secret_expires_at && e.previous_secret_expires_at > new Date()
        ? e.previous_secret_expires_at.toISOString()
        : null,
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
    redelivery_of: d.redelivery_of,
  };
}

async function getEndpointRowOrThrow(db: Database, id: string): Promise<EndpointRow> {
  const row = await findEndpointRow(db, id);
  if (!row) throw new AppError('webhook_not_found', 'webhook endpoint not found');
  return row;
}

export async function listWebhooks(db: Database, actor: Actor): Promise<PublicWebhookEndpoint[]> {
  requireAdminReader(actor, 'webhook endpoints');
  return (await listEndpointRows(db)).map(toPublicEndpoint);
}

export async function getWebhookOrThrow(db: Database, actor: Actor, id: string): Promise<PublicWebhookEndpoint> {
  requireAdminReader(actor, 'webhook endpoints');
  return readPublicEndpoint(db, id);
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
      description: input.description ?? null,
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

async function lockEndpointOrThrow(trx: Transaction<DB>, id: string) {
  const row = await findEndpointRowForUpdate(trx, id);
  if (!row) throw new AppError('webhook_not_found', 'webhook endpoint not found');
  return row;
}

/** The endpoint as the API shows it, with its deliveries waiting to retry, read after a change committed. */
const readPublicEndpoint = async (db: Database, id: string): Promise<PublicWebhookEndpoint> =>
  toPublicEndpoint(await getEndpointRowOrThrow(db, id));

/**
 * Edits an endpoint; `is_active` disables or enables it. The url passes the same checks as at
 * creation; the secret stays (it signs for us, it does not authenticate us to the new host).
 * Disabling stops new events at once; deliveries already queued end unsent (`failed`, "not sent:
 * the endpoint is disabled") and `recover` sends them again. Enabling restarts the failing clock
 * and answers how many deliveries failed since it was disabled (or started failing).
 */
export async function updateWebhook(
  db: Database,
  boss: PgBoss,
  actor: Actor,
  id: string,
  input: UpdateWebhookInput,
): Promise<UpdatedWebhookEndpoint> {
  requireAdmin(actor);
  if (input.url !== undefined) refuseBlockedUrl('url', input.url);
  const updated = await db.transaction().execute(async (trx) => {
    const before = await lockEndpointOrThrow(trx, id);
    const changes: Parameters<typeof updateEndpointRow>[2] = {};
    const changed: Record<string, unknown> = {};
    const edits = { name: input.name, description: input.description, url: input.url };
    for (const [key, value] of Object.entries(edits) as [keyof typeof edits, string | null | undefined][]) {
      if (value !== undefined && value !== before[key]) {
        Object.assign(changes, { [key]: value });
        changed[key] = { from: before[key], to: value };
      }
    }
    if (input.events && [...input.events].sort().join() !== [...before.events].sort().join()) {
      changes.events = input.events;
      changed.events = { from: before.events, to: input.events };
    }
    if (input.signing_mode !== undefined && input.signing_mode !== before.signing_mode) {
      // Secrets made before Standard Webhooks are URL-safe base64, which its libraries cannot read.
      if (input.signing_mode === 'standard') {
        const problem = standardSecretProblem(decryptSecret(getKeyring(), before.secret_encrypted));
        if (problem) {
          throw new AppError(
            'validation_failed',
            "this endpoint's secret predates Standard Webhooks: rotate the secret first, then switch",
            [{ path: 'signing_mode', message: `rotate the secret first (${problem})` }],
          );
        }
      }
      changes.signing_mode = input.signing_mode;
      changed.signing_mode = { from: before.signing_mode, to: input.signing_mode };
    }
    let recoverable: { count: number; oldest: Date | null } | undefined;
    const disabling = input.is_active === false && before.is_active;
    const enabling = input.is_active === true && !before.is_active;
    if (disabling) {
      Object.assign(changes, {
        is_active: false,
        disabled_at: new Date(),
        disabled_kind: 'admin',
        disabled_reason: `Disabled by ${actor.kind === 'user' ? actor.email : actor.name}`,
        disabled_by: actor.kind === 'user' ? actor.id : null,
      } satisfies typeof changes);
    } else if (enabling) {
      // Failures while it was off (and, after an automatic disable, the days before) are offered for recovery.
      const since =
        before.disabled_kind === 'failing' && before.failing_since ? before.failing_since : before.disabled_at;
      recoverable = since ? await summarizeFailedSince(trx, id, since) : { count: 0, oldest: null };
      Object.assign(changes, {
        is_active: true,
        disabled_at: null,
        disabled_kind: null,
        disabled_reason: null,
        disabled_by: null,
        failing_since: null,
      } satisfies typeof changes);
    }
    if (Object.keys(changes).length === 0) return { row: before, recoverable };
    const row = await updateEndpointRow(trx, id, changes);
    if (Object.keys(changed).length > 0) {
      await recordAuditEvent(trx, {
        actor,
        action: 'webhook.updated',
        targetType: 'webhook_endpoint',
        targetId: id,
        details: { name: row.name, changed },
      });
    }
    if (disabling) {
      await recordAuditEvent(trx, {
        actor,
        action: 'webhook.disabled',
        targetType: 'webhook_endpoint',
        targetId: id,
        details: { name: row.name, kind: 'admin' },
      });
      await emitEndpointDisabled(trx, boss, {
        id,
        name: row.name,
        url: row.url,
        trigger: 'manual',
        reason: row.disabled_reason ?? '',
        disabled_at: row.disabled_at ?? new Date(),
        failing_since: row.failing_since,
      });
    }
    if (enabling) {
      await recordAuditEvent(trx, {
        actor,
        action: 'webhook.enabled',
        targetType: 'webhook_endpoint',
        targetId: id,
        details: {
          name: row.name,
          was: { kind: before.disabled_kind, reason: before.disabled_reason },
          failed_while_disabled: recoverable?.count ?? 0,
        },
      });
    }
    return { row, recoverable };
  });
  const endpoint = await readPublicEndpoint(db, updated.row.id);
  return updated.recoverable
    ? {
        ...endpoint,
        failed_while_disabled: updated.recoverable.count,
        recover_since: updated.recoverable.oldest?.toISOString() ?? null,
      }
    : endpoint;
}

/**
 * A new signing secret, shown this once. The replaced one keeps signing beside it for
 * `keep_previous_hours` (24 by default; 0 ends it now, for a secret that leaked), so receivers can
 * switch without refusing a request; a secret replaced earlier is dropped.
 */
export async function rotateWebhookSecret(
  db: Database,
  actor: Actor,
  id: string,
  input: RotateWebhookSecretInput,
): Promise<CreatedWebhookEndpoint> {
  requireAdmin(actor);
  const secret = generateSigningSecret();
  await db.transaction().execute(async (trx) => {
    const before = await lockEndpointOrThrow(trx, id);
    const keep = input.keep_previous_hours > 0;
    const expires = keep ? new Date(Date.now() + input.keep_previous_hours * 3_600_000) : null;
    const keyring = getKeyring();
    await updateEndpointRow(trx, id, {
      secret_encrypted: encryptSecret(keyring, secret),
      secret_hint: maskSecret(secret),
      previous_secret_encrypted: keep ? before.secret_encrypted : null,
      previous_secret_expires_at: expires,
    });
    await recordAuditEvent(trx, {
      actor,
      action: 'webhook.secret_rotated',
      targetType: 'webhook_endpoint',
      targetId: id,
      details: { name: before.name, previous_valid_until: expires?.toISOString() ?? null },
    });
  });
  return { ...(await readPublicEndpoint(db, id)), secret };
}

/**
 * Sends one delivery's event again, as a new row of the log (`redelivery_of` the first delivery)
 * with the same body, event id and Idempotency-Key, signed afresh. The original row keeps what
 * happened to it. A delivery still being tried is refused: it is on its way already.
 */
export async function redeliverWebhookDelivery(
  db: Database,
  boss: PgBoss,
  actor: Actor,
  endpointId: string,
  deliveryId: string,
): Promise<{ delivery_id: string; redelivery_of: string; event_id: string }> {
  requireAdmin(actor);
  return db.transaction().execute(async (trx) => {
    const endpoint = await lockEndpointOrThrow(trx, endpointId);
    const delivery = await findDeliveryRow(trx, endpointId, deliveryId);
    if (!delivery) throw new AppError('webhook_delivery_not_found', 'no such delivery in this endpoint’s log');
    refuseWhileDisabled(endpoint);
    if (delivery.status === 'pending' || delivery.status === 'retrying') {
      throw new AppError('invalid_state', 'this delivery is still being tried; wait until it succeeds or fails');
    }
    const again = redeliveryOf(delivery);
    const [id] = await enqueueDeliveryRows(trx, boss, [again]);
    await recordAuditEvent(trx, {
      actor,
      action: 'webhook.redelivered',
      targetType: 'webhook_endpoint',
      targetId: endpointId,
      details: { name: endpoint.name, delivery_id: delivery.id, event_id: delivery.event_id, redelivery_id: id },
    });
    return { delivery_id: id, redelivery_of: again.redelivery_of, event_id: delivery.event_id };
  });
}

/** More than this in one call is left for the next call, which skips what this one sent. */
export const RECOVER_BATCH = 5_000;

/**
 * Sends again every event whose delivery to this endpoint failed in the window (by the time it was
 * queued) and was not sent again since, oldest first, as Svix's "recover failed messages" does.
 */
export async function recoverWebhookDeliveries(
  db: Database,
  boss: PgBoss,
  actor: Actor,
  endpointId: string,
  input: RecoverWebhookInput,
): Promise<{ redelivered: number; more: boolean }> {
  requireAdmin(actor);
  return db.transaction().execute(async (trx) => {
    const endpoint = await lockEndpointOrThrow(trx, endpointId);
    refuseWhileDisabled(endpoint);
    const failed = await findRecoverableDeliveries(trx, endpointId, {
      since: input.since,
      until: input.until,
      limit: RECOVER_BATCH + 1,
    });
    const batch = failed.slice(0, RECOVER_BATCH);
    await enqueueDeliveryRows(trx, boss, batch.map(redeliveryOf));
    await recordAuditEvent(trx, {
      actor,
      action: 'webhook.recovered',
      targetType: 'webhook_endpoint',
      targetId: endpointId,
      details: {
        name: endpoint.name,
        since: input.since.toISOString(),
        until: input.until?.toISOString() ?? null,
        redelivered: batch.length,
      },
    });
    return { redelivered: batch.length, more: failed.length > RECOVER_BATCH };
  });
}

/**
 * A new log row sending a delivery's event again: the same endpoint, event id and body, and
 * `redelivery_of` always the event's first delivery (whose id is the Idempotency-Key of them all).
 */
function redeliveryOf(d: WebhookDelivery) {
  return {
    endpoint_id: d.endpoint_id,
    event_id: d.event_id,
    event_type: d.event_type,
    body: d.body,
    redelivery_of: d.redelivery_of ?? d.id,
  };
}

function refuseWhileDisabled(endpoint: { is_active: boolean }): void {
  if (!endpoint.is_active) throw new AppError('invalid_state', 'the endpoint is disabled; enable it first');
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
  refuseWhileDisabled(endpoint);
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

/** One page of an endpoint's delivery log, newest first, filtered by status, event type and time. */
export async function listWebhookDeliveries(
  db: Database,
  actor: Actor,
  id: string,
  query: ListWebhookDeliveriesQuery,
): Promise<WebhookDeliveryPage> {
  requireAdminReader(actor, 'webhook endpoints');
  const after = query.cursor ? decodeDeliveryCursor(query.cursor) : undefined;
  if (after === null)
    throw new AppError('invalid_query', 'cursor: not a cursor this list gave', [
      { path: 'cursor', message: 'not a cursor this list gave' },
    ]);
  const endpoint = await getEndpointRowOrThrow(db, id);
  const rows = await listDeliveryRows(db, id, {
    statuses: query.status,
    eventTypes: query.event_type,
    from: query.from,
    to: query.to,
    after,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    endpoint: toPublicEndpoint(endpoint),
    data: page.map(toPublicDelivery),
    next_cursor: rows.length > query.limit && last ? encodeDeliveryCursor({ ts: last.cursor_ts, id: last.id }) : null,
  };
}
