import type { SigningMode, SourceAuthType, SourceConnector } from '@/db/types';

/** A source as the delivery code needs it: credentials decrypted, in memory only. */
export type SourceConfig = {
  id: string;
  name: string;
  connector: SourceConnector;
  baseUrl: string;
  syncEndpoint: string;
  httpMethod: 'POST' | 'PUT' | 'PATCH';
  authType: SourceAuthType;
  authHeaderName: string | null;
  authUsername: string | null;
  /** OAuth2 client credentials: token endpoint (absolute or relative to baseUrl), scope, client authentication. */
  authTokenUrl: string | null;
  authScope: string | null;
  authClientAuth: 'client_secret_post' | 'client_secret_basic' | null;
  authSecret: string | null;
  signingSecret: string | null;
  /** How signingSecret signs (lib/http/webhook-signing.ts). */
  signingMode: SigningMode;
  headers: Record<string, string>;
  fieldMapping: Record<string, string | null>;
  /**
   * The source's mapping onto its connector's target fields as stored (null: the connector's
   * default); checked once per source version by the engine (lib/sync/target-mapping.ts) before use.
   */
  targetMapping?: unknown;
  /** The connector's own settings as stored; validated by the connector's schema before use. */
  settings: Record<string, unknown>;
  timeoutMs: number;
  maxConcurrency: number;
  batchSize: number;
  maxAttempts: number;
  /** Across all workers; null: no limit. */
  maxRequestsPerMinute: number | null;
  updatedAt: string;
};

export type DeliveryItem = {
  deliveryId: string;
  idempotencyKey: string;
  attempt: number;
  candidate: {
    id: string;
    first_name: string;
    last_name: string;
    email: string;
    phone: string | null;
    hired_at: string | null;
    /** `YYYY-MM-DD`. */
    start_date: string | null;
  };
  job: {
    id: string;
    slug: string;
    title: string;
    department: string | null;
    location: string | null;
    employment_type: string | null;
  };
};

export type { HttpResult, OutboundRequest } from '@/lib/http/outbound-client';

/** What happened to one delivery in one attempt. */
export type Outcome = {
  deliveryId: string;
  kind: 'succeeded' | 'failed' | 'retry';
  httpStatus: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  externalId: string | null;
  responseExcerpt: string | null;
  retryAfterMs: number | null;
  durationMs: number;
};
