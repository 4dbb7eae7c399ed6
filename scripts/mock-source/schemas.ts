import { z } from 'zod';

// `hold`: requests wait (after any latency) until `POST /_mock/release`, then answer as `ok` would:
// a test decides when a sync may finish instead of racing a latency against the machine's speed.
export const MOCK_MODES = ['ok', 'hold', 'hang', 'reset', 'invalid_json', 'huge', 'status'] as const;
export type MockMode = (typeof MOCK_MODES)[number];

/** Body of `POST /_mock/config` and argument of `configure()`: fields given are merged into the path's (or the global) behaviour. */
export const mockConfigInputSchema = z
  .object({
    path: z
      .string()
      .regex(/^\/[^?#]*$/, 'must be a path such as /hris')
      .refine((p) => !p.startsWith('/_mock'), 'must not be under /_mock')
      .transform((p) => (p.length > 1 ? p.replace(/\/+$/, '') : p))
      .optional(),
    latency_ms: z.number().int().min(0).max(600_000).optional(),
    fail_next: z.number().int().min(0).max(1_000_000).optional(),
    fail_status: z.number().int().min(100).max(599).optional(),
    failure_rate: z.number().min(0).max(1).optional(),
    retry_after: z.number().int().min(0).max(86_400).nullable().optional(),
    mode: z.enum(MOCK_MODES).optional(),
  })
  .strict();

export type MockConfigInput = z.input<typeof mockConfigInputSchema>;

export type MockBehaviour = {
  latency_ms: number;
  fail_next: number;
  fail_status: number;
  failure_rate: number;
  retry_after: number | null;
  mode: MockMode;
};

export const DEFAULT_BEHAVIOUR: MockBehaviour = {
  latency_ms: 0,
  fail_next: 0,
  fail_status: 503,
  failure_rate: 0,
  retry_after: null,
  mode: 'ok',
};

/** `GET /_mock/requests` query. */
export const requestsQuerySchema = z.object({
  path: z.string().startsWith('/').optional(),
  limit: z.coerce.number().int().min(1).max(50_000).default(100),
});

// The shapes the receiver records and reports, here so that server.ts and render-page.ts both read them
// without importing each other.
export type MockOutcome =
  | 'pending'
  | 'created'
  | 'duplicate'
  | 'failed'
  | 'hang'
  | 'reset'
  | 'invalid_json'
  | 'huge'
  | 'too_large';

export type MockRequest = {
  seq: number;
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** At most MAX_RECORDED_BODY_BYTES (server.ts) of it (`body_truncated` then). */
  body: string;
  body_truncated: boolean;
  /** The parsed body, or null when it is not JSON or was truncated. */
  json: unknown;
  received_at: string;
  /** Status answered (or decided, when the client left first); null while pending and for hang/reset. */
  status: number | null;
  outcome: MockOutcome;
  idempotency_key: string | null;
  /** Present only when a signing secret is configured for the path. */
  signature_valid?: boolean;
  /** The client closed the connection before the answer was complete. */
  client_aborted: boolean;
};

export type MockCounters = {
  total_requests: number;
  /** Successful deliveries with a key not seen before, plus successful deliveries without a key. */
  unique_deliveries: number;
  duplicates: number;
  failures: number;
  in_flight: number;
  max_in_flight: number;
};

/** `by_path` is keyed by the first path segment: `/hris/employees` counts under `/hris`. */
export type MockStats = MockCounters & { by_path: Record<string, MockCounters> };

export type MockConfig = {
  global: MockBehaviour;
  /** Overrides per path prefix; fields not set there come from `global`. */
  paths: Record<string, Partial<MockBehaviour>>;
};
