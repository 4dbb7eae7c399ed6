import type { BadgeTone } from '@/app/components/badge';

export const HEALTH: Record<string, { label: string; tone: BadgeTone }> = {
  healthy: { label: 'Healthy', tone: 'green' },
  degraded: { label: 'Degraded', tone: 'amber' },
  auth_failed: { label: 'Auth failed', tone: 'red' },
  unreachable: { label: 'Unreachable', tone: 'red' },
  unknown: { label: 'Not checked', tone: 'gray' },
};

export const healthOf = (status: string) => HEALTH[status] ?? HEALTH.unknown;

export const AUTH_TYPES = {
  none: 'No authentication',
  bearer: 'Bearer token',
  api_key_header: 'API key header',
  basic: 'Basic (username and password)',
  oauth2_client_credentials: 'OAuth2 client credentials',
} as const;

/** How the client id and secret reach the token endpoint (RFC 6749 §2.3.1); the engine's default first. */
export const CLIENT_AUTH = {
  client_secret_post: 'In the form body',
  client_secret_basic: 'HTTP Basic',
} as const;

/** How a source's requests are signed (lib/http/webhook-signing.ts), in the form's words. */
export const SIGNING_MODE_LABELS = {
  standard: 'Standard Webhooks',
  legacy: 'Legacy X-ATS-Signature (with Standard Webhooks headers)',
} as const;

/** base_url joined with the endpoint path, as deliveries are sent. */
export const endpointUrl = (s: { base_url: string; sync_endpoint: string }) => `${s.base_url}${s.sync_endpoint}`;

/**
 * Whether the connector sends our candidate.hired envelope (our own receivers: webhook, REST
 * batch). A named system (BambooHR, HiBob, Personio) builds its own requests from the base URL, so
 * the endpoint path, method, signing secret, custom headers and field renames do not apply to it.
 */
export function envelopeApplies(connector: { auth: { type: string } } | undefined): boolean {
  return connector === undefined || connector.auth.type === 'per_source';
}
