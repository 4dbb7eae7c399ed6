import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as channelTestRoute from '@/app/api/v1/alerts/channels/[id]/test/route';
import * as channelsRoute from '@/app/api/v1/alerts/channels/route';
import * as settingsRoute from '@/app/api/v1/alerts/settings/route';
import { getDb } from '@/lib/db';
import { callRoute, createTestUser, type TestUser } from '@/test/fixtures';

// A real SMTP server with login, started before anything reads the configuration (SMTP_URL).
const smtp = await vi.hoisted(async () => {
  const { startSmtpServer } = await import('@/test/smtp-server');
  const server = await startSmtpServer({ user: 'alerts', password: 'Sm7p-p@ss:w/rd' });
  process.env.SMTP_URL = server.url;
  process.env.ALERT_EMAIL_FROM = 'ATS Sync <alerts@example.test>';
  return server;
});

let admin: TestUser;

beforeAll(async () => {
  admin = await createTestUser('admin');
});

afterAll(async () => {
  await smtp.close();
});

describe('email alerts', () => {
  it('says email is configured without the password', async () => {
    const res = await callRoute(settingsRoute.GET, { auth: { session: admin } });
    expect(res.body.email).toEqual({
      configured: true,
      from: 'ATS Sync <alerts@example.test>',
      host: `127.0.0.1:${smtp.port}`,
    });
    expect(JSON.stringify(res.body)).not.toContain('Sm7p');
  });

  it('sends the test message through the SMTP server, logged in with the password from SMTP_URL', async () => {
    const created = await callRoute(channelsRoute.POST, {
      method: 'POST',
      auth: { session: admin },
      body: { name: 'On call', kind: 'email', email_to: ['Oncall@Example.test', 'lead@example.test'] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const channel = created.body.channel;
    expect(channel.email_to).toEqual(['oncall@example.test', 'lead@example.test']);

    const res = await callRoute(channelTestRoute.POST, {
      method: 'POST',
      params: { id: channel.id },
      auth: { session: admin },
    });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ ok: true, error: null });
    const [mail] = await smtp.waitForMails(1);
    expect(mail.subject).toBe('[ATS Sync] Test from ATS Sync');
    expect(mail.from).toBe('alerts@example.test');
    expect(mail.to).toEqual(['oncall@example.test', 'lead@example.test']);
    expect(mail.text).toContain('Test from ATS Sync: this channel receives ATS Sync alerts.');
    expect(mail.text).toContain('/sync-admin/alerts');
    expect(smtp.logins).toContainEqual({ user: 'alerts', password: 'Sm7p-p@ss:w/rd' });

    const audit = await getDb()
      .selectFrom('audit_events')
      .select('details')
      .where('target_id', '=', channel.id)
      .execute();
    expect(JSON.stringify(audit)).not.toContain('Sm7p');
    const notes = await getDb()
      .selectFrom('alert_notifications')
      .selectAll()
      .where('channel_id', '=', channel.id)
      .execute();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: 'test', ok: true });
  });
});
