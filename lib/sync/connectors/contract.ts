import type { z } from 'zod';
import type { HttpResult, OutboundRequest } from '@/lib/http/outbound-client';
import type { DeliveryItem, Outcome, SourceConfig } from './types';

/**
 * The contract of a connector module (issue 20): one file per external system, registered with one
 * line in the registry. Everything the engine, the API, the source form and the docs need to know
 * about a system is here; nothing about a connector is written anywhere else (no migration, no enum,
 * no UI code).
 *
 * A connector never applies credentials itself: it says which auth it takes (`auth`) and the
 * engine adds the headers (Basic, Bearer, API key header, or an OAuth2 client-credentials token
 * from the shared cache) to every request the connector builds. So a secret never passes through
 * connector code, and redaction and the destination guard stay in one place.
 */

/**
 * What the engine asks a connector to do for one candidate at one source. `rehire`: the candidate
 * is hired again after their record there was withdrawn, and the target can bring that same record
 * back (a connector without it in `actions` gets a `create` of a new record instead).
 */
export type ConnectorAction = 'create' | 'update' | 'withdraw' | 'rehire';

/**
 * The error code an `interpret` gives a rehire whose record no longer exists at the target (HTTP
 * 404: deleted there since the withdrawal). The engine then creates a new record in the same
 * attempt, as if the target had never had one.
 */
export const RECORD_GONE = 'record_gone';

/** A value in a target record: what the field mapping produced for one target field. */
export type TargetValue = string | number | boolean | null;

/**
 * One candidate rendered into the target's own fields (keys are `TargetField.key`), by the
 * source's field mapping. Built with `Object.create(null)` or as a Map-backed copy: keys come
 * from users, never from the prototype.
 */
export type TargetRecord = Record<string, TargetValue>;

/** A field of the target system that a mapping can fill. */
export type TargetField = {
  /** The target's own name, as its API spells it (`firstName`, `first_name`, `work.site`). */
  key: string;
  label: string;
  type: 'string' | 'email' | 'date' | 'number' | 'boolean' | 'enum';
  /** Allowed values for `enum` fields, as the target documents them. */
  values?: readonly string[];
  /** Required by the target to create a record: checked before sending (a per-delivery error names it). */
  requiredOn: readonly ConnectorAction[];
  description?: string;
};

/** Where a mapped value comes from: a field of ours, a constant, with optional transforms. */
export type MappingRule =
  | { from: string; transforms?: readonly MappingTransform[]; default?: TargetValue }
  | { value: TargetValue };

export type MappingTransform =
  | { kind: 'trim' | 'lower' | 'upper' }
  | { kind: 'date'; format: 'yyyy-MM-dd' | 'iso' }
  | { kind: 'split_name'; part: 'first' | 'last' }
  | { kind: 'map'; values: Readonly<Record<string, TargetValue>>; otherwise?: TargetValue };

/** Target field key -> where its value comes from. */
export type FieldMapping = Readonly<Record<string, MappingRule>>;

/** A credential input on the source form: which stored secret column it fills, and how to find it. */
export type CredentialField = {
  /** The source column it is stored in (write-only, encrypted like every other secret). */
  stores: 'auth_username' | 'auth_secret';
  label: string;
  /** "Where to find this in <vendor>": one or two sentences for the admin. */
  hint: string;
};

export type ConnectorAuth =
  | {
      type: 'none' | 'bearer' | 'api_key_header' | 'basic';
      fields: readonly CredentialField[];
      /**
       * Basic with a fixed password (BambooHR: the API key is the user, the password anything): the
       * stored secret (`auth_secret`, encrypted) is sent as the Basic user and this as the password.
       */
      basicPassword?: string;
    }
  /** The admin picks the auth per source (none, bearer, API key header, basic): our own receivers. */
  | { type: 'per_source'; fields: readonly CredentialField[] }
  | {
      type: 'oauth2_client_credentials';
      fields: readonly CredentialField[];
      /** The token endpoint, relative to the source's base_url unless absolute. */
      tokenUrl: string;
      scope?: string;
    };

/** What one request needs: the source, its connector settings (already validated), the clock. */
export type RequestContext<S> = { source: SourceConfig; settings: S; now: Date };

/** One candidate to act on: our data, the record the mapping made of it, and the target's id once known. */
export type ActionItem = { item: DeliveryItem; record: TargetRecord; externalId: string | null };

export type ConnectorModule<S = unknown> = {
  /** Stored in sources.connector; lowercase, `[a-z][a-z0-9_]*`. Never renamed once released. */
  id: string;
  /** Shown to admins and recruiters: "BambooHR". */
  name: string;
  /** One sentence under the connector select: what the target gets. */
  description?: string;
  /** The vendor documentation pages this module was built from (also cited in the file's header). */
  docs: readonly string[];
  /** The connector's own settings (`sources.settings`), e.g. BambooHR's company subdomain. */
  settings: z.ZodType<S>;
  /** Form metadata of each setting: label and hint, in the schema's key order. */
  settingFields: readonly { key: string; label: string; hint: string }[];
  auth: ConnectorAuth;
  /** The default base URL (overridable per source, for tests and on-premises proxies). */
  defaultBaseUrl: (settings: S) => string;
  /** The target's documented rate limit, shown on the form and used as the default max_requests_per_minute. */
  rateLimit: { requestsPerMinute: number | null; note: string; docs?: string };
  targetFields: readonly TargetField[];
  /** A mapping that works on the demo data out of the box. */
  defaultMapping: FieldMapping;
  /**
   * Which actions the target supports; a withdraw of a target without one is recorded as skipped,
   * a hire again of a target without `rehire` creates a new record.
   */
  actions: readonly ConnectorAction[];
  /** Candidates per request (1 for per-record APIs). */
  itemsPerRequest: (source: Pick<SourceConfig, 'batchSize'>) => number;
  /** The request for an action on one or more candidates (without credentials: see above). */
  buildRequest: (action: ConnectorAction, ctx: RequestContext<S>, items: readonly ActionItem[]) => OutboundRequest;
  /** What the answer means for each candidate: the created record's id, the target's own error text. */
  interpret: (
    action: ConnectorAction,
    ctx: RequestContext<S>,
    items: readonly ActionItem[],
    result: HttpResult,
  ) => Outcome[];
  /** A harmless read that proves the credentials work, and what a failure means in the vendor's words. */
  connectionTest: {
    request: (ctx: RequestContext<S>) => OutboundRequest;
    /** null when the answer proves access; otherwise one sentence naming what is missing (a permission, a setting). */
    explain: (result: HttpResult) => string | null;
  };
  /** A link to the record in the target's own UI, when it has one. */
  recordUrl?: (settings: S, externalId: string) => string | null;
};
