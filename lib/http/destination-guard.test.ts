import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '@/lib/env';
import { blockedReason, blockedUrlReason, destinationPolicyOf, guardedConnector } from './destination-guard';

const DATABASE_URL = 'postgres://u:p@db.internal:5433/ats';
const policy = (extra: Record<string, string> = {}) =>
  destinationPolicyOf(parseEnv({ DATABASE_URL, PORT: '3000', ...extra }));

describe('destination guard: addresses', () => {
  const closed = policy();

  it.each([
    ['127.0.0.1', /loopback/],
    ['127.255.0.9', /loopback/],
    ['::1', /loopback/],
    ['[::1]', /loopback/],
    ['10.0.0.1', /private/],
    ['172.16.0.1', /private/],
    ['172.31.255.254', /private/],
    ['192.168.1.10', /private/],
    ['169.254.169.254', /link-local.*metadata/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['100.127.255.254', /carrier-grade NAT/],
    ['fc00::1', /private/],
    ['fd12:3456::1', /private/],
    ['fe80::1', /link-local/],
    ['fe80::1%eth0', /link-local/],
    ['::ffff:10.0.0.1', /private/],
    ['::ffff:127.0.0.1', /loopback/],
    ['::ffff:7f00:1', /loopback/],
    ['::ffff:a9fe:a9fe', /link-local/],
    ['64:ff9b::a00:1', /private/],
    ['0.0.0.0', /unspecified/],
    ['0.1.2.3', /unspecified/],
    ['::', /unspecified/],
    ['224.0.0.1', /multicast/],
    ['ff02::1', /multicast/],
    ['255.255.255.255', /reserved/],
    ['198.18.0.1', /reserved/],
    ['2001:db8::1', /reserved/],
    ['::127.0.0.1', /reserved/],
  ])('refuses %s', (address, reason) => {
    expect(blockedReason(address, 443, closed)).toMatch(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '11.0.0.1', '2606:4700:4700::1111', '64:ff9b::808:808'])(
    'lets the public address %s through, on any port',
    (address) => {
      expect(blockedReason(address, 443, closed)).toBeNull();
      expect(blockedReason(address, 5433, closed)).toBeNull();
    },
  );

  it('says how to open a range', () => {
    expect(blockedReason('10.0.0.5', 80, closed)).toBe(
      'private address (set OUTBOUND_ALLOW_CIDRS or OUTBOUND_ALLOW_PRIVATE=true to allow it)',
    );
    expect(blockedReason('169.254.169.254', 80, closed)).toMatch(/set OUTBOUND_ALLOW_CIDRS to allow it\)$/);
  });
});

describe('destination guard: configuration', () => {
  it('OUTBOUND_ALLOW_CIDRS opens exactly the listed ranges, IPv4-mapped forms included', () => {
    const p = policy({ OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8, 10.1.0.0/16,fd00:1::/64' });
    expect(blockedReason('127.0.0.1', 4010, p)).toBeNull();
    expect(blockedReason('::ffff:127.0.0.1', 4010, p)).toBeNull();
    expect(blockedReason('10.1.2.3', 443, p)).toBeNull();
    expect(blockedReason('fd00:1::5', 443, p)).toBeNull();
    expect(blockedReason('10.2.0.1', 443, p)).toMatch(/private/);
    expect(blockedReason('::1', 4010, p)).toMatch(/loopback/);
    expect(blockedReason('169.254.169.254', 80, p)).toMatch(/link-local/);
  });

  it("never opens the app's own port, the database's port or the worker's metrics port on an internal address", () => {
    const p = policy({ OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8,10.0.0.0/8', WORKER_METRICS_PORT: '9464' });
    expect(blockedReason('127.0.0.1', 3000, p)).toMatch(/the app's own port \(PORT\)/);
    expect(blockedReason('::ffff:127.0.0.1', 3000, p)).toMatch(/the app's own port/);
    expect(blockedReason('10.0.0.7', 5433, p)).toMatch(/the database's port/);
    expect(blockedReason('127.0.0.1', 9464, p)).toMatch(/metrics port/);
    const onPrem = policy({ OUTBOUND_ALLOW_PRIVATE: 'true' });
    expect(blockedReason('10.0.0.7', 5433, onPrem)).toMatch(/the database's port/);
    expect(blockedReason('10.0.0.7', 443, onPrem)).toBeNull();
  });

  it('OUTBOUND_ALLOW_PRIVATE=true opens the private and shared ranges only, not loopback or metadata', () => {
    const p = policy({ OUTBOUND_ALLOW_PRIVATE: 'true' });
    for (const a of ['10.0.0.1', '172.16.5.5', '192.168.0.1', 'fd00::1', '100.64.0.1', '::ffff:10.0.0.1'])
      expect(blockedReason(a, 443, p)).toBeNull();
    for (const a of ['127.0.0.1', '::1', '169.254.169.254', 'fe80::1', '0.0.0.0'])
      expect(blockedReason(a, 443, p)).not.toBeNull();
  });

  it('refuses a malformed OUTBOUND_ALLOW_CIDRS at start-up, naming the bad item', () => {
    expect(() => parseEnv({ DATABASE_URL, OUTBOUND_ALLOW_CIDRS: '10.0.0.0/8,10.0.0/8' })).toThrow(ConfigError);
    expect(() => parseEnv({ DATABASE_URL, OUTBOUND_ALLOW_CIDRS: '10.0.0.0/33' })).toThrow(
      /OUTBOUND_ALLOW_CIDRS: "10.0.0.0\/33" is not a CIDR/,
    );
    expect(() => parseEnv({ DATABASE_URL, OUTBOUND_ALLOW_CIDRS: 'localhost' })).toThrow(/OUTBOUND_ALLOW_CIDRS/);
    expect(parseEnv({ DATABASE_URL }).OUTBOUND_ALLOW_CIDRS).toEqual([]);
    expect(parseEnv({ DATABASE_URL }).OUTBOUND_ALLOW_PRIVATE).toBe(false);
  });
});

describe('destination guard: URLs and connections', () => {
  let server: http.Server;
  let port: number;
  let hits = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      hits += 1;
      res.end('inside');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('judges a URL by its literal host only; host names wait for the connection', () => {
    // The tests open 127.0.0.0/8 and ::1 (vitest.config.ts), nothing else.
    expect(blockedUrlReason('http://10.0.0.5/hooks')).toBe(
      'destination 10.0.0.5 is blocked: private address (set OUTBOUND_ALLOW_CIDRS or OUTBOUND_ALLOW_PRIVATE=true to allow it)',
    );
    expect(blockedUrlReason('http://[::ffff:169.254.169.254]/latest')).toMatch(/link-local/);
    expect(blockedUrlReason('http://127.0.0.1:4010/hooks')).toBeNull();
    expect(blockedUrlReason('http://metadata.internal.example/')).toBeNull();
  });

  it('connects through the guard: an allowed loopback port works, the database port does not', async () => {
    const agent = new Agent({ connect: guardedConnector({ timeout: 5000 }) });
    try {
      const ok = await agent.request({ origin: `http://127.0.0.1:${port}`, path: '/', method: 'GET' });
      expect(await ok.body.text()).toBe('inside');
      const dbPort = Number(new URL(process.env.DATABASE_URL ?? '').port);
      const refused = agent.request({ origin: `http://localhost:${dbPort}`, path: '/', method: 'GET' });
      await expect(refused).rejects.toMatchObject({
        code: 'ATS_DESTINATION_BLOCKED',
        message: expect.stringMatching(/^destination localhost \((127\.0\.0\.1|::1)\) is blocked: the database's port/),
      });
    } finally {
      await agent.close();
    }
    expect(hits).toBe(1);
  });
});
