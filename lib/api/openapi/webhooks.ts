import { z } from 'zod';
import { deletedSchema } from '@/lib/sources/answer-schemas';
import {
  createdWebhookSchema,
  webhookDeliveriesSchema,
  webhookEndpointSchema,
  webhookListSchema,
  webhookTestSchema,
} from '@/lib/webhooks/answer-schemas';
import { createWebhookSchema, listWebhookDeliveriesQuerySchema } from '@/lib/webhooks/schemas';
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
      errors: ['webhook_not_found'],
    },
  },
  '/api/v1/webhooks/{id}/deliveries': {
    get: {
      ...common,
      operationId: 'listWebhookDeliveries',
      summary: "An endpoint's delivery log",
      params: webhookParams,
      query: listWebhookDeliveriesQuerySchema,
      queryExamples: { last10: { summary: 'The last 10', value: { limit: '10' } } },
      answers: { 200: { description: 'The newest deliveries first.', schema: webhookDeliveriesSchema } },
      errors: ['webhook_not_found'],
    },
  },
};
