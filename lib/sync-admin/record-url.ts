import { findConnectorModule } from '@/lib/sync/connectors/registry';

/**
 * Where an admin opens the record a delivery created in the target system, or null: the connector
 * has no record page, the source's settings no longer pass its schema, or the id does not fit.
 * Only http(s) links: the page renders this as an href, so a connector bug must not become a
 * javascript: link.
 */
export function recordUrlOf(connector: string, settings: unknown, externalId: string | null): string | null {
  if (!externalId) return null;
  const module = findConnectorModule(connector);
  if (!module?.recordUrl) return null;
  const parsed = module.settings.safeParse(settings ?? {});
  if (!parsed.success) return null;
  return httpUrlOrNull(module.recordUrl(parsed.data, externalId));
}

/** The URL if it is an absolute http(s) one, else null. */
export function httpUrlOrNull(url: string | null): string | null {
  if (!url || !URL.canParse(url)) return null;
  const protocol = new URL(url).protocol;
  return protocol === 'https:' || protocol === 'http:' ? url : null;
}
