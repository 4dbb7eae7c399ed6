import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { fromKysely, type PgBoss } from 'pg-boss';
import type { DB, SourceHealth, WebhookEventType } from '@/db/types';
import { appUrl, getEnv } from '@/lib/env';
import { ensureWebhookQueue, WEBHOOK_QUEUE, webhookRetryOptions } from './jobs';
import { findSubscribedEndpoints, insertDeliveryRows } from './repository';
import type { WebhookEvent } from './schemas';

/**
 * The hooks the sync engine calls when something worth announcing happened. Each runs inside the
 * caller's transaction: the delivery rows and their pg-boss jobs commit with the state change
 * they announce, or not at all, so an event is sent exactly once per change.
 */

const SYNC_EVENT_FOR: Record<string, WebhookEventType> = {
  completed: 'sync.completed',
  partially_failed: 'sync.partially_failed',
  failed: 'sync.failed',
};
const SYNC_EVENTS = Object.values(SYNC_EVENT_FOR);

export function buildEvent(type: WebhookEvent['type'], data: Record<string, unknown>, now = new Date()): WebhookEvent {
  return { id: randomUUID(), type, created_at: now.toISOString(), data };
}

/** One delivery per endpoint, all carrying the same event (and so the same event id). */
export function enqueueEventDeliveries(
  trx: Transaction<DB>,
  boss: PgBoss,
  deliveries: { endpointId: string; event: WebhookEvent }[],
): Promise<string[]> {
  return enqueueDeliveryRows(
    trx,
    boss,
    deliveries.map((d) => ({
      endpoint_id: d.endpointId,
      event_id: d.event.id,
      event_type: d.event.type,
      body: JSON.stringify(d.event),
    })),
  );
}

/** Delivery rows and their jobs, in the caller's transaction; a redelivery carries the body it repeats. */
export async function enqueueDeliveryRows(
  trx: Transaction<DB>,
  boss: PgBoss,
  values: Parameters<typeof insertDeliveryRows>[1],
): Promise<string[]> {
  if (values.length === 0) return [];
  const env = getEnv();
  const rows = await insertDeliveryRows(trx, values);
  await ensureWebhookQueue(boss, env);
  const retry = webhookRetryOptions(env);
  await boss.insert(
    WEBHOOK_QUEUE,
    rows.map((r) => ({ id: r.id, data: { deliveryId: r.id }, ...retry })),
    { db: fromKysely(trx) },
  );
  return rows.map((r) => r.id);
}

async function fanOut(
  trx: Transaction<DB>,
  boss: PgBoss,
  types: readonly WebhookEventType[],
  events: WebhookEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const endpoints = await findSubscribedEndpoints(trx, types);
  const deliveries = events.flatMap((event) =>
    endpoints
      .filter((e) => e.events.includes(event.type as WebhookEventType))
      .map((e) => ({ endpointId: e.id, event })),
  );
  await enqueueEventDeliveries(trx, boss, deliveries);
}

/**
 * Announces runs that have just reached completed, partially_failed or failed (cancelled runs are
 * not announced). Callers pass only the runs their own statement finalized.
 */
export async function emitRunsFinished(trx: Transaction<DB>, boss: PgBoss, runIds: string[]): Promise<void> {
  if (runIds.length === 0) return;
  // Most installations have no endpoint: one indexed look-up and done.
  if ((await findSubscribedEndpoints(trx, SYNC_EVENTS)).length === 0) return;
  const runs = await trx
    .selectFrom('sync_runs as r')
    .innerJoin('job_postings as j', 'j.id', 'r.job_posting_id')
    .select([
      'r.id',
      'r.status',
      'r.trigger',
      'r.total',
      'r.succeeded',
      'r.failed',
      'r.skipped',
      'r.cancelled',
      'r.error_summary',
      'r.created_at',
      'r.started_at',
      'r.finished_at',
      'r.schedule_id',
      'j.slug',
      'j.title',
    ])
    .where('r.id', 'in', runIds)
    .execute();
  const base = appUrl();
  const events = runs
    .filter((r) => r.status in SYNC_EVENT_FOR)
    .map((r) =>
      buildEvent(SYNC_EVENT_FOR[r.status], {
        task_id: r.id,
        status: r.status,
        trigger: r.trigger,
        schedule_id: r.schedule_id,
        job: { slug: r.slug, title: r.title },
        counts: {
          total: r.total,
          succeeded: r.succeeded,
          failed: r.failed,
          skipped: r.skipped,
          cancelled: r.cancelled,
        },
        error_summary: r.error_summary,
        created_at: r.created_at.toISOString(),
        started_at: r.started_at?.toISOString() ?? null,
        finished_at: r.finished_at?.toISOString() ?? null,
        link: `${base}/sync-admin/tasks/${r.id}`,
      }),
    );
  await fanOut(trx, boss, SYNC_EVENTS, events);
}

export type UnhealthySource = {
  id: string;
  name: string;
  health_status: SourceHealth;
  health_error: string | null;
  consecutive_failures: number;
  /** Set when the source was paused with this turn (refused credentials): deliveries wait for a resume. */
  paused?: { reason: string } | null;
};

/** Announces a source that has just turned unhealthy (the caller checks it was healthy or unknown before). */
export async function emitSourceUnhealthy(trx: Transaction<DB>, boss: PgBoss, source: UnhealthySource): Promise<void> {
  const event = buildEvent('source.unhealthy', {
    source: { id: source.id, name: source.name },
    health_status: source.health_status,
    error: source.health_error,
    consecutive_failures: source.consecutive_failures,
    paused: !!source.paused,
    pause_reason: source.paused?.reason ?? null,
    link: `${appUrl()}/sync-admin/sources/${source.id}`,
  });
  await fanOut(trx, boss, ['source.unhealthy'], [event]);
}

export type DisabledEndpoint = {
  id: string;
  name: string;
  url: string;
  /** `automatic`: every attempt failed for WEBHOOK_DISABLE_AFTER_DAYS; `manual`: an admin disabled it. */
  trigger: 'automatic' | 'manual';
  reason: string;
  disabled_at: Date;
  failing_since: Date | null;
};

/**
 * Tells the other active endpoints subscribed to `webhook.endpoint_disabled` that one was switched
 * off (as Svix's endpoint.disabled does); the disabled endpoint itself is no longer active, so it
 * is not among them.
 */
export async function emitEndpointDisabled(
  trx: Transaction<DB>,
  boss: PgBoss,
  endpoint: DisabledEndpoint,
): Promise<void> {
  const event = buildEvent('webhook.endpoint_disabled', {
    endpoint: { id: endpoint.id, name: endpoint.name, url: endpoint.url },
    trigger: endpoint.trigger,
    reason: endpoint.reason,
    disabled_at: endpoint.disabled_at.toISOString(),
    failing_since: endpoint.failing_since?.toISOString() ?? null,
    link: `${appUrl()}/sync-admin/webhooks?endpoint=${endpoint.id}`,
  });
  await fanOut(trx, boss, ['webhook.endpoint_disabled'], [event]);
}
