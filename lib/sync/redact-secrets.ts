import { REDACTED, redactSecrets, scrubString } from '@/lib/logger';
import type { SourceConfig } from './connectors/types';
import { SECRET_HEADER_NAME } from './payload';

/**
 * Shorter secrets are not searched for in text: a 1-3 character string occurs in ordinary answers,
 * and blanking every occurrence would both mangle the answer and point at the secret. Such values
 * are still hidden wherever their header name or key says they are secret.
 */
const MIN_REDACTED_SECRET_LENGTH = 4;
const TRUNCATED = '… [truncated]';

export type SecretRedactor = {
  /** Every secret, in every form a receiver may echo it, replaced in free text. */
  text(text: string): string;
  /** Deep copy with the secrets replaced inside every string, done before anything serialises it. */
  value(value: unknown): unknown;
  /**
   * What we store or show of an external answer: redacted first, then cut to about `limit`
   * characters (with no start of a secret left at the end), then made storable; null for an empty
   * answer.
   */
  excerpt(text: string, limit: number): string | null;
};

// A receiver echoes what it got: raw, inside JSON (once or twice escaped; some encoders also
// escape "/" or everything outside ASCII), URL-encoded, or in an HTML page.
function formsOf(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const uri = encodeURIComponent(secret);
  const html = secret
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
  const ascii = json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [
    secret,
    json,
    JSON.stringify(json).slice(1, -1),
    json.replaceAll('/', '\\/'),
    ascii,
    ascii.replaceAll('/', '\\/'),
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    new URLSearchParams({ s: secret }).toString().slice(2),
    html,
    html.replaceAll('&#39;', '&#x27;'),
  ];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function secretRedactor(secrets: readonly (string | null | undefined)[]): SecretRedactor {
  const forms = [
    ...new Set(secrets.flatMap((s) => (s && s.length >= MIN_REDACTED_SECRET_LENGTH ? formsOf(s) : []))),
  ].sort((a, b) => b.length - a.length);
  // One pass over the text for all forms; longest first, so a form wins over any form it contains.
  const pattern = forms.length ? new RegExp(forms.map(escapeRegExp).join('|'), 'g') : null;
  const text = (t: string) => (pattern ? t.replace(pattern, REDACTED) : t);

  const value = (v: unknown, depth = 0): unknown => {
    if (typeof v === 'string') return text(v);
    if (!pattern || !v || typeof v !== 'object') return v;
    if (depth > 16) return '[depth]';
    if (Array.isArray(v)) return v.map((x) => value(x, depth + 1));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x, depth + 1)]));
  };

  // The cut, ours or one the answer already had when it reached us, may fall inside a secret.
  const withoutSecretStartAtEnd = (t: string) => {
    let cut = t.length;
    for (const form of forms) {
      // Earliest start first: the longest piece of the secret goes.
      for (let i = Math.max(0, t.length - form.length + 1); i <= t.length - MIN_REDACTED_SECRET_LENGTH; i++) {
        if (i < cut && t.charCodeAt(i) === form.charCodeAt(0) && form.startsWith(t.slice(i))) {
          cut = i;
          break;
        }
      }
    }
    return cut === t.length ? t : t.slice(0, cut) + REDACTED;
  };

  return {
    text,
    value: (v) => value(v),
    excerpt(t, limit) {
      if (!t) return null;
      const clean = scrubString(text(t));
      if (clean.length <= limit) return storableText(withoutSecretStartAtEnd(clean));
      // A marker the cut falls into is kept whole: "[reda" would look like damage, not redaction.
      const marker = clean.lastIndexOf(REDACTED, limit - 1);
      const end = marker >= 0 && marker + REDACTED.length > limit ? marker + REDACTED.length : limit;
      return storableText(withoutSecretStartAtEnd(clean.slice(0, end)) + TRUNCATED);
    },
  };
}

/**
 * OAuth2 access tokens (issue 20, item 3) a source currently sends. They change while the source's
 * config object stays the same, so they are kept by source id, with a version that tells the
 * cached redactors to rebuild. The last few per source: a request may still carry the previous one.
 */
const TOKENS_KEPT = 3;
const sourceTokens = new Map<string, { tokens: string[]; version: number }>();

/** Hides `token` wherever this source's answers, errors or stored requests could show it. */
export function addSourceToken(sourceId: string, token: string): void {
  const entry = sourceTokens.get(sourceId) ?? { tokens: [], version: 0 };
  if (entry.tokens.includes(token)) return;
  sourceTokens.set(sourceId, { tokens: [token, ...entry.tokens].slice(0, TOKENS_KEPT), version: entry.version + 1 });
}

/** The credentials a source sends: its auth secret, signing secret, OAuth2 tokens and secret-named header values. */
function sourceSecrets(source: SourceConfig): string[] {
  const secrets = [source.authSecret, source.signingSecret].filter((s): s is string => !!s);
  secrets.push(...(sourceTokens.get(source.id)?.tokens ?? []));
  for (const [name, value] of Object.entries(source.headers)) if (SECRET_HEADER_NAME.test(name)) secrets.push(value);
  if (source.authType === 'basic' && source.authSecret) {
    secrets.push(Buffer.from(`${source.authUsername ?? ''}:${source.authSecret}`).toString('base64'));
  }
  return secrets;
}

// A source's config object is rebuilt whenever the source changes, so its forms are built once per
// version of the source, not once per request.
const redactors = new WeakMap<SourceConfig, { redactor: SecretRedactor; tokens: number }>();

export function sourceRedactor(source: SourceConfig): SecretRedactor {
  const tokens = sourceTokens.get(source.id)?.version ?? 0;
  let cached = redactors.get(source);
  if (!cached || cached.tokens !== tokens) {
    cached = { redactor: secretRedactor(sourceSecrets(source)), tokens };
    redactors.set(source, cached);
    // A header value cached as redacted under the old secrets must be redacted again.
    recordCaches.delete(source);
  }
  return cached.redactor;
}

type RequestRecord = { method: string; url: string; headers: Record<string, unknown> };
type RecordCache = {
  method: string;
  url: string;
  head: Omit<RequestRecord, 'headers'>;
  headers: Map<string, [string, unknown]>;
};
const recordCaches = new WeakMap<SourceConfig, RecordCache>();

/**
 * What was sent, as stored with the delivery for the task detail page: the source's credentials
 * out by value (on the values, before any serialising, so escaping cannot hide them), then
 * anything secret by header name or look. Requests to one version of a source differ only in a few
 * headers (ids, timestamp, signature): a header whose value is the same as in the source's last
 * request keeps its redacted form, so each request redacts only what changed.
 */
export function requestRecord(
  source: SourceConfig,
  request: { method: string; url: string; headers: Record<string, string> },
): RequestRecord {
  const redactor = sourceRedactor(source);
  let cache = recordCaches.get(source);
  if (!cache || cache.method !== request.method || cache.url !== request.url) {
    const head = redactSecrets(redactor.value({ method: request.method, url: request.url })) as RequestRecord;
    cache = { method: request.method, url: request.url, head, headers: new Map() };
    recordCaches.set(source, cache);
  }
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const known = cache.headers.get(name);
    if (known && known[0] === value) {
      headers[name] = known[1];
      continue;
    }
    // Redacted as one entry of the headers object, so the name-based rules apply exactly as they
    // would to the whole record.
    const redacted = (redactSecrets({ [name]: redactor.text(value) }) as Record<string, unknown>)[name];
    cache.headers.set(name, [value, redacted]);
    headers[name] = redacted;
  }
  return { ...cache.head, headers };
}

/**
 * Text from outside as PostgreSQL can hold it: text and jsonb reject NUL, and jsonb rejects lone
 * UTF-16 surrogates (a JSON answer can encode both). Both become U+FFFD, so the spot stays visible.
 */
export function storableText(text: string): string {
  return text
    .replaceAll('\u0000', '\uFFFD')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
