import { z } from 'zod';
import { livenessSchema, readinessSchema } from '@/lib/health/answer-schemas';
import type { PathSpecs } from './operation';

export const systemPaths: PathSpecs = {
  '/api/health': {
    get: {
      access: 'public',
      bare: true,
      tags: ['System'],
      operationId: 'getLiveness',
      summary: 'Liveness: the process answers',
      security: [],
      answers: { 200: { description: 'Up.', schema: livenessSchema } },
    },
  },
  '/api/health/ready': {
    get: {
      access: 'public',
      bare: true,
      tags: ['System'],
      operationId: 'getReadiness',
      summary: 'Readiness: database, migrations and queue; live workers reported',
      description:
        "Everyone gets each check's `ok`; admins and the metrics token also the reasons and timings. No live worker answers 200 with status `degraded`, so a load balancer keeps the web up.",
      security: [{}, { sessionCookie: [] }, { metricsToken: [] }],
      answers: {
        200: { description: 'Ready (status ok or degraded).', schema: readinessSchema },
        503: { description: 'Not ready: see the checks.', schema: readinessSchema },
      },
    },
  },
  '/api/metrics': {
    get: {
      access: 'public',
      bare: true,
      tags: ['System'],
      operationId: 'getMetrics',
      summary: 'Prometheus metrics',
      description: 'Needs METRICS_TOKEN (not a user token); 404 while it is not set.',
      security: [{ metricsToken: [] }],
      answers: {
        200: {
          description: 'Prometheus text exposition format.',
          contentType: 'text/plain',
          schema: z.string().meta({ example: '# HELP ats_sync_http_requests_total …' }),
        },
      },
      errors: ['unauthorized', 'not_found'],
    },
  },
  '/api/openapi.json': {
    get: {
      access: 'public',
      bare: true,
      tags: ['System'],
      operationId: 'getOpenApiDocument',
      summary: 'This document (OpenAPI 3.1)',
      description: 'Public: it describes the API, never data. Generate a client from it (openapi-typescript).',
      security: [],
      answers: {
        200: {
          description: 'The OpenAPI document.',
          schema: z.looseObject({ openapi: z.string(), paths: z.looseObject({}) }),
        },
      },
    },
  },
};
