import { z } from 'zod';
import type { SigningMode, WebhookDeliveryStatus, WebhookDisabledKind, WebhookEventType } from '@/db/types';
import { SIGNING_MODES } from '@/lib/http/webhook-secret';

export const WEBHOOK_EVENT_TYPES = [
  'sync.completed',
  'sync.partially_failed',
  'sync.failed',
  'source.unhealthy',
  'webhook.endpoint_disabled',
] as const satisfies readonly WebhookEventType[];

/** Sent only by the "send test event" button, whatever the endpoint subscribed to. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** An endpoint whose last this-many deliveries all failed for good is shown as failing. */
export const FAILING_AFTER_DELIVERIES = 5;

const urlSchema = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }))
  // Credentials in a URL end up in logs and lists; the signature is how receivers authenticate us.
  .refine((v) => !/^https?:\/\/[^/?#]*@/i.test(v), 'must not contain credentials');

const nameSchema = z.string().trim().min(1, 'is required').max(200);
const eventsSchema = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1, 'choose at least one event')
  .transform((events) => [...new Set(events)]);
// Empty text clears it: a form's emptied field and an API's null mean the same.
const descriptionSchema = z
  .string()
  .trim()
  .max(1000)
  .nullable()
  .transform((v) => v || null);

export const createWebhookSchema = z.strictObject({
  name: nameSchema,
  description: descriptionSchema.optional(),
  url: urlSchema,
  events: eventsSchema,
  // Left out: standard; `legacy` adds X-ATS-Signature for a receiver written for it.
  signing_mode: z.enum(SIGNING_MODES).optional(),
});
export type CreateWebhookInput = z.input<typeof createWebhookSchema>;

/** PATCH /api/v1/webhooks/{id}: any of these; `is_active` false disables, true enables. */
export const updateWebhookSchema = z
  .strictObject({
    name: nameSchema.optional(),
    description: descriptionSchema.optional(),
    url: urlSchema.optional(),
    events: eventsSchema.optional(),
    is_active: z.boolean().optional(),
    signing_mode: z.enum(SIGNING_MODES).optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'send at least one field to change');
export type UpdateWebhookInput = z.output<typeof updateWebhookSchema>;

/** How long the replaced secret keeps signing beside the new one (0: it stops at once, for a leaked secret). */
export const ROTATE_OVERLAP_HOURS = 24;
export const rotateWebhookSecretSchema = z.strictObject({
  keep_previous_hours: z.number().int().min(0).max(ROTATE_OVERLAP_HOURS).default(ROTATE_OVERLAP_HOURS),
});
export type RotateWebhookSecretInput = z.output<typeof rotateWebhookSecretSchema>;

export const WEBHOOK_DELIVERY_STATUSES = [
  'pending',
  'retrying',
  'succeeded',
  'failed',
] as const satisfies readonly WebhookDeliveryStatus[];
export const LOGGED_EVENT_TYPES = [...WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE] as const;
export const WEBHOOK_LOG_PAGE_SIZE = 50;

// A date alone is its midnight UTC; the page sends instants computed in the reader's zone.
const instantSchema = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be a date (2026-11-28) or an ISO 8601 time' })
  .transform((v) => new Date(v));

/** `a,b` or `a`: one or several of the allowed values. */
function listOf<T extends string>(values: readonly [T, ...T[]]) {
  return z
    .string()
    .max(500)
    .transform((v) =>
      v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).transform((v) => [...new Set(v)]));
}

export const listWebhookDeliveriesQuerySchema = z
  .strictObject({
    limit: z.coerce.number().int().min(1).max(200).default(WEBHOOK_LOG_PAGE_SIZE),
    status: listOf(WEBHOOK_DELIVERY_STATUSES).optional(),
    event_type: listOf(LOGGED_EVENT_TYPES).optional(),
    from: instantSchema.optional(),
    to: instantSchema.optional(),
    cursor: z.string().max(100).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'must be after from', path: ['to'] });
export type ListWebhookDeliveriesQuery = z.output<typeof listWebhookDeliveriesQuerySchema>;

/** POST /api/v1/webhooks/{id}/recover: send again every event whose delivery failed in this window. */
export const recoverWebhookSchema = z
  .strictObject({ since: instantSchema, until: instantSchema.optional() })
  .refine((q) => !q.until || q.since < q.until, { message: 'must be after since', path: ['until'] });
export type RecoverWebhookInput = z.output<typeof recoverWebhookSchema>;

export type PublicWebhookEndpoint = {
  id: string;
  name: string;
  description: string | null;
  url: string;
  events: WebhookEventType[];
  is_active: boolean;
  /** Why and when it was switched off: `failing` when every attempt failed for WEBHOOK_DISABLE_AFTER_DAYS. */
  disabled: { at: string; kind: WebhookDisabledKind; reason: string } | null;
  /** Since when every attempt failed (null after a success): the clock of the automatic disable. */
  failing_since: string | null;
  /** When it will be disabled if every attempt keeps failing (failing_since + WEBHOOK_DISABLE_AFTER_DAYS). */
  auto_disable_at: string | null;
  /** Until when the secret replaced by the last rotation still signs beside the current one. */
  previous_secret_expires_at: string | null;
  /** Its last FAILING_AFTER_DELIVERIES deliveries all failed after every retry. */
  failing: boolean;
  consecutive_failures: number;
  /** Deliveries waiting to retry after a failed attempt: the endpoint is failing now. */
  retrying: number;
  secret_mask: string;
  /** standard: Standard Webhooks headers only; legacy: X-ATS-Signature as well. */
  signing_mode: SigningMode;
  last_success_at: string | null;
  last_failure_at: string | null;
  last_error: string | null;
  created_at: string;
};

/** What POST (and a rotation) answers: the endpoint and its signing secret, shown this once. */
export type CreatedWebhookEndpoint = PublicWebhookEndpoint & { secret: string };

/** What PATCH answers; `failed_while_disabled` (on enable) counts what can be sent again with recover. */
export type UpdatedWebhookEndpoint = PublicWebhookEndpoint & {
  failed_while_disabled?: number;
  /** The oldest of those: pass it as `since` to recover them. */
  recover_since?: string | null;
};

export type PublicWebhookDelivery = {
  id: string;
  event_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  http_status: number | null;
  last_error: string | null;
  duration_ms: number | null;
  created_at: string;
  last_attempt_at: string | null;
  finished_at: string | null;
  /** Set on a redelivery: the first delivery of the same event to this endpoint. */
  redelivery_of: string | null;
};

export type WebhookDeliveryPage = {
  endpoint: PublicWebhookEndpoint;
  data: PublicWebhookDelivery[];
  /** Pass as `cursor` for the next (older) page; null on the last. */
  next_cursor: string | null;
};

/** The JSON every endpoint receives. */
export type WebhookEvent = {
  id: string;
  type: WebhookEventType | typeof TEST_EVENT_TYPE;
  created_at: string;
  data: Record<string, unknown>;
};

const CURSOR_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The delivery log's keyset cursor: (created_at to the microsecond, id), base64url. */
export function encodeDeliveryCursor(cursor: { ts: string; id: string }): string {
  return btoa(`${cursor.ts}|${cursor.id}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeDeliveryCursor(value: string): { ts: string; id: string } | null {
  if (!/^[\w-]{1,100}$/.test(value)) return null;
  try {
    const [ts, id, ...rest] = atob(value.replace(/-/g, '+').replace(/_/g, '/')).split('|');
    return rest.length === 0 && CURSOR_TS.test(ts) && UUID.test(id ?? '') ? { ts, id } : null;
  } catch {
    return null;
  }
}
