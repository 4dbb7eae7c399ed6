import { getEnv } from '@/lib/env';
import { clientAddress, peerAddressHeader } from './peer-address';

/**
 * The caller's address. With no trusted proxy (TRUSTED_PROXY_HOPS=0) it is the socket's address
 * and X-Forwarded-For is ignored, since any client can write it. Behind N trusted proxies, each of
 * which appends the address it received from, it is the Nth entry from the right of
 * X-Forwarded-For: entries further left were written by the client and prove nothing. Null when
 * the socket's address is unknown (no peer hook in this process).
 */
export function clientIp(headers: Headers, trustedHops: number = getEnv().TRUSTED_PROXY_HOPS): string | null {
  const header = peerAddressHeader();
  const socket = header ? headers.get(header) : null;
  if (!socket) return null;
  if (trustedHops === 0) return socket;
  const forwarded = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (forwarded.length === 0) return socket;
  // Fewer entries than proxies: the request skipped some of them; the leftmost is the best we know.
  return clientAddress(forwarded[Math.max(0, forwarded.length - trustedHops)]);
}
