import { healthOfAnswer } from '@/lib/sync/source-health';
import type { Database } from '@/db/client';
import type { SigningMode, Source, SourceHealth } from '@/db/types';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { type Actor, isAdmin, requireAdminReader } from '@/lib/auth/actor';
import { decryptSecret, encryptSecret, getKeyring, maskSecret } from '@/lib/crypto/secret-box';
import { getEnv } from '@/lib/env';
import { AppError, isUniqueViolation } from '@/lib/errors';
import { refuseBlockedUrl } from '@/lib/http/destination-guard';
import type { HttpResult } from '@/lib/http/outbound-client';
import { standardSecretProblem } from '@/lib/http/webhook-secret';
import {
  type SourceAuthorizer,
  createSourceAuthorizer,
  OAuth2TokenError,
  oauth2Of,
  tokenErrorCode,
} from '@/lib/sync/connectors/authorize';
import { getLogger } from '@/lib/logger';
import type { SourceConfig } from '@/lib/sync/connectors/types';
import {
  type AnyConnectorModule,
  connectorModule,
  findConnectorModule,
  sourceSettings,
  withConnectorAuth,
} from '@/lib/sync/connectors/registry';
import { SECRET_HEADER_NAME } from '@/lib/sync/payload';
import { sourceRedactor } from '@/lib/sync/redact-secrets';
import {
  checkTargetMapping,
  type TargetMappingInput,
  targetMappingSchema,
  toFieldMapping,
} from '@/lib/sync/target-mapping';
import { findSourcePauseStates } from './pause-repository';
import {
  findSourceRow,
  findSourceRowsByIds,
  listSourceRows,
  notifySourceChanged,
  recordSourceHealth,
} from './repository';
import type {
  AuthInput,
  AuthPatch,
  CreateSourceInput,
  PublicSource,
  SourcePauseState,
  TestResult,
  UpdatedSource,
  UpdateSourceInput,
} from './schemas';

export function requireSourceAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError('forbidden', 'only admins can manage sources');
}
const requireAdmin = requireSourceAdmin;

export function toPublicSource(s: Source, pause: SourcePauseState | null = null): PublicSource {
  return {
    id: s.id,
    name: s.name,
    connector: s.connector,
    settings: s.settings ?? {},
    base_url: s.base_url,
    sync_endpoint: s.sync_endpoint,
    method: s.http_method,
    auth: {
      type: s.auth_type,
      ...(s.auth_type === 'api_key_header' ? { header: s.auth_header_name } : {}),
      ...(s.auth_type === 'basic' ? { username: s.auth_username } : {}),
      ...(s.auth_type === 'oauth2_client_credentials'
        ? {
            client_id: s.auth_username,
            token_url: s.auth_token_url,
            scope: s.auth_scope,
            client_auth: s.auth_client_auth,
          }
        : {}),
      secret_set: !!s.auth_secret_encrypted,
      secret_mask: s.auth_secret_hint,
    },
    signing_secret: { secret_set: !!s.signing_secret_encrypted, mask: s.signing_secret_hint },
    signing_mode: s.signing_mode,
    // Custom header values that look like credentials are write-only too.
    headers: Object.fromEntries(
      Object.entries(s.headers ?? {}).map(([k, v]) => [k, SECRET_HEADER_NAME.test(k) ? maskSecret(v) : v]),
    ),
    field_mapping: s.field_mapping ?? {},
    target_mapping: (s.target_mapping as TargetMappingInput | null) ?? null,
    timeout_ms: s.timeout_ms,
    max_concurrency: s.max_concurrency,
    batch_size: s.batch_size,
    max_attempts: s.max_attempts,
    max_requests_per_minute: s.max_requests_per_minute,
    is_active: s.is_active,
    sync_mode: s.sync_mode,
    health: {
      status: s.health_status,
      checked_at: s.health_checked_at?.toISOString() ?? null,
      error: s.health_error,
      last_success_at: s.last_success_at?.toISOString() ?? null,
      consecutive_failures: s.consecutive_failures,
    },
    pause,
    created_at: s.created_at.toISOString(),
    updated_at: s.updated_at.toISOString(),
  };
}

const secretOf = (a: AuthInput | AuthPatch): string | undefined =>
  a.type === 'bearer'
    ? a.token
    : a.type === 'api_key_header'
      ? a.value
      : a.type === 'basic'
        ? a.password
        : a.type === 'oauth2_client_credentials'
          ? a.client_secret
          : undefined;

const SECRET_FIELD = {
  bearer: 'token',
  api_key_header: 'value',
  basic: 'password',
  oauth2_client_credentials: 'client_secret',
};

/** The secret part of an auth definition, and the columns that describe the rest. */
function authColumns(auth: AuthInput | AuthPatch, existing?: Source) {
  const keyring = getKeyring();
  const secret = secretOf(auth);
  if (auth.type !== 'none' && secret === undefined && existing?.auth_type !== auth.type) {
    const field = SECRET_FIELD[auth.type];
    throw new AppError('validation_failed', `auth.${field}: is required`, [
      { path: `auth.${field}`, message: 'is required' },
    ]);
  }
  if (auth.type === 'oauth2_client_credentials' && secret === undefined && existing && movesTokenUrl(existing, auth)) {
    // The stored secret was given for the old token endpoint: it goes to no other origin.
    throw new AppError(
      'validation_failed',
      'auth.client_secret: is required when the token URL moves to another origin',
      [{ path: 'auth.client_secret', message: 'is required when the token URL moves to another origin' }],
    );
  }
  return {
    auth_type: auth.type,
    auth_header_name: auth.type === 'api_key_header' ? auth.header : null,
    auth_username:
      auth.type === 'basic' ? auth.username : auth.type === 'oauth2_client_credentials' ? auth.client_id : null,
    auth_token_url: auth.type === 'oauth2_client_credentials' ? (auth.token_url ?? null) : null,
    auth_scope: auth.type === 'oauth2_client_credentials' ? (auth.scope ?? null) : null,
    auth_client_auth: auth.type === 'oauth2_client_credentials' ? (auth.client_auth ?? null) : null,
    ...(auth.type === 'none'
      ? { auth_secret_encrypted: null, auth_secret_hint: null }
      : secret !== undefined
        ? { auth_secret_encrypted: encryptSecret(keyring, secret), auth_secret_hint: maskSecret(secret) }
        : {}),
  };
}

function movesTokenUrl(existing: Source, auth: { token_url?: string }): boolean {
  const origin = (url: string | null | undefined) => (url && /^https?:/i.test(url) ? new URL(url).origin : null);
  return origin(auth.token_url) !== origin(existing.auth_token_url);
}

/** An absolute token URL is checked by the destination guard like base_url (a relative one follows base_url). */
function refuseBlockedTokenUrl(auth: AuthInput | AuthPatch | undefined) {
  if (auth?.type === 'oauth2_client_credentials' && auth.token_url && /^https?:/i.test(auth.token_url)) {
    refuseBlockedUrl('auth.token_url', auth.token_url);
  }
}

/**
 * A secret that signs the Standard Webhooks way must be one its libraries can read: `whsec_` and
 * base64 of 24 to 64 bytes. A legacy secret is any text (the receiver keys its HMAC with the text).
 */
function refuseSecretTheModeCannotUse(mode: SigningMode, secret: string | null, stored: boolean): void {
  if (mode !== 'standard' || !secret) return;
  const problem = standardSecretProblem(secret);
  if (!problem) return;
  const message = stored ? `the stored secret ${problem}: send a new signing_secret with signing_mode` : problem;
  throw new AppError('validation_failed', `signing_secret: ${message}`, [{ path: 'signing_secret', message }]);
}

function signingColumns(secret: string | null) {
  return secret
    ? { signing_secret_encrypted: encryptSecret(getKeyring(), secret), signing_secret_hint: maskSecret(secret) }
    : { signing_secret_encrypted: null, signing_secret_hint: null };
}

/**
 * Credentials follow their origin: when a PATCH moves a source to another scheme, host or port,
 * the stored auth secret, signing secret and credential-like custom headers were meant for the old
 * receiver, so they are dropped unless the same request sets them again.
 */
function credentialsToClear(before: Source, input: UpdateSourceInput) {
  const columns: {
    auth_secret_encrypted?: null;
    auth_secret_hint?: null;
    signing_secret_encrypted?: null;
    signing_secret_hint?: null;
    headers?: string;
  } = {};
  const cleared: string[] = [];
  if (input.base_url === undefined || new URL(input.base_url).origin === new URL(before.base_url).origin) {
    return { columns, cleared };
  }
  const auth = input.auth;
  const authSetAgain = auth !== undefined && (auth.type === 'none' || secretOf(auth) !== undefined);
  if (before.auth_secret_encrypted && !authSetAgain) {
    Object.assign(columns, { auth_secret_encrypted: null, auth_secret_hint: null });
    cleared.push('auth');
  }
  if (before.signing_secret_encrypted && input.signing_secret === undefined) {
    Object.assign(columns, { signing_secret_encrypted: null, signing_secret_hint: null });
    cleared.push('signing_secret');
  }
  const headers = before.headers ?? {};
  if (input.headers === undefined && Object.keys(headers).some((k) => SECRET_HEADER_NAME.test(k))) {
    columns.headers = JSON.stringify(
      Object.fromEntries(Object.entries(headers).filter(([k]) => !SECRET_HEADER_NAME.test(k))),
    );
    cleared.push('headers');
  }
  return { columns, cleared };
}

/**
 * The connector named by the input (or kept from the row) and the settings its schema accepts:
 * settings given are checked against the connector they will be used with, and a connector
 * change re-checks the stored settings too, so no source is saved with settings its connector refuses.
 */
function validatedSettings(connector: string, settings: Record<string, unknown>): Record<string, unknown> {
  const module = connectorModule(connector);
  const result = module.settings.safeParse(settings);
  if (result.success) return result.data as Record<string, unknown>;
  const details = result.error.issues.map((i) => ({
    path: ['settings', ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw new AppError(
    'validation_failed',
    details
      .slice(0, 5)
      .map((d) => `${d.path}: ${d.message}`)
      .join('; '),
    details,
  );
}

/**
 * A target mapping checked against the connector it will be used with (on create, on a PATCH that
 * sets it, and on a PATCH that changes the connector and keeps the stored one): every problem
 * named by its path, and nothing saved while there is one. `kept` says the mapping is the stored
 * one, so the message says how to drop it.
 */
function refuseUnfitTargetMapping(connector: string, mapping: unknown, kept: boolean): void {
  if (mapping === null || mapping === undefined) return;
  const module = connectorModule(connector);
  const parsed = targetMappingSchema.safeParse(mapping);
  const details = parsed.success
    ? checkTargetMapping(module, toFieldMapping(parsed.data))
    : parsed.error.issues.map((i) => ({
        path: ['target_mapping', ...i.path.map(String)].join('.'),
        message: i.message,
      }));
  if (details.length === 0) return;
  const summary = details
    .slice(0, 5)
    .map((d) => `${d.path}: ${d.message}`)
    .join('; ');
  throw new AppError(
    'validation_failed',
    kept
      ? `the stored target_mapping does not fit ${module.name} (send target_mapping: null for its default mapping, or a new one): ${summary}`
      : summary,
    details,
  );
}

/**
 * A named system (BambooHR, HiBob, Personio) takes only the auth type its API documents; our own
 * receivers take any, except OAuth2 without a token URL, which only a connector can supply.
 */
function refuseAuthTheConnectorCannotUse(connector: string, authType: string, tokenUrl: string | null) {
  const module = connectorModule(connector);
  const refuse = (path: string, message: string) => {
    throw new AppError('validation_failed', `${path}: ${message}`, [{ path, message }]);
  };
  if (module.auth.type !== 'per_source') {
    // A named system takes the auth its API documents, and nothing else.
    if (authType !== module.auth.type) refuse('auth.type', `${module.name} takes ${module.auth.type}`);
  } else if (authType === 'oauth2_client_credentials' && !tokenUrl) {
    refuse('auth.token_url', `is required: ${module.name} has no token endpoint of its own`);
  }
}

const tokenUrlOf = (auth: AuthInput | AuthPatch) =>
  auth.type === 'oauth2_client_credentials' ? (auth.token_url ?? null) : null;

/** Field names for the audit trail: what changed, never the secret values. */
/**
 * A named connector follows hires by default (what HR teams expect of it); our own receivers
 * (no target fields) keep the behaviour they had before sync on hire: only Sync or a schedule.
 */
function defaultSyncMode(connector: string): 'auto' | 'manual' {
  return (findConnectorModule(connector)?.targetFields.length ?? 0) > 0 ? 'auto' : 'manual';
}

function describeChanges(input: UpdateSourceInput): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (k === 'auth')
      changes.auth = {
        type: (v as AuthPatch).type,
        secret_changed: Object.keys(v as object).some((x) =>
          ['token', 'value', 'password', 'client_secret'].includes(x),
        ),
      };
    else if (k === 'signing_secret') changes.signing_secret = v === null ? 'removed' : 'changed';
    else if (k === 'headers') changes.headers = Object.keys(v as object);
    else changes[k] = v;
  }
  return changes;
}

/**
 * A named system's documented rate limit is the default of a new source (Personio 60, HiBob 50 a
 * minute), so that a source left at its defaults is not throttled by the vendor; a value given,
 * null (no limit) included, wins.
 */
function defaultRequestsPerMinute(input: CreateSourceInput): number | null {
  if (input.max_requests_per_minute !== undefined) return input.max_requests_per_minute;
  return connectorModule(input.connector).rateLimit.requestsPerMinute;
}

export async function listSources(db: Database, actor: Actor): Promise<PublicSource[]> {
  requireAdminReader(actor, 'sources');
  const rows = await listSourceRows(db);
  const pauses = await findSourcePauseStates(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toPublicSource(r, pauses.get(r.id) ?? null));
}

export async function getSourceOrThrow(db: Database, actor: Actor, id: string): Promise<PublicSource> {
  requireAdminReader(actor, 'sources');
  const row = await findSourceRow(db, id);
  if (!row) throw new AppError('source_not_found', 'source not found');
  return toPublicSource(row, (await findSourcePauseStates(db, [id])).get(id) ?? null);
}

export async function createSource(db: Database, actor: Actor, input: CreateSourceInput): Promise<PublicSource> {
  requireAdmin(actor);
  const settings = validatedSettings(input.connector, input.settings ?? {});
  refuseUnfitTargetMapping(input.connector, input.target_mapping, false);
  refuseAuthTheConnectorCannotUse(input.connector, input.auth.type, tokenUrlOf(input.auth));
  refuseBlockedUrl('base_url', input.base_url);
  refuseBlockedTokenUrl(input.auth);
  refuseSecretTheModeCannotUse(input.signing_mode ?? 'standard', input.signing_secret ?? null, false);
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('sources')
        .values({
          name: input.name,
          connector: input.connector,
          settings: JSON.stringify(settings),
          base_url: input.base_url,
          sync_endpoint: input.sync_endpoint,
          http_method: input.method,
          ...authColumns(input.auth),
          ...signingColumns(input.signing_secret ?? null),
          signing_mode: input.signing_mode ?? 'standard',
          headers: JSON.stringify(input.headers),
          field_mapping: JSON.stringify(input.field_mapping),
          target_mapping: input.target_mapping ? JSON.stringify(input.target_mapping) : null,
          timeout_ms: input.timeout_ms,
          max_concurrency: input.max_concurrency,
          batch_size: input.batch_size ?? getEnv().SYNC_BATCH_SIZE,
          max_attempts: input.max_attempts,
          max_requests_per_minute: defaultRequestsPerMinute(input),
          is_active: input.is_active,
          sync_mode: input.sync_mode ?? defaultSyncMode(input.connector),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAuditEvent(trx, {
        actor,
        action: 'source.created',
        targetType: 'source',
        targetId: row.id,
        details: { name: row.name, connector: row.connector, base_url: row.base_url, auth_type: row.auth_type },
      });
      await notifySourceChanged(trx, row.id);
      return toPublicSource(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('name_taken', `a source named "${input.name}" already exists`);
    throw err;
  }
}

export async function updateSource(
  db: Database,
  actor: Actor,
  id: string,
  input: UpdateSourceInput,
): Promise<UpdatedSource> {
  requireAdmin(actor);
  refuseBlockedUrl('base_url', input.base_url);
  refuseBlockedTokenUrl(input.auth);
  try {
    return await db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('sources')
        .selectAll()
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw new AppError('source_not_found', 'source not found');
      refuseAuthTheConnectorCannotUse(
        input.connector ?? before.connector,
        input.auth?.type ?? before.auth_type,
        input.auth ? tokenUrlOf(input.auth) : before.auth_token_url,
      );
      if (input.target_mapping !== undefined) {
        refuseUnfitTargetMapping(input.connector ?? before.connector, input.target_mapping, false);
      } else if (input.connector !== undefined && input.connector !== before.connector) {
        refuseUnfitTargetMapping(input.connector, before.target_mapping, true);
      }
      const settings =
        input.connector !== undefined || input.settings !== undefined
          ? validatedSettings(input.connector ?? before.connector, input.settings ?? before.settings ?? {})
          : undefined;
      const { columns: clearedColumns, cleared } = credentialsToClear(before, input);
      if (input.signing_secret !== undefined) {
        refuseSecretTheModeCannotUse(input.signing_mode ?? before.signing_mode, input.signing_secret, false);
      } else if (
        input.signing_mode !== undefined &&
        before.signing_secret_encrypted &&
        !cleared.includes('signing_secret')
      ) {
        const stored = decryptSecret(getKeyring(), before.signing_secret_encrypted);
        refuseSecretTheModeCannotUse(input.signing_mode, stored, true);
      }
      const row = await trx
        .updateTable('sources')
        .set({
          name: input.name,
          connector: input.connector,
          settings: settings ? JSON.stringify(settings) : undefined,
          base_url: input.base_url,
          sync_endpoint: input.sync_endpoint,
          http_method: input.method,
          ...(input.auth ? authColumns(input.auth, before) : {}),
          ...(input.signing_secret !== undefined ? signingColumns(input.signing_secret) : {}),
          signing_mode: input.signing_mode,
          headers: input.headers ? JSON.stringify(input.headers) : undefined,
          field_mapping: input.field_mapping ? JSON.stringify(input.field_mapping) : undefined,
          target_mapping:
            input.target_mapping === undefined
              ? undefined
              : input.target_mapping === null
                ? null
                : JSON.stringify(input.target_mapping),
          timeout_ms: input.timeout_ms,
          max_concurrency: input.max_concurrency,
          batch_size: input.batch_size,
          max_attempts: input.max_attempts,
          max_requests_per_minute: input.max_requests_per_minute,
          is_active: input.is_active,
          sync_mode: input.sync_mode,
          ...clearedColumns,
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const action =
        input.is_active === false && before.is_active
          ? 'source.deactivated'
          : input.is_active === true && !before.is_active
            ? 'source.activated'
            : 'source.updated';
      await recordAuditEvent(trx, {
        actor,
        action,
        targetType: 'source',
        targetId: id,
        details: {
          name: row.name,
          changes: describeChanges(input),
          ...(cleared.length ? { credentials_cleared: true, cleared } : {}),
        },
      });
      await notifySourceChanged(trx, id);
      const pause = (await findSourcePauseStates(trx, [id])).get(id) ?? null;
      return { ...toPublicSource(row, pause), credentials_cleared: cleared.length > 0 };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('name_taken', `a source named "${input.name}" already exists`);
    throw err;
  }
}

/** Deleting keeps the row (deliveries refer to it) but hides it and stops all syncing to it. */
export async function deleteSource(db: Database, actor: Actor, id: string): Promise<{ id: string; deleted: true }> {
  requireAdmin(actor);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('sources')
      .set({ deleted_at: new Date(), is_active: false, updated_at: new Date() })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .returning(['id', 'name'])
      .executeTakeFirst();
    if (!row) throw new AppError('source_not_found', 'source not found');
    await recordAuditEvent(trx, {
      actor,
      action: 'source.deleted',
      targetType: 'source',
      targetId: id,
      details: { name: row.name },
    });
    await notifySourceChanged(trx, id);
    return { id, deleted: true as const };
  });
}

/** Decrypts a source for sending; the result lives in memory only and is never logged. */
export function toSourceConfig(s: Source): SourceConfig {
  const keyring = getKeyring();
  return {
    id: s.id,
    name: s.name,
    connector: s.connector,
    baseUrl: s.base_url,
    syncEndpoint: s.sync_endpoint,
    httpMethod: s.http_method,
    authType: s.auth_type,
    authHeaderName: s.auth_header_name,
    authUsername: s.auth_username,
    authTokenUrl: s.auth_token_url,
    authScope: s.auth_scope,
    authClientAuth: s.auth_client_auth,
    authSecret: s.auth_secret_encrypted ? decryptSecret(keyring, s.auth_secret_encrypted) : null,
    signingSecret: s.signing_secret_encrypted ? decryptSecret(keyring, s.signing_secret_encrypted) : null,
    signingMode: s.signing_mode,
    headers: s.headers ?? {},
    fieldMapping: s.field_mapping ?? {},
    targetMapping: s.target_mapping ?? null,
    settings: s.settings ?? {},
    timeoutMs: s.timeout_ms,
    maxConcurrency: s.max_concurrency,
    batchSize: s.batch_size,
    maxAttempts: s.max_attempts,
    maxRequestsPerMinute: s.max_requests_per_minute,
    updatedAt: s.updated_at.toISOString(),
  };
}

export async function loadSourceConfigs(db: Database, ids: string[]): Promise<SourceConfig[]> {
  return (await findSourceRowsByIds(db, ids)).map(toSourceConfig);
}

/** Runs the connector's connection test (a signed ping for our own receivers) and records the source's health. */
export async function testSource(db: Database, actor: Actor, id: string): Promise<TestResult> {
  requireAdmin(actor);
  const row = await findSourceRow(db, id);
  if (!row) throw new AppError('source_not_found', 'source not found');
  const source = toSourceConfig(row);
  const module = connectorModule(source.connector);
  const parsed = sourceSettings(module, source);
  if (!parsed.ok)
    throw new AppError('validation_failed', parsed.message, [{ path: 'settings', message: parsed.message }]);
  const request = module.connectionTest.request({ source, settings: parsed.settings, now: new Date() });
  let result: HttpResult;
  try {
    result = await sourceAuthorizer(db).send(
      source,
      oauth2Of(module, source),
      withConnectorAuth(module, source, request),
      {
        connectionTest: true,
      },
    );
  } catch (err) {
    if (!(err instanceof OAuth2TokenError)) throw err;
    // No token, so no request to the target: the token endpoint's own words (never the secret).
    const code = tokenErrorCode(err);
    const status: SourceHealth = code === 'auth_failed' ? 'auth_failed' : 'unreachable';
    const errorCode = code === 'destination_blocked' ? 'destination_blocked' : 'connection_failed';
    result = { ok: false, errorCode, message: err.message, durationMs: 0 };
    return finishTest(db, actor, row, source, module, result, { status, message: err.message });
  }
  return finishTest(db, actor, row, source, module, result, null);
}

/** One authorizer per web process: OAuth2 tokens for connection tests, shared with the workers through the database. */
let webAuthorizer: SourceAuthorizer | null = null;
function sourceAuthorizer(db: Database): SourceAuthorizer {
  webAuthorizer ??= createSourceAuthorizer({ db, keyring: getKeyring(), log: getLogger() });
  return webAuthorizer;
}

async function finishTest(
  db: Database,
  actor: Actor,
  row: Source,
  source: SourceConfig,
  module: AnyConnectorModule,
  result: HttpResult,
  tokenError: { status: SourceHealth; message: string } | null,
): Promise<TestResult> {
  const id = row.id;
  const httpStatus = result.ok ? result.status : null;
  const status = tokenError?.status ?? healthOfAnswer(httpStatus, result.ok ? null : result.errorCode);
  const explained = status === 'healthy' ? null : (tokenError?.message ?? module.connectionTest.explain(result));
  const error =
    status === 'healthy'
      ? null
      : explained
        ? sourceRedactor(source).excerpt(explained, 300)
        : result.ok
          ? `HTTP ${result.status}${result.body ? `: ${sourceRedactor(source).excerpt(result.body, 200)}` : ''}`
          : result.message;
  await recordSourceHealth(db, id, { status, error, success: status === 'healthy' });
  await recordAuditEvent(db, {
    actor,
    action: 'source.tested',
    targetType: 'source',
    targetId: id,
    details: { name: row.name, status, http_status: httpStatus },
  });
  const blocked = !result.ok && result.errorCode === 'destination_blocked';
  return {
    ok: status === 'healthy',
    status,
    http_status: httpStatus,
    // Nothing about a blocked target is echoed: not even how long a lookup of it took.
    latency_ms: blocked ? null : result.durationMs,
    error,
    error_code: result.ok ? null : result.errorCode,
  };
}
