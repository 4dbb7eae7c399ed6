import { z } from 'zod';
import { deletedSchema } from '@/lib/sources/answer-schemas';
import {
  createdWebhookSchema,
  webhookDeliveriesSchema,
  webhookEndpointSchema,
  webhookListSchema,
  updatedWebhookSchema,
  webhookRecoveredSchema,
  webhookRedeliveredSchema,
  webhookTestSchema,
} from '@/lib/webhooks/answer-schemas';
import {
  createWebhookSchema,
  listWebhookDeliveriesQuerySchema,
  recoverWebhookSchema,
  rotateWebhookSecretSchema,
  updateWebhookSchema,
} from '@/lib/webhooks/schemas';
import type { OperationSpec, PathSpecs } from './operation';

const common = { access: 'admin', tags: ['Webhooks'] } as const satisfies Partial<OperationSpec>;
const webhookParams = z.object({ id: z.uuid() });

export const webhooksPaths: PathSpecs = {
  '/api/v1/webhooks': {
    get: {
      ...common,
      operationId: 'listWebhooks',
      summary: 'List webhook endpoints',
      answers: { 200: { description: 'Every endpoint, secrets masked.', schema: webhookListSchema } },
    },
    post: {
      ...common,
      operationId: 'createWebhook',
      summary: 'Add a webhook endpoint',
      description: 'The answer holds the signing secret, this once.',
      body: createWebhookSchema,
      bodyExamples: {
        completed: {
          summary: 'Told when runs end',
          value: {
            name: 'Ops channel',
            url: 'https://hooks.example.com/ats-sync',
            events: ['sync.completed', 'sync.failed'],
          },
        },
      },
      answers: { 201: { description: 'Created, with its secret.', schema: createdWebhookSchema } },
    },
  },
  '/api/v1/webhooks/{id}': {
    get: {
      ...common,
      operationId: 'getWebhook',
      summary: 'Get a webhook endpoint',
      params: webhookParams,
      answers: { 200: { description: 'The endpoint.', schema: webhookEndpointSchema } },
      errors: ['webhook_not_found'],
    },
    patch: {
      ...common,
      operationId: 'updateWebhook',
      summary: 'Edit, disable or enable a webhook endpoint',
      description:
        'Any of name, description, url, events, is_active and signing_mode. Disabling ends queued deliveries unsent; enabling answers how many failed while it was off (`failed_while_disabled`, `recover_since`). Switching to `standard` needs a Standard Webhooks secret: rotate an older one first.',
      params: webhookParams,
      body: updateWebhookSchema,
      bodyExamples: {
        describe: { summary: 'Say what receives the events', value: { description: 'Pager bridge of the ops team' } },
      },
      answers: { 200: { description: 'The endpoint as it is now.', schema: updatedWebhookSchema } },
      errors: ['webhook_not_found'],
    },
    delete: {
      ...common,
      operationId: 'deleteWebhook',
      summary: 'Delete a webhook endpoint',
      params: webhookParams,
      answers: { 200: { description: 'Deleted.', schema: deletedSchema } },
      errors: ['webhook_not_found'],
    },
  },
  '/api/v1/webhooks/{id}/test': {
    post: {
      ...common,
      operationId: 'testWebhook',
      summary: 'Send a test event',
      params: webhookParams,
      answers: { 202: { description: 'Queued; see its delivery in the log.', schema: webhookTestSchema } },
      errors: ['webhook_not_found', 'invalid_state'],
    },
  },
  '/api/v1/webhooks/{id}/rotate-secret': {
    post: {
      ...common,
      operationId: 'rotateWebhookSecret',
      summary: "Rotate an endpoint's signing secret",
      description:
        'A new `whsec_` secret, in the answer this once. The replaced one keeps signing beside it for `keep_previous_hours` (24 by default; 0 ends it at once, for a leaked secret).',
      params: webhookParams,
      body: rotateWebhookSecretSchema,
      bodyExamples: { overlap: { summary: 'Both sign for 24 hours', value: { keep_previous_hours: 24 } } },
      answers: { 200: { description: 'The endpoint and its new secret.', schema: createdWebhookSchema } },
      errors: ['webhook_not_found'],
    },
  },
  '/api/v1/webhooks/{id}/recover': {
    post: {
      ...common,
      operationId: 'recoverWebhookDeliveries',
      summary: 'Send again every event that failed since a time',
      description: 'Oldest first, each event once, up to 5,000 per call (`more`: call again).',
      params: webhookParams,
      body: recoverWebhookSchema,
      bodyExamples: { lastWeek: { summary: 'Since a date', value: { since: '2026-12-01' } } },
      answers: { 202: { description: 'Queued.', schema: webhookRecoveredSchema } },
      errors: ['webhook_not_found', 'invalid_state'],
    },
  },
  '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver': {
    post: {
      ...common,
      operationId: 'redeliverWebhookDelivery',
      summary: 'Send one delivery again',
      description:
        'A new row in the log with the same body, event id and Idempotency-Key, signed afresh. One still pending or retrying is refused.',
      params: z.object({ id: z.uuid(), deliveryId: z.uuid() }),
      answers: { 202: { description: 'Queued.', schema: webhookRedeliveredSchema } },
      errors: ['webhook_not_found', 'webhook_delivery_not_found', 'invalid_state'],
    },
  },
  '/api/v1/webhooks/{id}/deliveries': {
    get: {
      ...common,
      operationId: 'listWebhookDeliveries',
      summary: "An endpoint's delivery log",
      params: webhookParams,
      query: listWebhookDeliveriesQuerySchema,
      queryExamples: {
        failed: { summary: 'The last 10 failed or retrying', value: { limit: '10', status: 'failed,retrying' } },
      },
      answers: { 200: { description: 'The newest deliveries first.', schema: webhookDeliveriesSchema } },
      errors: ['webhook_not_found'],
    },
  },
};
