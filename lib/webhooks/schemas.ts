import { z } from 'zod';
import type { SigningMode, WebhookDeliveryStatus, WebhookEventType } from '@/db/types';
import { SIGNING_MODES } from '@/lib/http/webhook-secret';

export const WEBHOOK_EVENT_TYPES = [
  'sync.completed',
  'sync.partially_failed',
  'sync.failed',
  'source.unhealthy',
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

export const createWebhookSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(200),
  url: urlSchema,
  events: z
    .array(z.enum(WEBHOOK_EVENT_TYPES))
    .min(1, 'choose at least one event')
    .transform((events) => [...new Set(events)]),
  // stdwh: left out, standard; `legacy` adds X-ATS-Signature for a receiver written for it.
  signing_mode: z.enum(SIGNING_MODES).optional(),
});
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

export const listWebhookDeliveriesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type PublicWebhookEndpoint = {
  id: string;
  name: string;
  url: string;
  events: WebhookEventType[];
  is_active: boolean;
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

/** What POST answers: the endpoint and its signing secret, shown this once. */
export type CreatedWebhookEndpoint = PublicWebhookEndpoint & { secret: string };

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
};

/** The JSON every endpoint receives. */
export type WebhookEvent = {
  id: string;
  type: WebhookEventType | typeof TEST_EVENT_TYPE;
  created_at: string;
  data: Record<string, unknown>;
};
