import { SIGNING_MODES } from '@/lib/http/webhook-secret';
import { z } from 'zod';
import { type Same, shapes } from '@/lib/api/openapi/same-shape';
import type { PauseAnswer } from './pause';
import type { PublicSource, SourcePreview, TestResult, UpdatedSource } from './schemas';

// The answers of the sources API as zod schemas, for the OpenAPI document (lib/api/openapi/sources.ts).
const pauseStateSchema = z
  .object({
    kind: z.enum(['retry_after', 'admin', 'auth_failed']),
    reason: z.string(),
    since: z.string(),
    until: z.string().nullable(),
    http_status: z.number().int().nullable(),
    paused_by: z.string().nullable(),
  })
  .meta({ id: 'SourcePause' });

export const publicSourceSchema = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    name: z.string(),
    connector: z.string().meta({ example: 'bamboohr' }),
    settings: z.record(z.string(), z.unknown()),
    base_url: z.string(),
    sync_endpoint: z.string(),
    method: z.enum(['POST', 'PUT', 'PATCH']),
    auth: z.object({
      type: z.string(),
      header: z.string().nullable().optional(),
      username: z.string().nullable().optional(),
      client_id: z.string().nullable().optional(),
      token_url: z.string().nullable().optional(),
      scope: z.string().nullable().optional(),
      client_auth: z.enum(['client_secret_post', 'client_secret_basic']).nullable().optional(),
      secret_set: z.boolean(),
      secret_mask: z.string().nullable(),
    }),
    signing_secret: z.object({ secret_set: z.boolean(), mask: z.string().nullable() }),
    signing_mode: z
      .enum(SIGNING_MODES)
      .meta({ description: 'standard: Standard Webhooks headers; legacy: X-ATS-Signature as well.' }),
    headers: z.record(z.string(), z.string()),
    field_mapping: z.record(z.string(), z.string().nullable()),
    target_mapping: z.record(z.string(), z.unknown()).nullable().meta({
      description: "The source's own mapping onto its connector's target fields; null: the connector's default.",
    }),
    timeout_ms: z.number().int(),
    max_concurrency: z.number().int(),
    batch_size: z.number().int(),
    max_attempts: z.number().int(),
    max_requests_per_minute: z.number().int().nullable(),
    is_active: z.boolean(),
    sync_mode: z.enum(['auto', 'manual']),
    health: z.object({
      status: z.string(),
      checked_at: z.string().nullable(),
      error: z.string().nullable(),
      last_success_at: z.string().nullable(),
      consecutive_failures: z.number().int(),
    }),
    pause: pauseStateSchema.nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Source' });
// target_mapping is documented as an object (its full grammar is lib/sync/target-mapping.ts), so
// the check covers every other field.
shapes<Same<Omit<z.output<typeof publicSourceSchema>, 'target_mapping'>, Omit<PublicSource, 'target_mapping'>>>();

export const sourceListSchema = z.object({ data: z.array(publicSourceSchema) }).meta({ id: 'SourceList' });

export const updatedSourceSchema = publicSourceSchema
  .extend({
    credentials_cleared: z
      .boolean()
      .meta({ description: 'Credentials dropped because base_url moved to another origin.' }),
  })
  .meta({ id: 'UpdatedSource' });
shapes<Same<keyof z.output<typeof updatedSourceSchema>, keyof UpdatedSource>>();

export const testResultSchema = z
  .object({
    ok: z.boolean(),
    status: z.string(),
    http_status: z.number().int().nullable(),
    latency_ms: z.number().nullable(),
    error: z.string().nullable(),
    error_code: z.string().nullable().meta({ description: 'timeout, connection_failed or destination_blocked' }),
    resumed: z.literal(true).optional(),
  })
  .meta({ id: 'SourceTestResult' });
shapes<Same<z.output<typeof testResultSchema>, TestResult>>();

export const pauseAnswerSchema = z
  .object({
    source_id: z.string(),
    changed: z.boolean(),
    pause: pauseStateSchema.nullable(),
    enqueued: z.number().int().optional(),
  })
  .meta({ id: 'SourcePauseAnswer' });
shapes<Same<z.output<typeof pauseAnswerSchema>, PauseAnswer>>();

export const deletedSchema = z.object({ id: z.string(), deleted: z.literal(true) }).meta({ id: 'Deleted' });

const previewCandidate = z.object({
  id: z.string(),
  name: z.string(),
  posting: z.string(),
  hired_at: z.string().nullable(),
});
export const sourcePreviewSchema = z
  .object({
    candidate: previewCandidate.nullable(),
    candidates: z.array(previewCandidate),
    request: z
      .object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()), body: z.string() })
      .nullable(),
    missing_required: z.array(z.object({ field: z.string(), label: z.string(), from: z.string().nullable() })),
    problems: z.array(z.object({ path: z.string(), message: z.string() })),
    notice: z.string().nullable(),
  })
  .meta({ id: 'SourcePreview' });
shapes<Same<z.output<typeof sourcePreviewSchema>, SourcePreview>>();

export const connectorListSchema = z
  .object({
    data: z.array(
      z.looseObject({
        id: z.string().meta({ example: 'bamboohr' }),
        name: z.string(),
        description: z.string().nullable(),
        docs: z.array(z.string()),
        auth: z.looseObject({ type: z.string() }),
        settings: z.object({
          schema: z.record(z.string(), z.unknown()),
          fields: z.array(z.looseObject({ key: z.string() })),
        }),
        target_fields: z.array(z.looseObject({})),
        default_mapping: z.unknown(),
        rate_limit: z.looseObject({ requests_per_minute: z.number().nullable() }),
        actions: z.array(z.unknown()),
      }),
    ),
    mappable_paths: z.array(z.unknown()).meta({ description: "What a target mapping's `from` may name." }),
  })
  .meta({ id: 'ConnectorList' });
