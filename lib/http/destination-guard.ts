import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { type BlockList, type LookupFunction, type Socket, connect, isIP } from 'node:net';
import { buildConnector } from 'undici';
import { type Env, getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { blockListOf, type Family, normalizeAddress, parseCidr } from './cidr';

/**
 * Ranges no outbound request reaches unless an operator opens them (OUTBOUND_ALLOW_CIDRS, or
 * OUTBOUND_ALLOW_PRIVATE for the private ones): a source or webhook URL is chosen by a user, and
 * without this it could reach the database, the app itself, cloud metadata or the internal network.
 * First match names the reason, so the specific ranges come before the broad reserved ones.
 */
const SPECIAL_RANGES: { reason: string; private?: true; cidrs: string[] }[] = [
  { reason: 'unspecified address', cidrs: ['0.0.0.0/8', '::/128'] },
  { reason: 'loopback address', cidrs: ['127.0.0.0/8', '::1/128'] },
  { reason: 'private address', private: true, cidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'] },
  { reason: 'shared (carrier-grade NAT) address', private: true, cidrs: ['100.64.0.0/10'] },
  { reason: 'link-local address (where cloud metadata lives)', cidrs: ['169.254.0.0/16', 'fe80::/10'] },
  { reason: 'multicast address', cidrs: ['224.0.0.0/4', 'ff00::/8'] },
  {
    reason: 'reserved address',
    cidrs: [
      '192.0.0.0/24',
      '192.0.2.0/24',
      '192.88.99.0/24',
      '198.18.0.0/15',
      '198.51.100.0/24',
      '203.0.113.0/24',
      '240.0.0.0/4',
      // IPv4-compatible (deprecated), discard, IETF/Teredo, documentation, 6to4, site-local, local NAT64.
      '::/96',
      '100::/64',
      '2001::/23',
      '2001:db8::/32',
      '2002::/16',
      'fec0::/10',
      '64:ff9b:1::/48',
    ],
  },
];

const RANGES = SPECIAL_RANGES.map((r) => ({
  ...r,
  list: blockListOf(r.cidrs.map((c) => parseCidr(c) ?? invalid(c))),
}));

function invalid(cidr: string): never {
  throw new Error(`bad built-in CIDR ${cidr}`);
}

export type DestinationPolicy = {
  allow: BlockList;
  allowPrivate: boolean;
  /** Ports of our own services: never reached on an internal address, whatever the allow-list says. */
  protectedPorts: Map<number, string>;
};

export function destinationPolicyOf(env: Env): DestinationPolicy {
  const protectedPorts = new Map<number, string>([[env.PORT, "the app's own port (PORT)"]]);
  const dbPort = Number(new URL(env.DATABASE_URL).port || 5432);
  protectedPorts.set(dbPort, "the database's port (DATABASE_URL)");
  if (env.WORKER_METRICS_PORT) protectedPorts.set(env.WORKER_METRICS_PORT, "the worker's metrics port");
  return { allow: blockListOf(env.OUTBOUND_ALLOW_CIDRS), allowPrivate: env.OUTBOUND_ALLOW_PRIVATE, protectedPorts };
}

let cached: { env: Env; policy: DestinationPolicy } | undefined;

function currentPolicy(): DestinationPolicy {
  const env = getEnv();
  if (cached?.env !== env) cached = { env, policy: destinationPolicyOf(env) };
  return cached.policy;
}

function specialReason(address: string, family: Family): { reason: string; private: boolean } | null {
  const range = RANGES.find((r) => r.list.check(address, family));
  return range ? { reason: range.reason, private: !!range.private } : null;
}

/** Why a connection to this address and port is refused, or null when it may go ahead. */
export function blockedReason(
  address: string,
  port: number,
  policy: DestinationPolicy = currentPolicy(),
): string | null {
  const ip = normalizeAddress(address);
  if (!ip) return 'not an IP address';
  const special = specialReason(ip.address, ip.family);
  if (!special) return null;
  const allowed = (special.private && policy.allowPrivate) || policy.allow.check(ip.address, ip.family);
  if (!allowed) {
    const hint = special.private
      ? 'set OUTBOUND_ALLOW_CIDRS or OUTBOUND_ALLOW_PRIVATE=true to allow it'
      : 'set OUTBOUND_ALLOW_CIDRS to allow it';
    return `${special.reason} (${hint})`;
  }
  const own = policy.protectedPorts.get(port);
  return own ? `${own} on an internal address, which OUTBOUND_ALLOW_CIDRS does not open` : null;
}

export const DESTINATION_BLOCKED = 'destination_blocked';

export class DestinationBlockedError extends Error {
  readonly code = 'ATS_DESTINATION_BLOCKED';

  constructor(host: string, address: string, reason: string) {
    super(`destination ${host === address ? address : `${host} (${address})`} is blocked: ${reason}`);
    this.name = 'DestinationBlockedError';
  }
}

export function isDestinationBlocked(err: unknown): err is DestinationBlockedError {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  return e?.code === 'ATS_DESTINATION_BLOCKED' || e?.cause?.code === 'ATS_DESTINATION_BLOCKED';
}

const defaultPort = (protocol: string) => (protocol === 'https:' ? 443 : 80);

/**
 * For a URL saved by a user: a clear early refusal when its host is an IP literal in a blocked
 * range. Host names are judged only when connecting (what they resolve to can change).
 */
export function blockedUrlReason(url: string): string | null {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!isIP(host)) return null;
  const reason = blockedReason(host, Number(parsed.port) || defaultPort(parsed.protocol));
  return reason ? new DestinationBlockedError(host, host, reason).message : null;
}

/**
 * A DNS lookup that refuses the whole answer when any address in it is blocked. Node connects to
 * the addresses this returns, so the address checked is the address used (no DNS-rebinding gap).
 */
function guardedLookup(port: number): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      for (const a of addresses) {
        const reason = blockedReason(a.address, port);
        if (reason) return callback(new DestinationBlockedError(hostname, a.address, reason), '', 0);
      }
      if (options.all) return (callback as (e: null, all: dns.LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * The `connect` of every outbound undici Agent. Node skips `lookup` for an IP-literal host, so
 * literals are checked here; host names are checked by the lookup, per port (a lookup does not
 * see the port, and our own ports are refused on internal addresses).
 */
export function guardedConnector(options: { timeout: number }): buildConnector.connector {
  const byPort = new Map<number, buildConnector.connector>();
  return (opts, callback) => {
    const host = opts.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(opts.port) || defaultPort(opts.protocol);
    if (isIP(host)) {
      const reason = blockedReason(host, port);
      if (reason) return callback(new DestinationBlockedError(host, host, reason), null);
    }
    let connect = byPort.get(port);
    if (!connect) {
      connect = buildConnector({ timeout: options.timeout, lookup: guardedLookup(port) });
      byPort.set(port, connect);
    }
    connect(opts, callback);
  };
}

/** Save-time refusal (422) of a URL whose host is a blocked IP literal; `field` names the input. */
export function refuseBlockedUrl(field: string, url: string | undefined): void {
  if (url === undefined) return;
  const reason = blockedUrlReason(url);
  if (reason) throw new AppError('validation_failed', `${field}: ${reason}`, [{ path: field, message: reason }]);
}

/**
 * An IP literal is never resolved, so the lookup never sees it: it is judged here. Host names
 * answer null and are judged by guardedLookup on the address actually connected to.
 */
function refusedLiteral(bareHost: string, port: number): DestinationBlockedError | null {
  if (!isIP(bareHost)) return null;
  const reason = blockedReason(bareHost, port);
  return reason ? new DestinationBlockedError(bareHost, bareHost, reason) : null;
}

/**
 * A node:http(s) Agent that connects only where the guard allows, for libraries that take an
 * `agent` rather than an undici dispatcher (openid-client, under next-auth's OpenID Connect
 * sign-in). Same rules as guardedConnector: IP literals are judged here, host names by the lookup,
 * on the address actually connected to.
 */
export function guardedNodeAgent(protocol: 'http:' | 'https:', options: { keepAlive?: boolean } = {}): http.Agent {
  const Base = protocol === 'https:' ? https.Agent : http.Agent;
  class GuardedAgent extends Base {
    createConnection(
      opts: http.ClientRequestArgs,
      callback?: (err: Error | null, stream: Duplex) => void,
    ): Duplex | null | undefined {
      const host = (opts.host ?? opts.hostname ?? 'localhost').replace(/^\[(.*)\]$/, '$1');
      const port = Number(opts.port) || defaultPort(protocol);
      const refused = refusedLiteral(host, port);
      if (refused) {
        if (callback) process.nextTick(() => callback(refused, undefined as unknown as Duplex));
        return undefined;
      }
      return super.createConnection({ ...opts, lookup: guardedLookup(port) }, callback);
    }
  }
  return new GuardedAgent({ keepAlive: options.keepAlive ?? false });
}

/**
 * A TCP connection for a protocol undici does not speak (SMTP for alert emails, issue 23): the
 * host is resolved and judged exactly as for HTTP (every address must pass, the socket connects
 * only to those), an IP literal is judged directly. Resolves once connected; a refused
 * destination rejects with DestinationBlockedError before any packet leaves.
 */
export function connectGuardedSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const refused = refusedLiteral(bare, port);
  if (refused) return Promise.reject(refused);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: bare, port, lookup: guardedLookup(port), timeout: timeoutMs });
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    const timedOut = () => fail(Object.assign(new Error('could not connect in time'), { code: 'ETIMEDOUT' }));
    socket.once('error', fail);
    socket.once('timeout', timedOut);
    socket.once('connect', () => {
      // From here the caller owns the socket, its errors and its timeouts.
      socket.off('error', fail);
      socket.off('timeout', timedOut);
      socket.setTimeout(0);
      resolve(socket);
    });
  });
}
