import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import * as channelTestRoute from '@/app/api/v1/alerts/channels/[id]/test/route';
import * as channelRoute from '@/app/api/v1/alerts/channels/[id]/route';
import * as channelsRoute from '@/app/api/v1/alerts/channels/route';
import { callRoute, createTestUser, type TestUser } from '@/test/fixtures';

/**
 * An SMTP host the destination guard does not open: only 127.0.0.1 is allowed here, and the SMTP
 * server listens on 127.0.0.2 (loopback, closed), so a connection that slipped past the guard
 * would be seen by the server.
 */
const smtp = await vi.hoisted(async () => {
  const { startSmtpServer } = await import('@/test/smtp-server');
  const server = await startSmtpServer(undefined, '127.0.0.2');
  process.env.OUTBOUND_ALLOW_CIDRS = '127.0.0.1/32';
  process.env.SMTP_URL = server.url;
  return server;
});

let admin: TestUser;

beforeAll(async () => {
  admin = await createTestUser('admin');
});

afterAll(async () => {
  await smtp.close();
});

it('refuses an SMTP server in a blocked range and records why, sending nothing', async () => {
  const created = await callRoute(channelsRoute.POST, {
    method: 'POST',
    auth: { session: admin },
    body: { name: 'Blocked mail', kind: 'email', email_to: ['ops@example.test'] },
  });
  expect(created.status).toBe(201);
  const id = created.body.channel.id;
  const res = await callRoute(channelTestRoute.POST, { method: 'POST', params: { id }, auth: { session: admin } });
  expect(res.status).toBe(200);
  expect(res.body.result.ok).toBe(false);
  expect(res.body.result.error.code).toBe('destination_blocked');
  expect(res.body.result.error.message).toContain('127.0.0.2');
  expect(res.body.result.error.message).not.toContain('p@ss');
  const channel = await callRoute(channelRoute.GET, { params: { id }, auth: { session: admin } });
  expect(channel.body.channel.last_result.error.code).toBe('destination_blocked');
  expect(smtp.connections()).toBe(0);
  expect(smtp.mails).toHaveLength(0);
});
