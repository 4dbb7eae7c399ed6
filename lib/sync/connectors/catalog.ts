import { z } from 'zod';
import { MAPPABLE_FIELDS } from '../mapping';
import type { ConnectorAction, FieldMapping, TargetField } from './contract';
import { type AnyConnectorModule, CONNECTOR_MODULES, findConnectorModule } from './registry';

/** What `GET /api/v1/connectors` answers per connector: everything a form or a client needs, never a secret. */
export type PublicConnector = {
  id: string;
  name: string;
  description: string | null;
  docs: readonly string[];
  auth: {
    type: string;
    fields: { stores: string; label: string; hint: string }[];
    token_url?: string;
    scope?: string | null;
  };
  settings: {
    /** The settings schema as JSON Schema (draft 2020-12), for clients that validate before sending. */
    schema: Record<string, unknown>;
    /** Per field, in the form's order: its own part of the schema, and whether it must be given. */
    fields: { key: string; label: string; hint: string; required: boolean; schema: Record<string, unknown> }[];
  };
  target_fields: readonly TargetField[];
  default_mapping: FieldMapping;
  rate_limit: { requests_per_minute: number | null; note: string; docs: string | null };
  actions: readonly ConnectorAction[];
};

/** Only the fields the connector lists: a field a later contract version adds is not exposed by accident. */
function describe(module: AnyConnectorModule): PublicConnector {
  const auth = module.auth;
  const schema = z.toJSONSchema(module.settings, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return {
    id: module.id,
    name: module.name,
    description: module.description ?? null,
    docs: module.docs,
    auth: {
      type: auth.type,
      fields: auth.fields.map((f) => ({ stores: f.stores, label: f.label, hint: f.hint })),
      ...(auth.type === 'oauth2_client_credentials' ? { token_url: auth.tokenUrl, scope: auth.scope ?? null } : {}),
    },
    settings: {
      schema,
      fields: module.settingFields.map((f) => ({
        key: f.key,
        label: f.label,
        hint: f.hint,
        required: schema.required?.includes(f.key) ?? false,
        schema: schema.properties?.[f.key] ?? {},
      })),
    },
    target_fields: module.targetFields,
    default_mapping: module.defaultMapping,
    rate_limit: {
      requests_per_minute: module.rateLimit.requestsPerMinute,
      note: module.rateLimit.note,
      docs: module.rateLimit.docs ?? null,
    },
    actions: module.actions,
  };
}

let catalog: PublicConnector[] | null = null;

/** The registry as the API shows it; built once, since modules never change while the process runs. */
export function listPublicConnectors(): PublicConnector[] {
  catalog ??= CONNECTOR_MODULES.map(describe);
  return catalog;
}

/** What the source form needs of a connector: its name, its sentence, and its text settings. */
export type ConnectorChoice = {
  id: string;
  name: string;
  description: string | null;
  settingFields: { key: string; label: string; hint: string }[];
  /** The auth the connector takes ('per_source': the admin picks), and where to find its credentials. */
  auth: {
    type: string;
    fields: { stores: string; label: string; hint: string }[];
    /** Basic whose only credential is the secret (BambooHR's API key): the form asks for no user name. */
    secretOnly: boolean;
  };
  /**
   * The connector's default base URL with `{key}` where a text setting goes (BambooHR's company
   * domain), for the form to prefill; null when the connector has none (our own receivers).
   */
  baseUrlTemplate: string | null;
  /** The target's fields and the mapping that works out of the box, for the form's mapping editor. */
  targetFields: readonly TargetField[];
  defaultMapping: FieldMapping;
  /** The documented rate limit: the form pre-fills max requests per minute with it and shows the note. */
  rateLimit: { requestsPerMinute: number | null; note: string };
  /** What a rule's `from` may name (the same for every connector, as GET /api/v1/connectors's mappable_paths). */
  mappableFields: readonly { path: string; label: string }[];
};

export function connectorChoices(): ConnectorChoice[] {
  return listPublicConnectors().map((c) => ({
    id: c.id,
    name: c.name,
    description: c.description,
    // The generic form renders text inputs only; richer settings wait for the per-connector form.
    settingFields: c.settings.fields
      .filter((f) => f.schema.type === 'string')
      .map(({ key, label, hint }) => ({ key, label, hint })),
    auth: { type: c.auth.type, fields: c.auth.fields, secretOnly: secretOnly(c.id) },
    baseUrlTemplate: baseUrlTemplate(c.id),
    targetFields: c.target_fields,
    defaultMapping: c.default_mapping,
    rateLimit: { requestsPerMinute: c.rate_limit.requests_per_minute, note: c.rate_limit.note },
    mappableFields: MAPPABLE_FIELDS,
  }));
}

function secretOnly(id: string): boolean {
  const auth = findConnectorModule(id)?.auth;
  return auth?.type === 'basic' && auth.basicPassword !== undefined;
}

// Unreserved URL characters only, so that a module that encodes its settings leaves the marker as it is.
const marker = (key: string) => `SETTING-${key}-SETTING`;

/** The module's default base URL built from markers in place of its text settings, the markers then written `{key}`. */
function baseUrlTemplate(id: string): string | null {
  const module = findConnectorModule(id);
  if (!module) return null;
  const keys = module.settingFields.map((f) => f.key);
  let url: string;
  try {
    url = module.defaultBaseUrl(Object.fromEntries(keys.map((k) => [k, marker(k)])));
  } catch {
    // A module that needs more than its text settings to build the URL: the admin types it.
    return null;
  }
  if (!/^https?:\/\//.test(url)) return null;
  return keys.reduce((template, k) => template.replaceAll(marker(k), `{${k}}`), url);
}
