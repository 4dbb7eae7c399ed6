import { maskEmail } from '@/lib/logger';
import { OAuth2TokenError, oauth2Of, tokenErrorOutcomes } from '../connectors/authorize';
import {
  type ActionItem,
  type ConnectorAction,
  type FieldMapping,
  RECORD_GONE,
  type RequestContext,
  type TargetRecord,
} from '../connectors/contract';
import { type AnyConnectorModule, sourceSettings, withConnectorAuth } from '../connectors/registry';
import type { DeliveryItem, OutboundRequest, Outcome, SourceConfig } from '../connectors/types';
import type { CandidateRecordRow, ClaimedRow, RecordedOutcome } from '../delivery-repository';
import type { EngineContext } from '../engine-context';
import { applyMapping, missingRequired } from '../mapping';
import { sha256Hex } from '../payload';
import { requestRecord } from '../redact-secrets';
import { sourceMapping } from '../target-mapping';

/** One delivery's outcome, ready to record. */
export type Settled = Outcome &
  RecordedOutcome & {
    runId: string;
    candidateId: string;
  };

/**
 * A candidate and its posting as a connector gets them. Shared with the source form's preview
 * (lib/sources/preview.ts), which renders a hire that has no delivery yet.
 */
export function deliveryItemOf(
  ids: { deliveryId: string; idempotencyKey: string; attempt: number; candidateId: string },
  row: CandidateRecordRow,
): DeliveryItem {
  return {
    deliveryId: ids.deliveryId,
    idempotencyKey: ids.idempotencyKey,
    attempt: ids.attempt,
    candidate: {
      id: ids.candidateId,
      first_name: row.first_name,
      last_name: row.last_name,
      email: row.email,
      phone: row.phone,
      hired_at: row.hired_at ? new Date(row.hired_at).toISOString() : null,
      start_date: row.start_date,
    },
    job: {
      id: row.job_id,
      slug: row.slug,
      title: row.title,
      department: row.department,
      location: row.location,
      employment_type: row.employment_type,
    },
  };
}

const toItem = (row: ClaimedRow): DeliveryItem =>
  deliveryItemOf(
    { deliveryId: row.id, idempotencyKey: row.idempotency_key, attempt: row.attempts, candidateId: row.candidate_id },
    row,
  );

/** An outcome decided before any request (none was sent). */
function answeredUnsent(
  item: DeliveryItem,
  outcome: Pick<Outcome, 'kind' | 'errorCode' | 'errorMessage' | 'externalId' | 'responseExcerpt'>,
): Outcome {
  return { deliveryId: item.deliveryId, httpStatus: null, retryAfterMs: null, durationMs: 0, ...outcome };
}

/** An attempt that ends before any request: nothing was sent, so nothing is retried either. */
function notSent(item: DeliveryItem, errorCode: string, errorMessage: string): Outcome {
  return answeredUnsent(item, { kind: 'failed', errorCode, errorMessage, externalId: null, responseExcerpt: null });
}

/**
 * The chunk as the connector gets it: each candidate rendered by the source's mapping (or the
 * connector's default), and
 * the candidates that cannot be sent (a required target field left empty, unusable settings)
 * answered at once instead.
 */
function prepare(
  module: AnyConnectorModule | undefined,
  source: SourceConfig,
  action: ConnectorAction,
  items: DeliveryItem[],
  rows: ClaimedRow[],
): { settings: unknown; ready: ActionItem[]; refused: Outcome[]; hashes: Map<string, string> | null } {
  const externalIds = rows.map((r) => r.external_id);
  // The whole chunk refused: nothing about the source lets any of it be sent.
  const refuseAll = (code: string, message: string) => ({
    settings: null,
    ready: [],
    refused: items.map((i) => notSent(i, code, message)),
    hashes: null,
  });
  if (!module)
    return refuseAll('unknown_connector', `the connector "${source.connector}" is not known to this version`);
  const parsed = sourceSettings(module, source);
  if (!parsed.ok) return refuseAll('invalid_settings', parsed.message);
  const mapping = sourceMapping(module, source);
  if (!mapping.ok) return refuseAll('invalid_mapping', mapping.message);
  const rules = mapping.rules;
  // The envelope connectors have no target fields: no record to build, nothing per delivery.
  if (module.targetFields.length === 0 && Object.keys(rules).length === 0) {
    return {
      settings: parsed.settings,
      ready: items.map((item, i) => ({ item, record: {}, externalId: externalIds[i] })),
      refused: [],
      hashes: null,
    };
  }
  const ready: ActionItem[] = [];
  const refused: Outcome[] = [];
  const hashes = new Map<string, string>();
  for (const [i, item] of items.entries()) {
    const { record, missing } = renderCandidate(module, rules, item, action);
    const hash = sha256Hex(JSON.stringify(record));
    hashes.set(item.deliveryId, hash);
    // The content changed, but not what this source's mapping makes of it: nothing to send.
    if (action === 'update' && rows[i].record_hash === hash) {
      refused.push(upToDate(item, externalIds[i]));
      continue;
    }
    if (missing.length === 0) ready.push({ item, record, externalId: externalIds[i] });
    else refused.push(notSent(item, 'missing_field', missingFieldMessage(module, rules, missing)));
  }
  return { settings: parsed.settings, ready, refused, hashes };
}

/** An update whose mapped record is what the target already holds: done, with no request. */
function upToDate(item: DeliveryItem, externalId: string | null): Outcome {
  return answeredUnsent(item, {
    kind: 'succeeded',
    errorCode: null,
    errorMessage: null,
    externalId,
    responseExcerpt: 'not sent: the record there already holds these values',
  });
}

/**
 * One candidate rendered by a source's rules, and the target fields the action requires that it
 * leaves empty. Shared with the source form's live preview (lib/sources/preview.ts, a create), so
 * the preview cannot drift from what is sent.
 */
export function renderCandidate(
  module: AnyConnectorModule,
  rules: FieldMapping,
  item: DeliveryItem,
  action: ConnectorAction = 'create',
): { record: TargetRecord; missing: string[] } {
  const { record } = applyMapping(rules, item);
  return { record, missing: missingRequired(module.targetFields, action, record) };
}

/** The per-delivery error of a candidate without a value for required fields: each named with the field of ours it comes from. */
export function missingFieldMessage(
  module: AnyConnectorModule,
  rules: FieldMapping,
  missing: readonly string[],
): string {
  const named = missing.map((key) => {
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    return rule && 'from' in rule ? `${key} (from ${rule.from})` : key;
  });
  return `${module.name} requires ${named.join(', ')}: the candidate has no value for it`;
}

/**
 * The request for an action on rendered candidates as the engine sends it: the connector's own
 * request with the source's credentials (an OAuth2 token is added when sending). Shared with the
 * preview (a create). Throws what the connector refuses to build (an update of a record whose id
 * was never learnt).
 */
export function buildActionRequest(
  module: AnyConnectorModule,
  source: SourceConfig,
  settings: unknown,
  action: ConnectorAction,
  ready: readonly ActionItem[],
  now: Date,
): { requestCtx: RequestContext<unknown>; request: OutboundRequest } {
  const requestCtx = { source, settings, now };
  return { requestCtx, request: withConnectorAuth(module, source, module.buildRequest(action, requestCtx, ready)) };
}

/** Backoff for attempt n (1-based): base × 2^(n-1), with jitter; Retry-After is honoured as given. */
export function retryDelayMs(attempt: number, baseSeconds: number, retryAfterMs: number | null): number {
  if (retryAfterMs !== null) return retryAfterMs + Math.floor(Math.random() * 250);
  const base = Math.max(baseSeconds, 0.2) * 1000 * 2 ** (attempt - 1);
  return Math.round(Math.min(base, 300_000) * (0.75 + Math.random() * 0.5));
}

type SentRequest = ReturnType<typeof requestRecord> & { body: string };

/**
 * One action's request for rendered candidates, sent, and what its answer means for each of them;
 * with the request as the task detail page shows it (null when none could be built).
 */
async function sendAction(
  ctx: EngineContext,
  source: SourceConfig,
  module: AnyConnectorModule,
  settings: unknown,
  action: ConnectorAction,
  ready: ActionItem[],
): Promise<{ outcomes: Outcome[]; sent: SentRequest | null }> {
  let built: ReturnType<typeof buildActionRequest>;
  try {
    // Built when a slot is free, so X-ATS-Timestamp is the moment of sending.
    built = buildActionRequest(module, source, settings, action, ready, new Date());
  } catch (err) {
    // An update or withdraw of a record whose target id was never learnt: nothing can be sent.
    const message = err instanceof Error ? err.message : String(err);
    return { outcomes: ready.map((r) => notSent(r.item, 'invalid_state', message)), sent: null };
  }
  const { requestCtx, request } = built;
  let outcomes: Outcome[];
  try {
    const result = await ctx.authorizer.send(source, oauth2Of(module, source), request);
    outcomes = module.interpret(action, requestCtx, ready, result);
  } catch (err) {
    // No token: the token endpoint refused the credentials (auth_failed) or could not answer (retried).
    if (!(err instanceof OAuth2TokenError)) throw err;
    outcomes = tokenErrorOutcomes(
      ready.map((r) => r.item),
      err,
    );
  }
  // Credentials out by value (on the values, before any serialising, so escaping cannot hide
  // them), then by header name.
  const body = ready.length === 1 ? request.body : `[batch of ${ready.length}]`;
  return { outcomes, sent: { ...requestRecord(source, request), body } };
}

/**
 * A rehire of a record the target no longer has (deleted there since the withdrawal): the hire is
 * sent as a create in the same attempt, so it reaches the target as a new record rather than
 * failing until someone notices. The outcome keeps the 404's reason in its excerpt.
 */
async function createWhereGone(
  ctx: EngineContext,
  source: SourceConfig,
  module: AnyConnectorModule,
  settings: unknown,
  ready: ActionItem[],
  outcomes: Outcome[],
  requests: Map<string, SentRequest>,
): Promise<Outcome[]> {
  const gone = new Map(outcomes.filter((o) => o.errorCode === RECORD_GONE).map((o) => [o.deliveryId, o]));
  if (gone.size === 0) return outcomes;
  const items = ready.filter((r) => gone.has(r.item.deliveryId)).map((r) => ({ ...r, externalId: null }));
  const created = await sendAction(ctx, source, module, settings, 'create', items);
  const byId = new Map(
    created.outcomes.map((o) => {
      const was = gone.get(o.deliveryId)!;
      const note = `${was.errorMessage ?? 'the record is gone'}; sent as a new record instead`;
      return [
        o.deliveryId,
        {
          ...o,
          durationMs: o.durationMs + was.durationMs,
          responseExcerpt: o.responseExcerpt ? `${note}. ${o.responseExcerpt}` : note,
          errorMessage: o.kind === 'succeeded' ? null : `${note}, which failed: ${o.errorMessage ?? ''}`,
        },
      ] as const;
    }),
  );
  if (created.sent) for (const r of items) requests.set(r.item.deliveryId, created.sent);
  return outcomes.map((o) => byId.get(o.deliveryId) ?? o);
}

/**
 * One request (one candidate, or a chunk for batch APIs) and what its answer means for each
 * candidate. A chunk is one action: rows of several (a batch connector's run that creates some
 * and updates others) are sent as one chunk per action.
 */
export async function sendChunk(
  ctx: EngineContext,
  source: SourceConfig,
  module: AnyConnectorModule | undefined,
  chunk: ClaimedRow[],
): Promise<Settled[]> {
  const action = chunk[0].action;
  if (chunk.some((r) => r.action !== action)) {
    const byAction = new Map<string, ClaimedRow[]>();
    for (const r of chunk) byAction.set(r.action, [...(byAction.get(r.action) ?? []), r]);
    return (await Promise.all([...byAction.values()].map((rows) => sendChunk(ctx, source, module, rows)))).flat();
  }
  const { settings, ready, refused, hashes } = prepare(module, source, action, chunk.map(toItem), chunk);
  let outcomes = refused;
  // What was sent, per delivery, for the task detail page.
  const requests = new Map<string, SentRequest>();
  if (module && ready.length > 0) {
    const first = await sendAction(ctx, source, module, settings, action, ready);
    outcomes = refused.length === 0 ? first.outcomes : [...first.outcomes, ...refused];
    if (first.sent) for (const r of ready) requests.set(r.item.deliveryId, first.sent);
    if (action === 'rehire') outcomes = await createWhereGone(ctx, source, module, settings, ready, outcomes, requests);
  }
  const rowsById = chunk.length === 1 ? null : new Map(chunk.map((r) => [r.id, r]));
  return outcomes.map((o) => {
    const row = rowsById ? rowsById.get(o.deliveryId)! : chunk[0];
    const attempt = row.attempts;
    const retry = o.kind === 'retry' && attempt < source.maxAttempts;
    const status = o.kind === 'succeeded' ? 'succeeded' : retry ? 'pending' : 'failed';
    const level = o.kind === 'succeeded' ? 'debug' : 'info';
    if (ctx.log.isLevelEnabled(level)) {
      ctx.log[level](
        {
          runId: row.run_id,
          deliveryId: row.id,
          sourceId: source.id,
          candidate: maskEmail(row.email),
          attempt,
          // The last attempt of a retryable failure is a failure: no retry follows.
          outcome: o.kind === 'succeeded' ? 'succeeded' : retry ? 'retry' : 'failed',
          httpStatus: o.httpStatus,
          errorCode: o.errorCode,
          ms: o.durationMs,
        },
        `delivery ${o.kind === 'succeeded' ? 'succeeded' : retry ? 'will be retried' : 'failed'}`,
      );
    }
    return {
      ...o,
      status,
      nextAttemptAt: retry ? new Date(Date.now() + retryDelayMs(attempt, ctx.retryDelaySeconds, o.retryAfterMs)) : null,
      attempt,
      recordHash: status === 'succeeded' ? (hashes?.get(o.deliveryId) ?? null) : null,
      runId: row.run_id,
      candidateId: row.candidate_id,
      // A candidate answered before sending (refused, or already up to date) has no request to show.
      request: requests.get(o.deliveryId) ?? null,
    };
  });
}
