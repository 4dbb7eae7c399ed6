import { createHash } from 'node:crypto';
import { signatureHeaders } from '@/lib/http/webhook-signing';
import { UNSAFE_KEYS } from '@/lib/security/hostile-input';
import type { DeliveryItem, OutboundRequest, SourceConfig } from './connectors/types';

export const USER_AGENT = 'ATS-Sync/1.0 (+candidate.hired)';

/** The candidate.hired data object, before the source's field mapping. */
export function buildDataObject(item: DeliveryItem): Record<string, unknown> {
  return {
    candidate: {
      id: item.candidate.id,
      first_name: item.candidate.first_name,
      last_name: item.candidate.last_name,
      email: item.candidate.email,
      phone: item.candidate.phone,
      // In the content hash: a changed start date sends `candidate.updated`, which must show it.
      start_date: item.candidate.start_date,
    },
    application: { status: 'hired', hired_at: item.candidate.hired_at },
    job: {
      id: item.job.id,
      slug: item.job.slug,
      title: item.job.title,
      department: item.job.department,
      location: item.job.location,
      employment_type: item.job.employment_type,
    },
  };
}

/**
 * Field mapping: `{"candidate.phone": null}` omits a field, `{"candidate.email": "email_address"}`
 * renames it in place (same parent object). Unknown paths are ignored, and so are paths or names
 * with `__proto__`, `prototype` or `constructor`: the API refuses them, but a row written another
 * way must not reach Object.prototype from inside the worker.
 */
export function applyFieldMapping(
  data: Record<string, unknown>,
  mapping: Record<string, string | null>,
): Record<string, unknown> {
  const entries = Object.entries(mapping);
  // No mapping (the usual case): the object is the caller's fresh one, nothing to copy.
  if (entries.length === 0) return data;
  const out = structuredClone(data);
  for (const [path, target] of entries) {
    if (target !== null && typeof target !== 'string') continue;
    const parts = path.split('.');
    if (parts.some((p) => UNSAFE_KEYS.has(p)) || (target && UNSAFE_KEYS.has(target))) continue;
    const key = parts.pop()!;
    let parent: unknown = out;
    // Own properties only: an inherited name is never part of the payload.
    for (const p of parts) parent = isRecord(parent) && Object.hasOwn(parent, p) ? parent[p] : undefined;
    if (!isRecord(parent) || !Object.hasOwn(parent, key)) continue;
    const value = parent[key];
    delete parent[key];
    if (target) parent[target] = value;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

/**
 * The credentials of a source as headers, added by the engine to every request a connector builds
 * (connectors never see them). With a connector's `basicPassword` (BambooHR: the API key is the
 * user, the password anything), the stored secret is the Basic user and that text the password.
 */
export function authHeaders(source: SourceConfig, basicPassword?: string): Record<string, string> {
  switch (source.authType) {
    case 'bearer':
      return source.authSecret ? { authorization: `Bearer ${source.authSecret}` } : {};
    case 'api_key_header':
      return source.authSecret && source.authHeaderName
        ? { [source.authHeaderName.toLowerCase()]: source.authSecret }
        : {};
    case 'basic': {
      const pair =
        basicPassword !== undefined
          ? `${source.authSecret ?? ''}:${basicPassword}`
          : `${source.authUsername ?? ''}:${source.authSecret ?? ''}`;
      return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
    }
    default:
      return {};
  }
}

/** A connector's request with the source's credentials added; they win over any header the connector set. */
export function withAuth(request: OutboundRequest, source: SourceConfig, basicPassword?: string): OutboundRequest {
  if (source.authType === 'none') return request;
  return { ...request, headers: { ...request.headers, ...authHeaders(source, basicPassword) } };
}

/**
 * Headers every request of the two envelope connectors carries (credentials come later, from
 * withAuth); custom headers first so they cannot override ours.
 */
export function commonHeaders(
  source: SourceConfig,
  body: string,
  ids: { idempotencyKey: string; deliveryId: string },
  now: Date,
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(source.headers)) {
    // Only a row written past the API can hold it; assigned, it would replace the prototype.
    if (k !== '__proto__') headers[k.toLowerCase()] = v;
  }
  Object.assign(headers, {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'idempotency-key': ids.idempotencyKey,
    'x-ats-delivery-id': ids.deliveryId,
    'x-ats-event': 'candidate.hired',
    'x-ats-timestamp': String(timestamp),
  });
  // webhook-id is the delivery: the same on every retry, as Standard Webhooks asks of it.
  const secrets = source.signingSecret ? [source.signingSecret] : [];
  Object.assign(headers, signatureHeaders(source.signingMode, secrets, { id: ids.deliveryId, timestamp, body }));
  return headers;
}

export function joinUrl(baseUrl: string, endpoint: string): string {
  if (!endpoint) return baseUrl;
  return `${baseUrl.replace(/\/+$/, '')}/${endpoint.replace(/^\/+/, '')}`;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Custom header names that carry credentials: their values are write-only like the auth secret. */
export const SECRET_HEADER_NAME = /auth|token|key|secret|signature|cookie|pass/i;
