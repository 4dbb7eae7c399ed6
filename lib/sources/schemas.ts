import { z } from 'zod';
import { SIGNING_MODES } from '@/lib/http/webhook-secret';
import { UNSAFE_KEYS } from '@/lib/security/hostile-input';
import { type TargetMappingInput, targetMappingSchema } from '@/lib/sync/target-mapping';

const secret = z.string().min(1, 'is required').max(4096);
// A value sent as a header: a line break in it would end the header and start another.
const noLineBreaks = (v: string) => !/[\r\n]/.test(v);
const headerSecret = secret.refine(noLineBreaks, 'must not contain line breaks');
const headerValue = z.string().max(1000).refine(noLineBreaks, 'must not contain line breaks');
const headerName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be a valid HTTP header name');

// Headers we set ourselves: a custom header may not replace them.
const RESERVED_HEADERS = new Set(['content-type', 'authorization', 'idempotency-key', 'user-agent']);

// Framing, hop-by-hop and routing headers belong to the HTTP client and the proxies on the way: a
// user-chosen one could smuggle a second request, reroute this one, or forge the client's address
// or a session at the receiver. Neither a custom header nor an API-key header may be one of them.
const TRANSPORT_HEADER =
  /^(host|content-length|transfer-encoding|connection|keep-alive|upgrade|te|trailer|expect|cookie|forwarded|x-real-ip|x-forwarded-.*|proxy-.*)$/i;
const TRANSPORT_HEADER_MESSAGE =
  'may not be Host, Content-Length, Transfer-Encoding, Connection, Cookie, X-Forwarded-* or another header the HTTP client or a proxy sets';

const apiKeyHeaderName = headerName.refine((name) => !TRANSPORT_HEADER.test(name), TRANSPORT_HEADER_MESSAGE);

/**
 * OAuth2 client credentials (RFC 6749 §4.4): the client id and secret are exchanged at the token
 * endpoint for a token sent as Bearer. The token URL may be left out for a connector that documents
 * its own (Personio), or be a path relative to base_url (a proxy in front of the target).
 */
const oauth2Fields = {
  client_id: z.string().trim().min(1, 'is required').max(500),
  token_url: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .refine(
      (v) => (v.startsWith('/') && !v.startsWith('//')) || (/^https?:\/\//i.test(v) && URL.canParse(v)),
      'must be an http(s) URL, or a path relative to base_url starting with /',
    )
    .optional(),
  scope: z.string().trim().max(1000).optional(),
  client_auth: z.enum(['client_secret_post', 'client_secret_basic']).optional(),
};

export const authInputSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({ type: z.literal('bearer'), token: headerSecret }),
  z.strictObject({ type: z.literal('api_key_header'), header: apiKeyHeaderName, value: headerSecret }),
  z.strictObject({ type: z.literal('basic'), username: z.string().min(1).max(200), password: secret }),
  z.strictObject({ type: z.literal('oauth2_client_credentials'), ...oauth2Fields, client_secret: secret }),
]);
export type AuthInput = z.infer<typeof authInputSchema>;

/** On update the secret may be left out to keep the stored one. */
export const authPatchSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({ type: z.literal('bearer'), token: headerSecret.optional() }),
  z.strictObject({ type: z.literal('api_key_header'), header: apiKeyHeaderName, value: headerSecret.optional() }),
  z.strictObject({ type: z.literal('basic'), username: z.string().min(1).max(200), password: secret.optional() }),
  z.strictObject({ type: z.literal('oauth2_client_credentials'), ...oauth2Fields, client_secret: secret.optional() }),
]);
export type AuthPatch = z.infer<typeof authPatchSchema>;

export const baseUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `must use http or https, not ${url.protocol.replace(':', '')}` });
    }
    if (url.username || url.password)
      ctx.addIssue({ code: 'custom', message: 'must not contain credentials: use auth' });
    if (url.search || url.hash)
      ctx.addIssue({ code: 'custom', message: 'must not contain a query or fragment: put the path in sync_endpoint' });
  })
  .transform((v) => v.replace(/\/+$/, ''));

const endpointSchema = z
  .string()
  .trim()
  .max(500)
  .regex(/^(\/[^\s]*)?$/, 'must be a path starting with /');

const headersSchema = z
  .record(headerName, headerValue)
  .refine((h) => Object.keys(h).length <= 20, 'at most 20 headers')
  // Reported on `headers` itself, the field the form shows, with the offending name in the message.
  .superRefine((h, ctx) => {
    for (const name of Object.keys(h)) {
      const lower = name.toLowerCase();
      if (TRANSPORT_HEADER.test(name))
        ctx.addIssue({ code: 'custom', message: `${name}: ${TRANSPORT_HEADER_MESSAGE}` });
      else if (RESERVED_HEADERS.has(lower) || lower.startsWith('x-ats-'))
        ctx.addIssue({
          code: 'custom',
          message: `${name}: may not set Content-Type, Authorization, Idempotency-Key, User-Agent or X-ATS-* headers`,
        });
    }
  });

const fieldMappingSchema = z
  .record(
    z.string().regex(/^[a-z_]+(\.[a-z_]+)*$/, 'must be a dotted field path such as candidate.email'),
    z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .nullable(),
  )
  .refine((m) => Object.keys(m).length <= 50, 'at most 50 mappings')
  // The worker walks these paths and writes these names into payload objects (prototype pollution).
  .superRefine((m, ctx) => {
    for (const [path, target] of Object.entries(m)) {
      const segment = path.split('.').find((p) => UNSAFE_KEYS.has(p));
      if (segment)
        ctx.addIssue({ code: 'custom', path: [path], message: `"${segment}" is not allowed in a field path` });
      if (target !== null && UNSAFE_KEYS.has(target)) {
        ctx.addIssue({ code: 'custom', path: [path], message: `"${target}" is not allowed as a target name` });
      }
    }
  });

const limits = {
  timeout_ms: z.number().int().min(1000).max(60_000),
  max_concurrency: z.number().int().min(1).max(64),
  batch_size: z.number().int().min(1).max(500),
  max_attempts: z.number().int().min(1).max(10),
  // Across all workers; null: no limit.
  max_requests_per_minute: z.number().int().min(1).max(100_000).nullable(),
};

// A connector id; which ones exist is the registry's answer (lib/sync/connectors/registry.ts), checked by the service.
const connectorIdSchema = z.string().trim().min(1, 'is required').max(64);
// The connector's own settings: an object here, its connector's schema in the service.
const settingsSchema = z.record(z.string(), z.unknown(), { error: 'must be an object' });

export const createSourceSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(100),
  connector: connectorIdSchema,
  settings: settingsSchema.optional(),
  base_url: baseUrlSchema,
  sync_endpoint: endpointSchema.default(''),
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  auth: authInputSchema.default({ type: 'none' }),
  signing_secret: z.string().min(16, 'must be at least 16 characters').max(4096).nullable().optional(),
  // How signing_secret signs; left out: standard, which wants a whsec_ secret (checked by the service).
  signing_mode: z.enum(SIGNING_MODES).optional(),
  headers: headersSchema.default({}),
  field_mapping: fieldMappingSchema.default({}),
  // Onto the connector's target fields; null or left out: the connector's default mapping.
  target_mapping: targetMappingSchema.nullable().optional(),
  timeout_ms: limits.timeout_ms.default(30_000),
  max_concurrency: limits.max_concurrency.default(8),
  // Unset: SYNC_BATCH_SIZE (default 10).
  batch_size: limits.batch_size.optional(),
  max_attempts: limits.max_attempts.default(3),
  max_requests_per_minute: limits.max_requests_per_minute.optional(),
  is_active: z.boolean().default(true),
  // Sync on hire; left out: auto for named connectors, manual for our own receivers.
  sync_mode: z.enum(['auto', 'manual']).optional(),
});
export type CreateSourceInput = z.infer<typeof createSourceSchema>;

export const updateSourceSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    connector: connectorIdSchema,
    settings: settingsSchema,
    base_url: baseUrlSchema,
    sync_endpoint: endpointSchema,
    method: z.enum(['POST', 'PUT', 'PATCH']),
    auth: authPatchSchema,
    signing_secret: z.string().min(16, 'must be at least 16 characters').max(4096).nullable(),
    signing_mode: z.enum(SIGNING_MODES),
    headers: headersSchema,
    field_mapping: fieldMappingSchema,
    target_mapping: targetMappingSchema.nullable(),
    ...limits,
    is_active: z.boolean(),
    sync_mode: z.enum(['auto', 'manual']),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateSourceInput = z.infer<typeof updateSourceSchema>;

export type PublicSource = {
  id: string;
  name: string;
  connector: string;
  /** The connector's own settings (never secrets: those are in auth). */
  settings: Record<string, unknown>;
  base_url: string;
  sync_endpoint: string;
  method: 'POST' | 'PUT' | 'PATCH';
  auth: {
    type: string;
    header?: string | null;
    username?: string | null;
    /** OAuth2 client credentials only (the client id is not secret; the client secret is). */
    client_id?: string | null;
    token_url?: string | null;
    scope?: string | null;
    client_auth?: 'client_secret_post' | 'client_secret_basic' | null;
    secret_set: boolean;
    secret_mask: string | null;
  };
  signing_secret: { secret_set: boolean; mask: string | null };
  /** standard: Standard Webhooks headers; legacy: X-ATS-Signature as well (lib/http/webhook-signing.ts). */
  signing_mode: 'standard' | 'legacy';
  headers: Record<string, string>;
  field_mapping: Record<string, string | null>;
  /** The source's own mapping onto its connector's target fields; null: the connector's default. */
  target_mapping: TargetMappingInput | null;
  timeout_ms: number;
  max_concurrency: number;
  batch_size: number;
  max_attempts: number;
  max_requests_per_minute: number | null;
  is_active: boolean;
  /** auto: hires, edits and withdrawals are sent within seconds, without Sync. */
  sync_mode: 'auto' | 'manual';
  health: {
    status: string;
    checked_at: string | null;
    error: string | null;
    last_success_at: string | null;
    consecutive_failures: number;
  };
  /** pause (issue 21): the pause in force, if any (lib/sources/pause.ts). */
  pause: SourcePauseState | null;
  created_at: string;
  updated_at: string;
};

/** A source's pause in force, as answers show it; `until` null: until resumed. */
export type SourcePauseState = {
  /** retry_after: the target asked to wait; admin: paused by hand; auth_failed: credentials refused. */
  kind: 'retry_after' | 'admin' | 'auth_failed';
  reason: string;
  since: string;
  until: string | null;
  http_status: number | null;
  paused_by: string | null;
};

/** What PATCH answers: the source, and whether its credentials were dropped for a new origin. */
export type UpdatedSource = PublicSource & { credentials_cleared: boolean };

export type TestResult = {
  ok: boolean;
  status: string;
  http_status: number | null;
  /** Null when the destination guard refused the address: nothing about the target is reported. */
  latency_ms: number | null;
  error: string | null;
  /** Why no HTTP answer came: timeout, connection_failed or destination_blocked. */
  error_code: string | null;
  /** pause (issue 21): present (true) when the test succeeded and lifted a pause for refused credentials. */
  resumed?: true;
};

// The source form's live preview (POST /api/v1/sources/preview): the form's fields as it has them,
// any of them left out. Credentials only decide which headers exist (the preview never sends, and
// masks them), so they may be incomplete while the admin types.
const previewAuthSchema = z.strictObject({
  type: z.enum(['none', 'bearer', 'api_key_header', 'basic', 'oauth2_client_credentials']),
  token: headerValue.optional(),
  header: apiKeyHeaderName.optional(),
  value: headerValue.optional(),
  username: z.string().max(200).optional(),
  password: z.string().max(4096).optional(),
  client_id: z.string().max(500).optional(),
  client_secret: z.string().max(4096).optional(),
  token_url: oauth2Fields.token_url,
  scope: oauth2Fields.scope,
  client_auth: oauth2Fields.client_auth,
});

export const previewSourceSchema = z.strictObject({
  /** Start from a stored source: the fields given here replace its own, as a PATCH would. */
  source_id: z.uuid().optional(),
  /** A hired candidate; left out: the most recently hired. */
  candidate_id: z.uuid().optional(),
  name: z.string().max(100).optional(),
  connector: connectorIdSchema.optional(),
  settings: settingsSchema.optional(),
  // Empty while the admin has not typed one: the connector's default, or a problem the preview names.
  base_url: z.preprocess((v) => (v === '' ? undefined : v), baseUrlSchema.optional()),
  sync_endpoint: endpointSchema.optional(),
  method: z.enum(['POST', 'PUT', 'PATCH']).optional(),
  auth: previewAuthSchema.optional(),
  signing_secret: z.string().max(4096).nullable().optional(),
  signing_mode: z.enum(SIGNING_MODES).optional(),
  headers: headersSchema.optional(),
  field_mapping: fieldMappingSchema.optional(),
  target_mapping: targetMappingSchema.nullable().optional(),
  timeout_ms: limits.timeout_ms.optional(),
  max_concurrency: limits.max_concurrency.optional(),
  batch_size: limits.batch_size.optional(),
  max_attempts: limits.max_attempts.optional(),
  max_requests_per_minute: limits.max_requests_per_minute.optional(),
  is_active: z.boolean().optional(),
});
export type PreviewSourceInput = z.infer<typeof previewSourceSchema>;

/** What the preview answers: one hired candidate rendered into the create request the target would get. */
export type SourcePreview = {
  candidate: { id: string; name: string; posting: string; hired_at: string | null } | null;
  /** The most recent hires, for the form's candidate picker. */
  candidates: { id: string; name: string; posting: string; hired_at: string | null }[];
  /** Credentials and signatures masked; null when the source's configuration cannot build one yet. */
  request: { method: string; url: string; headers: Record<string, string>; body: string } | null;
  /** Required target fields this candidate leaves empty, as the per-delivery error names them. */
  missing_required: { field: string; label: string; from: string | null }[];
  /** What keeps the source from sending (settings, mapping, credentials), each with its path. */
  problems: { path: string; message: string }[];
  /** Why there is nothing to show, in words for the form (no hired candidate yet). */
  notice: string | null;
};
