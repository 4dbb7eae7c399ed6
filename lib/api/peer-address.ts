import { randomBytes } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { normalizeAddress } from '@/lib/http/cidr';

// Next hands route handlers a web Request without the socket, and fills X-Forwarded-For from the
// socket only when the client sent none, so a client could name any address it likes. The hook
// copies the socket's address into a header whose name is random per process: a client cannot
// guess it, so cannot send it, not even before the hook is installed.
const HEADER_KEY = Symbol.for('ats-sync.peer-address-header');

type GlobalWithHeader = typeof globalThis & { [HEADER_KEY]?: string };

/** The header carrying the socket's address in this process, or undefined when no hook runs. */
export function peerAddressHeader(): string | undefined {
  return (globalThis as GlobalWithHeader)[HEADER_KEY];
}

/** An IPv4 address the dual-stack socket reports as IPv6-mapped (::ffff:1.2.3.4) becomes 1.2.3.4. */
export function clientAddress(address: string): string {
  return normalizeAddress(address)?.address ?? address;
}

/**
 * Records every incoming HTTP request's socket address in the process's peer header, before any
 * request listener (Next's included) sees the request. Idempotent; `instrumentation.ts` calls it
 * at server start.
 */
export function installPeerAddressHook(): void {
  const global = globalThis as GlobalWithHeader;
  if (global[HEADER_KEY]) return;
  const name = `x-ats-peer-${randomBytes(12).toString('hex')}`;
  global[HEADER_KEY] = name;
  // Per connection: parsing the address at every request cost each status poll ~30 µs, and a
  // connection's peer does not change (keep-alive pollers send all their requests on one).
  const addresses = new WeakMap<Socket, string>();
  subscribe('http.server.request.start', (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    let address = addresses.get(socket);
    if (address === undefined && socket.remoteAddress) {
      address = clientAddress(socket.remoteAddress);
      addresses.set(socket, address);
    }
    if (address) request.headers[name] = address;
    else delete request.headers[name];
  });
}
