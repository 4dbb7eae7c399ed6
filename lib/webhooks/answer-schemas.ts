import { z } from 'zod';
import { type Same, shapes } from '@/lib/api/openapi/same-shape';
import { type PublicWebhookDelivery, type PublicWebhookEndpoint, WEBHOOK_EVENT_TYPES } from './schemas';

// The answers of the webhooks API as zod schemas, for the OpenAPI document (lib/api/openapi/webhooks.ts).
export const webhookEndpointSchema = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    name: z.string(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    is_active: z.boolean(),
    failing: z.boolean(),
    consecutive_failures: z.number().int(),
    retrying: z.number().int(),
    secret_mask: z.string(),
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
  })
  .meta({ id: 'WebhookDelivery' });
shapes<Same<z.output<typeof webhookDeliverySchema>, PublicWebhookDelivery>>();

export const webhookDeliveriesSchema = z
  .object({ endpoint: webhookEndpointSchema, data: z.array(webhookDeliverySchema) })
  .meta({ id: 'WebhookDeliveries' });

export const webhookTestSchema = z
  .object({ delivery_id: z.string(), event_id: z.string() })
  .meta({ id: 'WebhookTestQueued' });
