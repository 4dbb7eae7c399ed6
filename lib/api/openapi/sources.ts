import { z } from 'zod';
import {
  connectorListSchema,
  deletedSchema,
  pauseAnswerSchema,
  publicSourceSchema,
  sourceListSchema,
  sourcePreviewSchema,
  testResultSchema,
  updatedSourceSchema,
} from '@/lib/sources/answer-schemas';
import { pauseSourceSchema } from '@/lib/sources/pause';
import { createSourceSchema, previewSourceSchema, updateSourceSchema } from '@/lib/sources/schemas';
import type { OperationSpec, PathSpecs } from './operation';

const sourceParams = z.object({ id: z.uuid() });
const common = { access: 'admin', tags: ['Sources'] } as const satisfies Partial<OperationSpec>;

export const BAMBOOHR_SOURCE_EXAMPLE = {
  name: 'BambooHR',
  connector: 'bamboohr',
  settings: { company_domain: 'acme' },
  base_url: 'https://acme.bamboohr.com/api/v1',
  // BambooHR takes its API key as the Basic user name: it is stored as the (write-only) password.
  auth: { type: 'basic', username: 'api-key', password: 'your-bamboohr-api-key' },
};

export const sourcesPaths: PathSpecs = {
  '/api/v1/connectors': {
    get: {
      access: 'user',
      tags: ['Sources'],
      operationId: 'listConnectors',
      summary: 'The connectors a source can use',
      description: 'Each with its settings (as JSON Schema), its auth, its target fields and default mapping.',
      answers: { 200: { description: 'Every connector.', schema: connectorListSchema } },
    },
  },
  '/api/v1/sources': {
    get: {
      ...common,
      operationId: 'listSources',
      summary: 'List sources',
      answers: { 200: { description: 'Every source; secrets masked.', schema: sourceListSchema } },
    },
    post: {
      ...common,
      operationId: 'createSource',
      summary: 'Create a source',
      description:
        'A target system (BambooHR, HiBob, Personio, or your own receiver with `connector: "webhook"`). Secrets are ' +
        'stored encrypted and never answered; GET /api/v1/connectors lists each connector\u2019s settings and auth.',
      body: createSourceSchema,
      bodyExamples: {
        bamboohr: { summary: 'BambooHR (API key as Basic user)', value: BAMBOOHR_SOURCE_EXAMPLE },
      },
      answers: { 201: { description: 'Created.', schema: publicSourceSchema } },
      errors: ['name_taken', 'unknown_connector'],
    },
  },
  '/api/v1/sources/preview': {
    post: {
      ...common,
      operationId: 'previewSource',
      viewerMay: true,
      summary: 'Preview the request a source would send',
      description: 'Nothing is sent or stored: one hired candidate rendered into the request, credentials masked.',
      body: previewSourceSchema,
      bodyExamples: { bamboohr: { summary: 'The BambooHR source above', value: BAMBOOHR_SOURCE_EXAMPLE } },
      answers: {
        200: {
          description: 'The request, or the problems keeping the source from sending.',
          schema: sourcePreviewSchema,
        },
      },
      errors: ['source_not_found', 'candidate_not_found', 'unknown_connector'],
    },
  },
  '/api/v1/sources/{id}': {
    get: {
      ...common,
      operationId: 'getSource',
      summary: 'Get a source',
      params: sourceParams,
      answers: { 200: { description: 'The source.', schema: publicSourceSchema } },
      errors: ['source_not_found'],
    },
    patch: {
      ...common,
      operationId: 'updateSource',
      summary: 'Change a source',
      description:
        'Only the fields sent change; a secret left out is kept. A new origin in base_url drops the stored credentials.',
      params: sourceParams,
      body: updateSourceSchema,
      bodyExamples: {
        rename: { summary: 'Rename and slow down', value: { name: 'BambooHR (EU)', max_concurrency: 2 } },
      },
      answers: { 200: { description: 'The source now.', schema: updatedSourceSchema } },
      errors: ['source_not_found', 'name_taken', 'unknown_connector'],
    },
    delete: {
      ...common,
      operationId: 'deleteSource',
      summary: 'Delete a source',
      description: 'Its delivery history stays.',
      params: sourceParams,
      answers: { 200: { description: 'Deleted.', schema: deletedSchema } },
      errors: ['source_not_found'],
    },
  },
  '/api/v1/sources/{id}/test': {
    post: {
      ...common,
      operationId: 'testSource',
      summary: 'Test the connection',
      description: 'Sends the connector\u2019s health request; a success lifts a pause for refused credentials.',
      params: sourceParams,
      answers: { 200: { description: 'What the target answered.', schema: testResultSchema } },
      errors: ['source_not_found'],
    },
  },
  '/api/v1/sources/{id}/pause': {
    post: {
      ...common,
      operationId: 'pauseSource',
      summary: 'Pause a source',
      description: 'Deliveries to it wait (they are not failed) until it is resumed.',
      params: sourceParams,
      body: pauseSourceSchema,
      bodyOptional: true,
      bodyExamples: { maintenance: { summary: 'With a reason', value: { reason: 'BambooHR maintenance window' } } },
      answers: { 200: { description: 'The pause in force.', schema: pauseAnswerSchema } },
      errors: ['source_not_found'],
    },
  },
  '/api/v1/sources/{id}/resume': {
    post: {
      ...common,
      operationId: 'resumeSource',
      summary: 'Resume a paused source',
      params: sourceParams,
      answers: { 200: { description: 'Resumed; waiting deliveries are queued.', schema: pauseAnswerSchema } },
      errors: ['source_not_found'],
    },
  },
};
