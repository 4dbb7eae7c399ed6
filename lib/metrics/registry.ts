import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * This process's own metrics (prom-client): Node's defaults (CPU, memory, event loop lag, GC)
 * and, in the web, the request durations observed by route(). One registry per process, kept on
 * globalThis so dev reloads do not register everything twice.
 */
const holder = globalThis as unknown as {
  __atsMetrics?: {
    registry: Registry;
    httpDuration?: Histogram<'method' | 'route' | 'status'>;
    readinessChecks?: Counter;
  };
};

export function getProcessRegistry(): Registry {
  if (!holder.__atsMetrics) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    holder.__atsMetrics = { registry };
  }
  return holder.__atsMetrics.registry;
}

function httpDuration(): Histogram<'method' | 'route' | 'status'> {
  const registry = getProcessRegistry();
  const metrics = holder.__atsMetrics!;
  metrics.httpDuration ??= new Histogram({
    name: 'ats_http_request_duration_seconds',
    help: 'API requests handled by this web process, by route pattern (ids replaced by their parameter name)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return metrics.httpDuration;
}

/** Readiness computations against the database; probes within the cache second share one. */
export function countReadinessCheck(): void {
  const registry = getProcessRegistry();
  const metrics = holder.__atsMetrics!;
  metrics.readinessChecks ??= new Counter({
    name: 'ats_readiness_checks_total',
    help: 'Readiness checks this web process ran against the database (probes within a second share one)',
    registers: [registry],
  });
  metrics.readinessChecks.inc();
}

type Params = Record<string, string | string[] | undefined>;

function decode(segment: string): string {
  // Most segments have nothing to decode, and decodeURIComponent cost every status poll ~5 µs a segment.
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The route a path was served by, e.g. `/api/v1/jobs/[slug]/candidates`: every segment that is a
 * route parameter's value is replaced by the parameter's name, so the label's values are bounded
 * by the routes we have, not by the postings, ids or typos people request.
 */
export function routePattern(pathname: string, params: Params): string {
  const segments = pathname.replace(/\/+$/, '').split('/');
  // null: part of a catch-all already replaced by its one label.
  const out: (string | null)[] = [...segments];
  const taken = new Set<number>();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0) continue;
    for (let i = 0; i + values.length <= segments.length; i += 1) {
      const span = values.map((_, k) => i + k);
      if (span.some((at) => taken.has(at)) || !span.every((at, k) => decode(segments[at]) === values[k])) continue;
      for (const at of span) {
        taken.add(at);
        out[at] = null;
      }
      out[i] = Array.isArray(value) ? `[...${name}]` : `[${name}]`;
      break;
    }
  }
  return out.filter((s) => s !== null).join('/') || '/';
}

/** One observation per API request; never throws, a metric must not fail a request. */
export async function observeHttpRequest(
  req: { method: string; nextUrl: { pathname: string } },
  context: { params?: Promise<Params> },
  status: number,
  ms: number,
): Promise<void> {
  try {
    const params = (await context.params) ?? {};
    httpDuration().observe(
      { method: req.method, route: routePattern(req.nextUrl.pathname, params), status: String(status) },
      ms / 1000,
    );
  } catch {
    // Nothing to do: the request has been answered already.
  }
}
