import { z } from 'zod';
import { sendRequest } from '@/lib/http/outbound-client';
import { discoveryUrl, type SsoConfig } from './config';

export type IssuerCheck = { reachable: true } | { reachable: false; problem: string };

const discoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.string().url(),
  token_endpoint: z.string().url(),
  jwks_uri: z.string().url(),
});

/**
 * Reads the issuer's discovery document the way a sign-in does (through the outbound client and
 * its destination guard) and says what is wrong with it, for the admin page and `cli doctor`.
 */
export async function checkIssuer(config: SsoConfig, timeoutMs = 5000): Promise<IssuerCheck> {
  const url = discoveryUrl(config.issuer);
  const res = await sendRequest(
    { id: 'oidc-issuer', updatedAt: config.issuer, maxConcurrency: 2, timeoutMs },
    { url, method: 'GET', headers: { accept: 'application/json' }, body: '' },
  );
  if (!res.ok) return { reachable: false, problem: `${url}: ${res.message}` };
  if (res.status !== 200) return { reachable: false, problem: `${url} answered HTTP ${res.status}` };
  let parsed: z.infer<typeof discoverySchema>;
  try {
    parsed = discoverySchema.parse(JSON.parse(res.body));
  } catch {
    return { reachable: false, problem: `${url} is not an OpenID Connect discovery document` };
  }
  // OpenID Connect Discovery 1.0 section 4.3: the document names exactly the issuer it was read from.
  if (parsed.issuer.replace(/\/+$/, '') !== config.issuer)
    return { reachable: false, problem: `the discovery document names issuer ${parsed.issuer}, not ${config.issuer}` };
  return { reachable: true };
}
