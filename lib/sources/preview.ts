import type { Database } from '@/db/client';
import type { Source } from '@/db/types';
import { type Actor, requireAdminReader } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { withBearerToken } from '@/lib/http/oauth2-client-credentials';
import { oauth2SettingsOf } from '@/lib/sync/connectors/authorize';
import type { FieldMapping } from '@/lib/sync/connectors/contract';
import { issuesText } from '@/lib/sync/connectors/per-source-version';
import { type AnyConnectorModule, connectorModule } from '@/lib/sync/connectors/registry';
import type { DeliveryItem, OutboundRequest, SourceConfig } from '@/lib/sync/connectors/types';
import { buildActionRequest, deliveryItemOf, missingFieldMessage, renderCandidate } from '@/lib/sync/delivery/send';
import { SECRET_HEADER_NAME } from '@/lib/sync/payload';
import { checkTargetMapping, targetMappingSchema, toFieldMapping } from '@/lib/sync/target-mapping';
import { findHire, findSourceRow, type HireRow, listRecentHires } from './repository';
import type { PreviewSourceInput, SourcePreview } from './schemas';

/**
 * The source form's live preview (issue 20, item 6): one real hired candidate rendered into the
 * create request the target would get, by the engine's own steps (the source's rules, the
 * connector's buildRequest, the engine's credentials and OAuth2 token step: lib/sync/delivery/send.ts).
 * Nothing is sent and nothing is written.
 *
 * No real credential is ever used: the request is built twice, each time with a different
 * stand-in for every secret (auth secret, signing secret, OAuth2 token, credential-like custom
 * headers). A stored secret only says that its header exists. A header whose value differs between
 * the two builds depends on a secret and is shown masked, the scheme kept ("Basic ••••••"), so a
 * signature or a header a future connector derives from a secret is masked without being listed.
 */

export const PREVIEW_MASK = '••••••';
const HIRES_LISTED = 20;
const STAND_INS = ['preview-stand-in-credential-a0000', 'preview-stand-in-credential-b1111'] as const;

const SECRET_FIELD = {
  bearer: 'token',
  api_key_header: 'value',
  basic: 'password',
  oauth2_client_credentials: 'client_secret',
} as const;

type Problem = { path: string; message: string };
type PreviewAuth = NonNullable<PreviewSourceInput['auth']>;

export async function previewSource(db: Database, actor: Actor, input: PreviewSourceInput): Promise<SourcePreview> {
  requireAdminReader(actor, 'source previews');
  const stored = input.source_id ? await findSourceRow(db, input.source_id) : undefined;
  if (input.source_id && !stored) throw new AppError('source_not_found', 'source not found');
  const module = connectorModule(input.connector ?? stored?.connector ?? 'generic_webhook');
  const [recent, picked] = await Promise.all([
    listRecentHires(db, HIRES_LISTED),
    input.candidate_id ? findHire(db, input.candidate_id) : undefined,
  ]);
  if (input.candidate_id && !picked) {
    throw new AppError('candidate_not_found', 'candidate_id: no hired candidate with this id', [
      { path: 'candidate_id', message: 'must be a hired candidate' },
    ]);
  }
  const hire = picked ?? recent[0];
  const empty = { request: null, missing_required: [], problems: [] };
  if (!hire) {
    return { candidate: null, candidates: [], ...empty, notice: 'Hire a candidate to see a preview.' };
  }

  const problems: Problem[] = [];
  const auth = authOf(input, stored, module);
  const secretTyped = secretOf(auth);
  if (auth.type !== 'none' && !secretTyped && !(stored?.auth_type === auth.type && stored.auth_secret_encrypted)) {
    const path = `auth.${SECRET_FIELD[auth.type]}`;
    problems.push({ path, message: 'is required' });
  }

  const settingsInput = input.settings ?? stored?.settings ?? {};
  const settingsCheck = module.settings.safeParse(settingsInput);
  if (!settingsCheck.success) {
    problems.push(
      ...settingsCheck.error.issues.map((i) => ({
        path: ['settings', ...i.path.map(String)].join('.'),
        message: i.message,
      })),
    );
  }

  const rules = rulesOf(
    module,
    input.target_mapping !== undefined ? input.target_mapping : stored?.target_mapping,
    problems,
  );
  const item = deliveryItem(hire);
  const { record, missing } = renderCandidate(module, rules, item);
  const labels = new Map(module.targetFields.map((f) => [f.key, f.label]));
  const missingRequired = missing.map((field) => {
    const rule = Object.hasOwn(rules, field) ? rules[field] : undefined;
    return { field, label: labels.get(field) ?? field, from: rule && 'from' in rule ? rule.from : null };
  });
  if (missing.length > 0) problems.push({ path: 'candidate', message: missingFieldMessage(module, rules, missing) });

  let request: SourcePreview['request'] = null;
  if (settingsCheck.success) {
    const baseUrl = baseUrlOf(input, stored, module, settingsCheck.data);
    if (!baseUrl) problems.push({ path: 'base_url', message: 'is required' });
    const ready = [{ item, record, externalId: null }];
    const now = new Date();
    const sources = STAND_INS.map((standIn) =>
      configOf(input, stored, module, auth, baseUrl ?? '', settingsInput, standIn),
    );
    // The engine adds a token only when the source's OAuth2 settings are complete.
    const withToken = auth.type === 'oauth2_client_credentials' && oauth2Of(module, sources[0]) !== null;
    if (auth.type === 'oauth2_client_credentials' && !withToken) {
      problems.push({
        path: 'auth.token_url',
        message: `is required: ${module.name} has no token endpoint of its own`,
      });
    }
    try {
      const [a, b] = sources.map((source, i) => {
        const built = buildActionRequest(module, source, settingsCheck.data, 'create', ready, now).request;
        return withToken ? withBearerToken(built, STAND_INS[i]) : built;
      });
      request = masked(a, b);
    } catch (err) {
      // A connector refuses what it cannot build (a setting its schema let through): said, not thrown.
      problems.push({ path: 'request', message: err instanceof Error ? err.message : String(err) });
    }
  }

  return {
    candidate: summary(hire),
    candidates: recent.map(summary),
    request,
    missing_required: missingRequired,
    problems,
    notice: null,
  };
}

function summary(h: HireRow): SourcePreview['candidates'][number] {
  return {
    id: h.id,
    name: `${h.first_name} ${h.last_name}`.trim(),
    posting: h.title,
    hired_at: h.hired_at ? new Date(h.hired_at).toISOString() : null,
  };
}

/** A hire as the engine's delivery item; the ids a real delivery gets do not exist yet, and say so. */
function deliveryItem(h: HireRow): DeliveryItem {
  return deliveryItemOf(
    { deliveryId: '<delivery-id>', idempotencyKey: '<idempotency-key>', attempt: 1, candidateId: h.id },
    h,
  );
}

/** The rules the engine would render with: the given or stored mapping, else the connector's default; misfits become problems. */
function rulesOf(module: AnyConnectorModule, mapping: unknown, problems: Problem[]): FieldMapping {
  if (mapping === null || mapping === undefined) return module.defaultMapping;
  const parsed = targetMappingSchema.safeParse(mapping);
  if (!parsed.success) {
    problems.push({ path: 'target_mapping', message: issuesText('target_mapping', parsed.error.issues) });
    return module.defaultMapping;
  }
  const rules = toFieldMapping(parsed.data);
  problems.push(...checkTargetMapping(module, rules));
  return rules;
}

/** The auth the source would send with: the form's, else the stored one, else what the connector takes. */
function authOf(input: PreviewSourceInput, stored: Source | undefined, module: AnyConnectorModule): PreviewAuth {
  if (input.auth) return input.auth;
  if (stored) {
    return {
      type: stored.auth_type,
      header: stored.auth_header_name ?? undefined,
      username: stored.auth_username ?? undefined,
      client_id: stored.auth_username ?? undefined,
      token_url: stored.auth_token_url ?? undefined,
      scope: stored.auth_scope ?? undefined,
      client_auth: stored.auth_client_auth ?? undefined,
    };
  }
  return { type: module.auth.type === 'per_source' ? 'none' : module.auth.type };
}

function secretOf(auth: PreviewAuth): string | undefined {
  if (auth.type === 'none') return undefined;
  return auth[SECRET_FIELD[auth.type]] || undefined;
}

function baseUrlOf(
  input: PreviewSourceInput,
  stored: Source | undefined,
  module: AnyConnectorModule,
  settings: unknown,
): string | null {
  const given = input.base_url ?? stored?.base_url;
  if (given) return given;
  try {
    return module.defaultBaseUrl(settings) || null;
  } catch {
    return null;
  }
}

/** The source as the engine would load it, with `standIn` in place of every secret it has. */
function configOf(
  input: PreviewSourceInput,
  stored: Source | undefined,
  module: AnyConnectorModule,
  auth: PreviewAuth,
  baseUrl: string,
  settings: Record<string, unknown>,
  standIn: string,
): SourceConfig {
  const signing =
    input.signing_secret === null
      ? false
      : input.signing_secret
        ? true
        : input.signing_secret === undefined && !!stored?.signing_secret_encrypted;
  const headers: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(input.headers ?? stored?.headers ?? {})) {
    headers[name] = SECRET_HEADER_NAME.test(name) ? standIn : value;
  }
  const oauth2 = auth.type === 'oauth2_client_credentials';
  return {
    id: stored?.id ?? 'preview',
    name: input.name ?? stored?.name ?? 'Preview',
    connector: module.id,
    baseUrl,
    syncEndpoint: input.sync_endpoint ?? stored?.sync_endpoint ?? '',
    httpMethod: input.method ?? stored?.http_method ?? 'POST',
    authType: auth.type,
    authHeaderName: auth.type === 'api_key_header' ? (auth.header ?? 'X-Api-Key') : null,
    authUsername: (oauth2 ? auth.client_id : auth.username) ?? null,
    authTokenUrl: oauth2 ? (auth.token_url ?? null) : null,
    authScope: oauth2 ? (auth.scope ?? null) : null,
    authClientAuth: oauth2 ? (auth.client_auth ?? null) : null,
    authSecret: auth.type === 'none' ? null : standIn,
    signingSecret: signing ? standIn : null,
    signingMode: input.signing_mode ?? stored?.signing_mode ?? 'standard',
    headers,
    fieldMapping: input.field_mapping ?? stored?.field_mapping ?? {},
    targetMapping: input.target_mapping !== undefined ? input.target_mapping : (stored?.target_mapping ?? null),
    settings,
    timeoutMs: input.timeout_ms ?? stored?.timeout_ms ?? 30_000,
    maxConcurrency: input.max_concurrency ?? stored?.max_concurrency ?? 8,
    batchSize: input.batch_size ?? stored?.batch_size ?? 10,
    maxAttempts: input.max_attempts ?? stored?.max_attempts ?? 3,
    maxRequestsPerMinute: input.max_requests_per_minute ?? stored?.max_requests_per_minute ?? null,
    updatedAt: new Date().toISOString(),
  };
}

/** As the engine decides whether to add a token (authorize.ts oauth2Of), without its per-source cache. */
function oauth2Of(module: AnyConnectorModule, source: SourceConfig) {
  return oauth2SettingsOf(module.auth, {
    token_url: source.authTokenUrl ?? undefined,
    scope: source.authScope ?? undefined,
    client_auth: source.authClientAuth ?? undefined,
  });
}

/** The request of build `a`, every part that differs from build `b` (a secret's doing) masked. */
function masked(a: OutboundRequest, b: OutboundRequest): NonNullable<SourcePreview['request']> {
  const headers: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(a.headers)) {
    if (value === b.headers[name]) {
      headers[name] = value;
      continue;
    }
    // "Basic ••••••", and a signature's version ("v1,••••••", "v1=••••••").
    const scheme = /^(?:[A-Za-z][\w-]* |v1[,=])/.exec(value)?.[0];
    headers[name] = scheme && b.headers[name]?.startsWith(scheme) ? `${scheme}${PREVIEW_MASK}` : PREVIEW_MASK;
  }
  const hide = (text: string) => STAND_INS.reduce((t, s) => t.replaceAll(s, PREVIEW_MASK), text);
  return { method: a.method, url: hide(a.url), headers, body: pretty(hide(a.body ?? '')) };
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
