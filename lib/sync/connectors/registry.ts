import { AppError } from '@/lib/errors';
import { withAuth } from '../payload';
import { bamboohr } from './bamboohr';
import type { ConnectorModule } from './contract';
import { issuesText, perSourceVersion } from './per-source-version';
import { genericWebhook } from './generic-webhook';
import { hibob } from './hibob';
import { personio } from './personio';
import { restBatch } from './rest-batch';
import type { OutboundRequest, SourceConfig } from './types';

/** A module of any settings type: the registry holds them side by side. */
export type AnyConnectorModule = ConnectorModule<any>;

/** Every connector, one line each. Adding a system is its module and one line here (README "Writing a connector"). */
export const CONNECTOR_MODULES: readonly AnyConnectorModule[] = [genericWebhook, restBatch, bamboohr, hibob, personio];

const byId: ReadonlyMap<string, AnyConnectorModule> = new Map(CONNECTOR_MODULES.map((m) => [m.id, m]));

export function findConnectorModule(id: string): AnyConnectorModule | undefined {
  return byId.get(id);
}

export function connectorIds(): string[] {
  return [...byId.keys()];
}

/** The module of a connector id; an id the registry does not know is bad input (422 `unknown_connector`). */
export function connectorModule(id: string, path = 'connector'): AnyConnectorModule {
  const module = byId.get(id);
  if (!module) {
    const message = `must be one of: ${connectorIds().join(', ')}`;
    throw new AppError('unknown_connector', `${path}: unknown connector "${id}"; ${message}`, [{ path, message }]);
  }
  return module;
}

export type ParsedSettings = { ok: true; settings: unknown } | { ok: false; message: string };

const settingsOf = perSourceVersion<ParsedSettings>();

/**
 * A source's stored settings validated by its connector's schema, once per source version. A row
 * that fails (written past the API, or a schema that became stricter) gives the reason instead of
 * throwing.
 */
export function sourceSettings(module: AnyConnectorModule, source: SourceConfig): ParsedSettings {
  return settingsOf(source, module.id, () => {
    const check = module.settings.safeParse(source.settings ?? {});
    return check.success
      ? { ok: true, settings: check.data }
      : { ok: false, message: issuesText('settings', check.error.issues) };
  });
}

/** A request a connector built, with the source's credentials as that connector takes them. */
export function withConnectorAuth(
  module: AnyConnectorModule,
  source: SourceConfig,
  request: OutboundRequest,
): OutboundRequest {
  return withAuth(request, source, module.auth.type === 'basic' ? module.auth.basicPassword : undefined);
}
