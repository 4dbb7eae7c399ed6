import { createRequire } from 'node:module';

export type AutocannonResult = {
  requests: { total: number };
  latency: { p50: number; p99: number; max: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
};

/** autocannon ships no types; this is the part of its API the benches use. */
export const autocannon = createRequire(import.meta.url)('autocannon') as (opts: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  overallRate?: number;
}) => Promise<AutocannonResult>;
