import { type Transaction, sql } from 'kysely';
import type { Database } from '@/db/client';
import type { DB, WebhookDelivery, WebhookEndpoint, WebhookEventType } from '@/db/types';

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

export function insertDeliveryRows(
  db: Db,
  rows: { endpoint_id: string; event_id: string; event_type: string; body: string }[],
): Promise<{ id: string }[]> {
  if (rows.length === 0) return Promise.resolve([]);
  return db.insertInto('webhook_deliveries').values(rows).returning('id').execute();
}

export function listDeliveryRows(db: Db, endpointId: string, limit: number): Promise<WebhookDelivery[]> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export type DeliveryToSend = WebhookDelivery & {
  url: string;
  secret_encrypted: string;
  signing_mode: WebhookEndpoint['signing_mode'];
  is_active: boolean;
  endpoint_updated_at: Date;
};

export function findDeliveryToSend(db: Db, id: string): Promise<DeliveryToSend | undefined> {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .selectAll('d')
    .select(['e.url', 'e.secret_encrypted', 'e.signing_mode', 'e.is_active', 'e.updated_at as endpoint_updated_at'])
    .where('d.id', '=', id)
    .executeTakeFirst();
}

export type AttemptRecord = {
  status: 'retrying' | 'succeeded' | 'failed';
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
};

/**
 * Records one attempt; a final outcome also moves the endpoint's failure streak. Guarded by the
 * status, so a delivery that already reached its end is never counted twice.
 */
export async function recordDeliveryAttempt(
  db: Transaction<DB>,
  delivery: { id: string; endpoint_id: string },
  attempt: AttemptRecord,
): Promise<boolean> {
  const now = new Date();
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
  if (Number(updated.numUpdatedRows) === 0) return false;
  if (attempt.status === 'retrying') return true;
  await db
    .updateTable('webhook_endpoints')
    .set(
      attempt.status === 'succeeded'
        ? { consecutive_failures: 0, last_success_at: now }
        : { consecutive_failures: sql`consecutive_failures + 1`, last_failure_at: now, last_error: attempt.error },
    )
    .where('id', '=', delivery.endpoint_id)
    .execute();
  return true;
}
