import { z } from 'zod';
import { type Same, shapes } from '@/lib/api/openapi/same-shape';
import { SIGNING_MODES } from '@/lib/http/webhook-secret';
import {
  type PublicWebhookDelivery,
  type PublicWebhookEndpoint,
  type UpdatedWebhookEndpoint,
  WEBHOOK_EVENT_TYPES,
} from './schemas';

// The answers of the webhooks API as zod schemas, for the OpenAPI document (lib/api/openapi/webhooks.ts).
export const webhookEndpointSchema = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    name: z.string(),
    description: z.string().nullable(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    is_active: z.boolean(),
    disabled: z
      .object({ at: z.string(), kind: z.enum(['admin', 'failing']), reason: z.string() })
      .nullable()
      .meta({
        description:
          'Why and when it was switched off; `failing`: every attempt failed for WEBHOOK_DISABLE_AFTER_DAYS.',
      }),
    failing_since: z
      .string()
      .nullable()
      .meta({ description: 'Since when every attempt failed (null after a success).' }),
    auto_disable_at: z
      .string()
      .nullable()
      .meta({ description: 'When it will be disabled if every attempt keeps failing.' }),
    previous_secret_expires_at: z
      .string()
      .nullable()
      .meta({ description: 'Until when the secret replaced by the last rotation still signs beside the current one.' }),
    failing: z.boolean(),
    consecutive_failures: z.number().int(),
    retrying: z.number().int(),
    secret_mask: z.string(),
    signing_mode: z
      .enum(SIGNING_MODES)
      .meta({ description: 'standard: Standard Webhooks headers only; legacy: X-ATS-Signature as well.' }),
    last_success_at: z.string().nullable(),
    last_failure_at: z.string().nullable(),
    last_error: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'WebhookEndpoint' });
shapes<Same<z.output<typeof webhookEndpointSchema>, PublicWebhookEndpoint>>();

export const webhookListSchema = z.object({ data: z.array(webhookEndpointSchema) }).meta({ id: 'WebhookEndpointList' });

export const createdWebhookSchema = webhookEndpointSchema
  .extend({ secret: z.string().meta({ description: 'The signing secret, shown this once.' }) })
  .meta({ id: 'CreatedWebhookEndpoint' });

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    status: z.enum(['pending', 'retrying', 'succeeded', 'failed']),
    attempts: z.number().int(),
    http_status: z.number().int().nullable(),
    last_error: z.string().nullable(),
    duration_ms: z.number().nullable(),
    created_at: z.string(),
    last_attempt_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    redelivery_of: z
      .string()
      .nullable()
      .meta({ description: 'Set on a redelivery: the first delivery of the same event to this endpoint.' }),
  })
  .meta({ id: 'WebhookDelivery' });
shapes<Same<z.output<typeof webhookDeliverySchema>, PublicWebhookDelivery>>();

export const webhookDeliveriesSchema = z
  .object({
    endpoint: webhookEndpointSchema,
    data: z.array(webhookDeliverySchema),
    next_cursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `cursor` for the next (older) page; null on the last.' }),
  })
  .meta({ id: 'WebhookDeliveries' });

export const updatedWebhookSchema = webhookEndpointSchema
  .extend({
    failed_while_disabled: z.number().int().optional().meta({
      description: 'On enable: deliveries that failed unsent while it was disabled (send them with recover).',
    }),
    recover_since: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'The oldest of those: pass it as `since` to recover.' }),
  })
  .meta({ id: 'UpdatedWebhookEndpoint' });
shapes<Same<z.output<typeof updatedWebhookSchema>, UpdatedWebhookEndpoint>>();

export const webhookRedeliveredSchema = z
  .object({ delivery_id: z.string(), redelivery_of: z.string(), event_id: z.string() })
  .meta({ id: 'WebhookRedelivered' });

export const webhookRecoveredSchema = z
  .object({
    redelivered: z.number().int(),
    more: z.boolean().meta({ description: 'More failed deliveries match: call again.' }),
  })
  .meta({ id: 'WebhookRecovered' });

export const webhookTestSchema = z
  .object({ delivery_id: z.string(), event_id: z.string() })
  .meta({ id: 'WebhookTestQueued' });
