import type { SourceConfig } from './types';

/**
 * A value derived from a source's stored configuration, computed once per source version (id,
 * updatedAt and connector) instead of once per delivery: the engine asks for every chunk it sends.
 */
export function perSourceVersion<T>(): (
  source: Pick<SourceConfig, 'id' | 'updatedAt'>,
  connector: string,
  compute: () => T,
) => T {
  const entries = new Map<string, { version: string; value: T }>();
  return (source, connector, compute) => {
    const version = `${source.updatedAt}\n${connector}`;
    const hit = entries.get(source.id);
    if (hit?.version === version) return hit.value;
    const value = compute();
    if (entries.size > 10_000) entries.clear();
    entries.set(source.id, { version, value });
    return value;
  };
}

/** zod issues as one line, each with its path under `prefix` (`settings.company_domain: …`). */
export function issuesText(
  prefix: string,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string {
  return issues.map((i) => `${[prefix, ...i.path.map(String)].join('.')}: ${i.message}`).join('; ');
}
