import { type Transaction, sql } from 'kysely';
import type { Database } from '@/db/client';
import type { DB, WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookEventType } from '@/db/types';

type Db = Database | Transaction<DB>;

/** An endpoint with how many of its deliveries are waiting to retry after a failed attempt. */
export type EndpointRow = WebhookEndpoint & { retrying: number };

// A failing receiver shows first as retrying deliveries: the failure streak moves only when one gives up.
const retryingCount = sql<number>`(select count(*)::int from webhook_deliveries d
  where d.endpoint_id = webhook_endpoints.id and d.status = 'retrying')`;

export function listEndpointRows(db: Db): Promise<EndpointRow[]> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .select(retryingCount.as('retrying'))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findEndpointRow(db: Db, id: string): Promise<EndpointRow | undefined> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .select(retryingCount.as('retrying'))
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Active endpoints subscribed to at least one of the event types. */
export function findSubscribedEndpoints(
  db: Db,
  types: readonly WebhookEventType[],
): Promise<{ id: string; events: WebhookEventType[] }[]> {
  return db
    .selectFrom('webhook_endpoints')
    .select(['id', 'events'])
    .where('is_active', '=', true)
    .where(sql<boolean>`events && ${sql.val(types)}::text[]`)
    .execute();
}

export function insertEndpointRow(
  db: Db,
  values: {
    name: string;
    description: string | null;
    url: string;
    events: WebhookEventType[];
    secret_encrypted: string;
    secret_hint: string;
    signing_mode: WebhookEndpoint['signing_mode'];
    created_by: string | null;
  },
): Promise<WebhookEndpoint> {
  return db.insertInto('webhook_endpoints').values(values).returningAll().executeTakeFirstOrThrow();
}

export function deleteEndpointRow(db: Db, id: string): Promise<{ id: string; name: string } | undefined> {
  return db.deleteFrom('webhook_endpoints').where('id', '=', id).returning(['id', 'name']).executeTakeFirst();
}

/** The endpoint locked for a change (an edit, enable/disable, a rotation) in the caller's transaction. */
export function findEndpointRowForUpdate(db: Transaction<DB>, id: string): Promise<WebhookEndpoint | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateEndpointRow(
  db: Db,
  id: string,
  values: Partial<Omit<WebhookEndpoint, 'id' | 'created_at' | 'created_by'>>,
): Promise<WebhookEndpoint> {
  return db
    .updateTable('webhook_endpoints')
    .set({ ...values, updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function insertDeliveryRows(
  db: Db,
  rows: { endpoint_id: string; event_id: string; event_type: string; body: string; redelivery_of?: string | null }[],
): Promise<{ id: string }[]> {
  if (rows.length === 0) return Promise.resolve([]);
  return db.insertInto('webhook_deliveries').values(rows).returning('id').execute();
}

/** Where a page of the log starts: the (created_at, id) of the previous page's last row, to the microsecond. */
export type DeliveryCursor = { ts: string; id: string };

export type DeliveryFilter = {
  statuses?: WebhookDeliveryStatus[];
  eventTypes?: string[];
  from?: Date;
  to?: Date;
  after?: DeliveryCursor;
  limit: number;
};

/** Newest first on (endpoint_id, created_at) or, with a status, (endpoint_id, status, created_at). */
export function listDeliveryRows(
  db: Db,
  endpointId: string,
  filter: DeliveryFilter,
): Promise<(WebhookDelivery & { cursor_ts: string })[]> {
  let query = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .select(sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_ts'))
    .where('endpoint_id', '=', endpointId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.statuses?.length) query = query.where('status', 'in', filter.statuses);
  if (filter.eventTypes?.length) query = query.where('event_type', 'in', filter.eventTypes);
  if (filter.from) query = query.where('created_at', '>=', filter.from);
  if (filter.to) query = query.where('created_at', '<', filter.to);
  const after = filter.after;
  if (after) query = query.where(sql<boolean>`(created_at, id) < (${after.ts}::timestamptz, ${after.id}::uuid)`);
  return query.execute();
}

export function findDeliveryRow(db: Db, endpointId: string, id: string): Promise<WebhookDelivery | undefined> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .where('id', '=', id)
    .executeTakeFirst();
}

// No later row for the same event and endpoint: a delivery already sent again is not sent a third time.
const latestOfItsEvent = sql<boolean>`not exists (select 1 from webhook_deliveries n
  where n.redelivery_of = coalesce(d.redelivery_of, d.id) and n.id <> d.id and (n.created_at, n.id) > (d.created_at, d.id))`;

/** Deliveries in the window that failed and were not sent again since: what a recover sends. */
export function findRecoverableDeliveries(
  db: Db,
  endpointId: string,
  window: { since: Date; until?: Date; limit: number },
): Promise<WebhookDelivery[]> {
  let query = db
    .selectFrom('webhook_deliveries as d')
    .selectAll('d')
    .where('d.endpoint_id', '=', endpointId)
    .where('d.status', '=', 'failed')
    .where('d.created_at', '>=', window.since)
    .where(latestOfItsEvent)
    .orderBy('d.created_at')
    .orderBy('d.id')
    .limit(window.limit);
  if (window.until) query = query.where('d.created_at', '<', window.until);
  return query.execute();
}

/** Failed deliveries that ended since a time and were not sent again: what an enable offers to recover. */
export async function summarizeFailedSince(
  db: Db,
  endpointId: string,
  since: Date,
): Promise<{ count: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('webhook_deliveries as d')
    .select([sql<number>`count(*)::int`.as('count'), sql<Date | null>`min(d.created_at)`.as('oldest')])
    .where('d.endpoint_id', '=', endpointId)
    .where('d.status', '=', 'failed')
    .where('d.finished_at', '>=', since)
    .where(latestOfItsEvent)
    .executeTakeFirstOrThrow();
  return { count: row.count, oldest: row.oldest };
}

export type DeliveryToSend = WebhookDelivery & {
  url: string;
  /** Current first, then the rotated-out one while it has not expired: every one signs the request. */
  secrets_encrypted: string[];
  signing_mode: WebhookEndpoint['signing_mode'];
  is_active: boolean;
  endpoint_updated_at: Date;
};

export async function findDeliveryToSend(db: Db, id: string): Promise<DeliveryToSend | undefined> {
  const row = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .selectAll('d')
    .select([
      'e.url',
      'e.secret_encrypted',
      sql<string | null>`case when e.previous_secret_expires_at > now() then e.previous_secret_encrypted end`.as(
        'previous_secret_encrypted',
      ),
      'e.signing_mode',
      'e.is_active',
      'e.updated_at as endpoint_updated_at',
    ])
    .where('d.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { secret_encrypted, previous_secret_encrypted, ...rest } = row;
  return {
    ...rest,
    secrets_encrypted: previous_secret_encrypted ? [secret_encrypted, previous_secret_encrypted] : [secret_encrypted],
  };
}

/** A queued delivery whose endpoint was disabled meanwhile: ended without an attempt, so recover can send it later. */
export async function markDeliveryNotSent(db: Db, id: string, reason: string): Promise<boolean> {
  const updated = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'failed', last_error: reason, finished_at: sql`now()` })
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'retrying'])
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

export type AttemptRecord = {
  status: 'retrying' | 'succeeded' | 'failed';
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
};

export type AutoDisabled = Pick<WebhookEndpoint, 'id' | 'name' | 'url' | 'failing_since' | 'disabled_reason'> & {
  disabled_at: Date;
};

/**
 * Records one attempt; a final outcome also moves the endpoint's failure streak, and any failed
 * attempt starts its failing clock. Guarded by the status, so a delivery that already reached its
 * end is never counted twice. Null when there was nothing to record; the endpoint when this
 * failure disabled it (its clock had run for `disableAfterDays`).
 */
export async function recordDeliveryAttempt(
  db: Transaction<DB>,
  delivery: { id: string; endpoint_id: string },
  attempt: AttemptRecord,
  options: { disableAfterDays: number; now?: Date } = { disableAfterDays: 0 },
): Promise<{ disabled: AutoDisabled | null } | null> {
  const now = options.now ?? new Date();
  const updated = await db
    .updateTable('webhook_deliveries')
    .set({
      status: attempt.status,
      attempts: sql`attempts + 1`,
      http_status: attempt.httpStatus,
      last_error: attempt.error,
      duration_ms: attempt.durationMs,
      last_attempt_at: now,
      finished_at: attempt.status === 'retrying' ? null : now,
    })
    .where('id', '=', delivery.id)
    .where('status', 'in', ['pending', 'retrying'])
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return null;
  if (attempt.status === 'succeeded') {
    await db
      .updateTable('webhook_endpoints')
      .set({ consecutive_failures: 0, last_success_at: now, failing_since: null })
      .where('id', '=', delivery.endpoint_id)
      .execute();
    return { disabled: null };
  }
  await db
    .updateTable('webhook_endpoints')
    .set(
      attempt.status === 'retrying'
        ? { failing_since: sql`coalesce(failing_since, ${now})` }
        : {
            consecutive_failures: sql`consecutive_failures + 1`,
            last_failure_at: now,
            last_error: attempt.error,
            failing_since: sql`coalesce(failing_since, ${now})`,
          },
    )
    .where('id', '=', delivery.endpoint_id)
    .execute();
  if (options.disableAfterDays <= 0) return { disabled: null };
  const threshold = new Date(now.getTime() - options.disableAfterDays * 86_400_000);
  const disabled = await db
    .updateTable('webhook_endpoints')
    .set({
      is_active: false,
      disabled_at: now,
      disabled_kind: 'failing',
      disabled_by: null,
      disabled_reason: sql`${`Every delivery attempt failed for ${options.disableAfterDays} days (since `} || to_char(failing_since at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"') || ${'); last error: '} || coalesce(${attempt.error}::text, 'none')`,
      updated_at: now,
    })
    .where('id', '=', delivery.endpoint_id)
    .where('is_active', '=', true)
    .where('failing_since', '<=', threshold)
    .returning(['id', 'name', 'url', 'failing_since', 'disabled_reason', 'disabled_at'])
    .executeTakeFirst();
  return { disabled: disabled ? { ...disabled, disabled_at: disabled.disabled_at ?? now } : null };
}
