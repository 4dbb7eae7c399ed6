import { BlockList, isIP } from 'node:net';

export type Family = 'ipv4' | 'ipv6';
export type Cidr = { address: string; prefix: number; family: Family };

/** "10.0.0.0/8", "fd00::/8" or a single address ("127.0.0.1" is 127.0.0.1/32); null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const parts = text.trim().split('/');
  if (parts.length > 2) return null;
  const [address, prefixText] = parts;
  // Zone ids ("fe80::1%eth0") name an interface, not a range.
  const version = address.includes('%') ? 0 : isIP(address);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

export function blockListOf(cidrs: readonly Cidr[]): BlockList {
  const list = new BlockList();
  for (const c of cidrs) list.addSubnet(c.address, c.prefix, c.family);
  return list;
}

/** The eight 16-bit groups of a valid IPv6 address (dotted IPv4 tail and "::" expanded). */
function ipv6Groups(ip: string): number[] {
  let text = ip.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(fill).fill('0'), ...right].map((g) => Number.parseInt(g, 16));
}

const v4FromGroups = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/**
 * The address a connection really reaches, for checking: brackets and zone id dropped, and an IPv6
 * address that carries an IPv4 one (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d) turned into
 * that IPv4 address, so ::ffff:127.0.0.1 is judged as 127.0.0.1. Null when not an IP address.
 */
export function normalizeAddress(input: string): { address: string; family: Family } | null {
  const bare = input.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 4) return { address: bare, family: 'ipv4' };
  if (version !== 6) return null;
  const g = ipv6Groups(bare);
  const mapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0);
  if (mapped || nat64) return { address: v4FromGroups(g[6], g[7]), family: 'ipv4' };
  return { address: bare.toLowerCase(), family: 'ipv6' };
}
