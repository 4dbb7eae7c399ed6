import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import * as channelTestRoute from '@/app/api/v1/alerts/channels/[id]/test/route';
import * as channelsRoute from '@/app/api/v1/alerts/channels/route';
import { getDb } from '@/lib/db';
import { callRoute, createTestUser, type TestUser } from '@/test/fixtures';

/**
 * An SMTP server that refuses the recipient with a reply full of control characters (a NUL,
 * which PostgreSQL refuses in text, and a terminal escape): the refusal is recorded, readable.
 */
const hostile = (await vi.hoisted(async () => {
  const { createServer } = await import('node:net');
  const server = createServer((socket) => {
    socket.write('220 hostile ESMTP\r\n');
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (let i = buffer.indexOf('\r\n'); i >= 0; i = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, i).toUpperCase();
        buffer = buffer.slice(i + 2);
        if (line.startsWith('EHLO') || line.startsWith('HELO')) socket.write('250 hostile\r\n');
        else if (line.startsWith('MAIL FROM')) socket.write('250 ok\r\n');
        else if (line.startsWith('RCPT TO')) socket.write('550 no\u0000such\u001b[2Juser\r\n');
        else if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
        else socket.write('502 no\r\n');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.SMTP_URL = `smtp://127.0.0.1:${(server.address() as { port: number }).port}`;
  return server;
})) as Server;

let admin: TestUser;

beforeAll(async () => {
  admin = await createTestUser('admin');
});

afterAll(async () => {
  await new Promise((resolve) => hostile.close(resolve));
});

it('records an SMTP refusal with control characters as readable text', async () => {
  expect((hostile.address() as AddressInfo).port).toBeGreaterThan(0);
  const created = await callRoute(channelsRoute.POST, {
    method: 'POST',
    auth: { session: admin },
    body: { name: 'Hostile relay', kind: 'email', email_to: ['ops@example.test'] },
  });
  const id = created.body.channel.id;
  const res = await callRoute(channelTestRoute.POST, { method: 'POST', params: { id }, auth: { session: admin } });
  expect(res.status).toBe(200);
  expect(res.body.result.ok).toBe(false);
  expect(res.body.result.error.code).toBe('rejected');
  expect(res.body.result.error.message).toContain('550 no such');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
  expect(res.body.result.error.message).not.toMatch(/[\u0000-\u001f]/);
  const row = await getDb()
    .selectFrom('alert_notifications')
    .selectAll()
    .where('channel_id', '=', id)
    .executeTakeFirstOrThrow();
  expect(row).toMatchObject({ ok: false, error_code: 'rejected' });
});
