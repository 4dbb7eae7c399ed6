import { randomUUID } from 'node:crypto';
import { type HttpResult, type OutboundRequest, sendRequest } from '@/lib/http/outbound-client';
import type {
  ActionItem,
  ConnectorAction,
  ConnectorAuth,
  ConnectorModule,
  RequestContext,
  TargetRecord,
} from '@/lib/sync/connectors/contract';
import type { DeliveryItem, Outcome, SourceConfig } from '@/lib/sync/connectors/types';

/**
 * Drives a connector module the way the delivery engine will: the module builds the request, the
 * credentials are added from its auth declaration, the one outbound client sends it, the module
 * reads the answer. For the vendor modules' tests against their local fakes.
 */

export function connectorSource(
  connector: string,
  baseUrl: string,
  credentials: { username?: string | null; secret?: string | null },
): SourceConfig {
  // Built untyped, then returned as a SourceConfig: the registry branch adds `settings` to the type.
  const source = {
    id: randomUUID(),
    name: `${connector} (test)`,
    connector: connector as SourceConfig['connector'],
    baseUrl,
    syncEndpoint: '',
    httpMethod: 'POST' as const,
    authType: 'basic' as const,
    authHeaderName: null,
    authUsername: credentials.username ?? null,
    authTokenUrl: null,
    authScope: null,
    authClientAuth: null,
    authSecret: credentials.secret ?? null,
    signingSecret: null,
    signingMode: 'standard' as const,
    headers: {},
    fieldMapping: {},
    settings: {},
    timeoutMs: 10_000,
    maxConcurrency: 2,
    batchSize: 1,
    maxAttempts: 3,
    maxRequestsPerMinute: null,
    updatedAt: new Date(0).toISOString(),
  };
  return source;
}

/**
 * The Authorization a source's stored credentials give under a module's declaration. With a fixed
 * `basicPassword` (BambooHR: the API key is the user, any password), the one credential field is
 * the Basic user whichever column stores it; otherwise user = auth_username, password = auth_secret.
 */
export function authHeadersFor(auth: ConnectorAuth, source: SourceConfig): Record<string, string> {
  if (auth.type !== 'basic') throw new Error(`auth ${auth.type} is not driven by this harness`);
  const stored = (column: 'auth_username' | 'auth_secret') =>
    (column === 'auth_username' ? source.authUsername : source.authSecret) ?? '';
  const [user, password] =
    auth.basicPassword !== undefined
      ? [stored(auth.fields[0].stores), auth.basicPassword]
      : [source.authUsername ?? '', source.authSecret ?? ''];
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

export function deliveryItem(overrides: Partial<DeliveryItem['candidate']> = {}): DeliveryItem {
  const id = randomUUID();
  // Untyped first, like connectorSource: start_date and employment_type arrive with the registry branch.
  const item = {
    deliveryId: randomUUID(),
    idempotencyKey: `key-${id}`,
    attempt: 1,
    candidate: {
      id,
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.com',
      phone: null,
      hired_at: '2026-12-01T10:00:00.000Z',
      start_date: '2027-01-04',
      ...overrides,
    },
    job: {
      id: randomUUID(),
      slug: 'backend-engineer',
      title: 'Backend Engineer',
      department: 'Engineering',
      location: 'Berlin',
      employment_type: 'full_time',
    },
  };
  return item;
}

/** A target record as the mapping evaluator hands it over: no prototype, keys from the target. */
export function targetRecord(values: Record<string, TargetRecord[string]>): TargetRecord {
  return Object.assign(Object.create(null) as TargetRecord, values);
}

export function actionItem(record: TargetRecord, externalId: string | null = null): ActionItem {
  return { item: deliveryItem(), record, externalId };
}

export type Exchange = { request: OutboundRequest; result: HttpResult; outcomes: Outcome[] };

export async function exchange<S>(
  module: ConnectorModule<S>,
  action: ConnectorAction,
  ctx: RequestContext<S>,
  items: readonly ActionItem[],
): Promise<Exchange> {
  const built = module.buildRequest(action, ctx, items);
  const request = { ...built, headers: { ...built.headers, ...authHeadersFor(module.auth, ctx.source) } };
  const result = await sendRequest(ctx.source, request);
  return { request, result, outcomes: module.interpret(action, ctx, items, result) };
}

/** An HTTP answer as the outbound client returns it, for the modules' unit tests. */
export function answer(status: number, headers: Record<string, string> = {}, body = ''): HttpResult {
  return { ok: true, status, headers, body, durationMs: 3 };
}

/** The connection test as the source form will run it: the module's read, with credentials, explained. */
export async function runConnectionTest<S>(module: ConnectorModule<S>, ctx: RequestContext<S>): Promise<string | null> {
  const built = module.connectionTest.request(ctx);
  const request = { ...built, headers: { ...built.headers, ...authHeadersFor(module.auth, ctx.source) } };
  return module.connectionTest.explain(await sendRequest(ctx.source, request));
}
