import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as channelTestRoute from '@/app/api/v1/alerts/channels/[id]/test/route';
import * as channelRoute from '@/app/api/v1/alerts/channels/[id]/route';
import * as channelsRoute from '@/app/api/v1/alerts/channels/route';
import * as incidentsRoute from '@/app/api/v1/alerts/incidents/route';
import * as ruleTestRoute from '@/app/api/v1/alerts/rules/[id]/test/route';
import * as ruleRoute from '@/app/api/v1/alerts/rules/[id]/route';
import * as rulesRoute from '@/app/api/v1/alerts/rules/route';
import * as settingsRoute from '@/app/api/v1/alerts/settings/route';
import { getDb } from '@/lib/db';
import { type SlackFake, startSlackFake } from '@/test/fakes/slack-webhook';
import { callRoute, createTestToken, createTestUser, type TestUser } from '@/test/fixtures';
import { createTestSource } from '@/test/sync-harness';
import type { PublicAlertChannel, PublicAlertRule } from './schemas';

// This file runs without SMTP_URL: email channels are refused with email_not_configured.
let slack: SlackFake;
let admin: TestUser;
let viewer: TestUser;
let recruiter: TestUser;

beforeAll(async () => {
  slack = await startSlackFake();
  admin = await createTestUser('admin');
  viewer = await createTestUser('viewer');
  recruiter = await createTestUser('recruiter');
});

afterAll(async () => {
  await slack?.close();
});

const as = (user: TestUser) => ({ session: user });

async function createSlackChannel(name: string, url = slack.webhookUrl): Promise<PublicAlertChannel> {
  const res = await callRoute(channelsRoute.POST, {
    method: 'POST',
    auth: as(admin),
    body: { name, kind: 'slack', slack_webhook_url: url },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.channel;
}

async function auditDetails(targetId: string): Promise<string> {
  const rows = await getDb()
    .selectFrom('audit_events')
    .select(['action', 'details'])
    .where('target_id', '=', targetId)
    .execute();
  return JSON.stringify(rows);
}

describe('alert channels', () => {
  it('creates a Slack channel whose URL is stored encrypted and never answered, logged in audit or listed', async () => {
    const channel = await createSlackChannel('Ops Slack');
    expect(channel).toMatchObject({
      name: 'Ops Slack',
      kind: 'slack',
      enabled: true,
      email_to: null,
      last_result: null,
    });
    expect(channel.slack_webhook_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/services\/T0…\/B0…\/••••$/);
    const token = slack.webhookUrl.split('/').pop() as string;
    const list = await callRoute(channelsRoute.GET, { auth: as(admin) });
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(token);
    const one = await callRoute(channelRoute.GET, { params: { id: channel.id }, auth: as(viewer) });
    expect(one.status).toBe(200);
    expect(one.body.channel.id).toBe(channel.id);
    const row = await getDb()
      .selectFrom('alert_channels')
      .selectAll()
      .where('id', '=', channel.id)
      .executeTakeFirstOrThrow();
    expect(row.slack_webhook_url_encrypted).not.toContain(token);
    expect(row.slack_webhook_url_encrypted).toMatch(/^v1:/);
    expect(await auditDetails(channel.id)).not.toContain(token);
  });

  it('refuses bad input with the documented error and changes nothing', async () => {
    const before = (await callRoute(channelsRoute.GET, { auth: as(admin) })).body.channels.length;
    const bad = [
      { name: '', kind: 'slack', slack_webhook_url: slack.webhookUrl },
      { name: 'x', kind: 'sms', to: '+1' },
      { name: 'x', kind: 'slack', slack_webhook_url: 'ftp://hooks.slack.com/services/a/b/c' },
      { name: 'x', kind: 'slack', slack_webhook_url: 'http://hooks.slack.com/services/a/b/c' },
      { name: 'x', kind: 'slack', slack_webhook_url: 'https://user:pw@hooks.slack.com/services/a/b/c' },
      { name: 'x', kind: 'slack', slack_webhook_url: 'https://169.254.169.254/services/a/b/c' },
      { name: 'x', kind: 'slack', slack_webhook_url: slack.webhookUrl, extra: 1 },
      { name: 'x\u0000y', kind: 'slack', slack_webhook_url: slack.webhookUrl },
      JSON.parse(`{"name":"x","kind":"slack","slack_webhook_url":"${slack.webhookUrl}","__proto__":{"admin":true}}`),
      { name: 'x'.repeat(101), kind: 'slack', slack_webhook_url: slack.webhookUrl },
    ];
    for (const body of bad) {
      const res = await callRoute(channelsRoute.POST, { method: 'POST', auth: as(admin), body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(typeof res.body.error.message).toBe('string');
    }
    const notJson = await callRoute(channelsRoute.POST, {
      method: 'POST',
      auth: as(admin),
      rawBody: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect((await callRoute(channelsRoute.GET, { auth: as(admin) })).body.channels.length).toBe(before);
  });

  it('answers email_not_configured for an email channel while SMTP_URL is unset', async () => {
    const res = await callRoute(channelsRoute.POST, {
      method: 'POST',
      auth: as(admin),
      body: { name: 'Ops mail', kind: 'email', email_to: ['ops@example.test'] },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('email_not_configured');
    const bad = await callRoute(channelsRoute.POST, {
      method: 'POST',
      auth: as(admin),
      body: { name: 'Ops mail', kind: 'email', email_to: ['not an address'] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('validation_failed');
  });

  it('edits, replaces the URL, refuses a duplicate name and deletes', async () => {
    const channel = await createSlackChannel('Edit me');
    const renamed = await callRoute(channelRoute.PATCH, {
      method: 'PATCH',
      params: { id: channel.id },
      auth: as(admin),
      body: { name: 'Edited', enabled: false },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.channel).toMatchObject({ name: 'Edited', enabled: false });
    const wrongField = await callRoute(channelRoute.PATCH, {
      method: 'PATCH',
      params: { id: channel.id },
      auth: as(admin),
      body: { email_to: ['a@example.test'] },
    });
    expect(wrongField.status).toBe(422);
    const empty = await callRoute(channelRoute.PATCH, {
      method: 'PATCH',
      params: { id: channel.id },
      auth: as(admin),
      body: {},
    });
    expect(empty.status).toBe(422);
    const dup = await callRoute(channelRoute.PATCH, {
      method: 'PATCH',
      params: { id: channel.id },
      auth: as(admin),
      body: { name: 'ops slack' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('name_taken');
    const newUrl = `${slack.url}/services/T9NEWTEAM/B9NEWHOOK/anothertoken123`;
    const replaced = await callRoute(channelRoute.PATCH, {
      method: 'PATCH',
      params: { id: channel.id },
      auth: as(admin),
      body: { slack_webhook_url: newUrl },
    });
    expect(replaced.body.channel.slack_webhook_url).toMatch(/\/services\/T9…\/B9…\/••••$/);
    expect(await auditDetails(channel.id)).not.toContain('anothertoken123');
    const del = await callRoute(channelRoute.DELETE, { method: 'DELETE', params: { id: channel.id }, auth: as(admin) });
    expect(del.status).toBe(204);
    const gone = await callRoute(channelRoute.GET, { params: { id: channel.id }, auth: as(admin) });
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('alert_channel_not_found');
  });

  it('sends a real test message to Slack and records the result on the channel', async () => {
    const channel = await createSlackChannel('Test button');
    const sent = slack.requests.length;
    const res = await callRoute(channelTestRoute.POST, { method: 'POST', params: { id: channel.id }, auth: as(admin) });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ ok: true, error: null });
    const [req] = (await slack.waitForRequests(sent + 1)).slice(sent);
    expect(JSON.parse(req.body).text).toContain('Test from ATS Sync');
    const after = await callRoute(channelRoute.GET, { params: { id: channel.id }, auth: as(admin) });
    expect(after.body.channel.last_result).toMatchObject({ ok: true, error: null });

    slack.setMode('channel_is_archived');
    try {
      const failed = await callRoute(channelTestRoute.POST, {
        method: 'POST',
        params: { id: channel.id },
        auth: as(admin),
      });
      expect(failed.status).toBe(200);
      expect(failed.body.result.ok).toBe(false);
      expect(failed.body.result.error.code).toBe('channel_is_archived');
      expect(failed.body.result.error.message).toContain('410');
      const recorded = await callRoute(channelRoute.GET, { params: { id: channel.id }, auth: as(admin) });
      expect(recorded.body.channel.last_result.error.code).toBe('channel_is_archived');
    } finally {
      slack.setMode('ok');
    }
  });

  it('records an unreachable channel without failing the request', async () => {
    const channel = await createSlackChannel('Nobody listens', 'http://127.0.0.1:9/services/T1/B1/closedport');
    const res = await callRoute(channelTestRoute.POST, { method: 'POST', params: { id: channel.id }, auth: as(admin) });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ ok: false, error: { code: 'connection_failed' } });
  });
});

describe('access', () => {
  it('lets viewers read and refuses their writes; refuses recruiters everything', async () => {
    expect((await callRoute(channelsRoute.GET, { auth: as(viewer) })).status).toBe(200);
    expect((await callRoute(rulesRoute.GET, { auth: as(viewer) })).status).toBe(200);
    expect((await callRoute(incidentsRoute.GET, { auth: as(viewer) })).status).toBe(200);
    expect((await callRoute(settingsRoute.GET, { auth: as(viewer) })).status).toBe(200);
    const write = await callRoute(channelsRoute.POST, {
      method: 'POST',
      auth: as(viewer),
      body: { name: 'v', kind: 'slack', slack_webhook_url: slack.webhookUrl },
    });
    expect(write.status).toBe(403);
    for (const handler of [channelsRoute.GET, rulesRoute.GET, incidentsRoute.GET, settingsRoute.GET]) {
      const res = await callRoute(handler, { auth: as(recruiter) });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });

  it('asks tokens for alerts:read and alerts:write', async () => {
    const readOnly = await createTestToken(admin, undefined, ['alerts:read']);
    expect((await callRoute(channelsRoute.GET, { auth: { token: readOnly } })).status).toBe(200);
    const write = await callRoute(channelsRoute.POST, {
      method: 'POST',
      auth: { token: readOnly },
      body: { name: 'tok', kind: 'slack', slack_webhook_url: slack.webhookUrl },
    });
    expect(write.status).toBe(403);
    expect(write.body.error.code).toBe('insufficient_scope');
    const other = await createTestToken(admin, undefined, ['webhooks:read']);
    expect((await callRoute(channelsRoute.GET, { auth: { token: other } })).body.error.code).toBe('insufficient_scope');
  });
});

describe('alert rules', () => {
  async function createRule(body: Record<string, unknown>): Promise<PublicAlertRule> {
    const res = await callRoute(rulesRoute.POST, { method: 'POST', auth: as(admin), body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.rule;
  }

  it('creates rules of every kind with their defaults', async () => {
    const channel = await createSlackChannel('Rules channel');
    const source = await createTestSource('http://127.0.0.1:9');
    const rules = await Promise.all([
      createRule({ name: 'Sources', kind: 'source_unhealthy', params: {}, channel_ids: [channel.id] }),
      createRule({
        name: 'Runs',
        kind: 'run_failed',
        params: { failure_percent: 25, source_ids: [source.id] },
        channel_ids: [channel.id],
      }),
      createRule({
        name: 'Workers',
        kind: 'no_worker',
        params: {},
        channel_ids: [channel.id],
        quiet_period_minutes: 0,
      }),
      createRule({ name: 'Backlog', kind: 'queue_backlog', params: { minutes: 5 }, channel_ids: [] }),
      createRule({ name: 'Hooks', kind: 'webhook_disabled', params: {}, channel_ids: [channel.id], enabled: false }),
    ]);
    expect(rules.map((r) => r.params)).toEqual([
      { source_ids: null },
      { failure_percent: 25, source_ids: [source.id] },
      { seconds: 60 },
      { minutes: 5 },
      {},
    ]);
    expect(rules[0]).toMatchObject({
      state: 'ok',
      open_incidents: 0,
      quiet_period_minutes: 60,
      enabled: true,
      channel_ids: [channel.id],
    });
    expect(rules[2].quiet_period_minutes).toBe(0);
    expect(rules[4].enabled).toBe(false);
    const list = await callRoute(rulesRoute.GET, { auth: as(admin) });
    expect(list.body.rules.map((r: PublicAlertRule) => r.name)).toEqual(
      expect.arrayContaining(['Sources', 'Runs', 'Workers', 'Backlog', 'Hooks']),
    );
  });

  it('refuses bad parameters, unknown channels and sources, and a change of kind', async () => {
    const channel = await createSlackChannel('Bad rules channel');
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'r', kind: 'no_worker', params: { seconds: 5 }, channel_ids: [] }, 'params.seconds'],
      [{ name: 'r', kind: 'run_failed', params: { failure_percent: 0 }, channel_ids: [] }, 'params.failure_percent'],
      [{ name: 'r', kind: 'queue_backlog', params: { minutes: 10, extra: true }, channel_ids: [] }, 'params'],
      [
        {
          name: 'r',
          kind: 'source_unhealthy',
          params: { source_ids: ['00000000-0000-4000-8000-000000000000'] },
          channel_ids: [],
        },
        'params.source_ids',
      ],
      [
        { name: 'r', kind: 'no_worker', params: {}, channel_ids: ['00000000-0000-4000-8000-000000000000'] },
        'channel_ids',
      ],
      [{ name: 'r', kind: 'cpu_hot', params: {}, channel_ids: [] }, 'kind'],
      [
        { name: 'r', kind: 'no_worker', params: {}, channel_ids: [], quiet_period_minutes: 1441 },
        'quiet_period_minutes',
      ],
    ];
    for (const [body, path] of cases) {
      const res = await callRoute(rulesRoute.POST, { method: 'POST', auth: as(admin), body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path).join(' ')).toContain(path);
    }
    const rule = await createRule({ name: 'Kind stays', kind: 'no_worker', params: {}, channel_ids: [channel.id] });
    const kind = await callRoute(ruleRoute.PATCH, {
      method: 'PATCH',
      params: { id: rule.id },
      auth: as(admin),
      body: { kind: 'queue_backlog' },
    });
    expect(kind.status).toBe(422);
    const edited = await callRoute(ruleRoute.PATCH, {
      method: 'PATCH',
      params: { id: rule.id },
      auth: as(admin),
      body: { params: { seconds: 120 }, quiet_period_minutes: 5, name: 'Kind stayed' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.rule).toMatchObject({ name: 'Kind stayed', params: { seconds: 120 }, quiet_period_minutes: 5 });
  });

  it('drops a deleted channel from its rules, tests a rule on each channel, and deletes the rule', async () => {
    const kept = await createSlackChannel('Kept channel');
    const dropped = await createSlackChannel('Dropped channel');
    const off = await createSlackChannel('Off channel');
    await callRoute(channelRoute.PATCH, {
      method: 'PATCH',
      params: { id: off.id },
      auth: as(admin),
      body: { enabled: false },
    });
    const rule = await createRule({
      name: 'Uses three',
      kind: 'webhook_disabled',
      params: {},
      channel_ids: [kept.id, dropped.id, off.id],
    });
    await callRoute(channelRoute.DELETE, { method: 'DELETE', params: { id: dropped.id }, auth: as(admin) });
    const after = await callRoute(ruleRoute.GET, { params: { id: rule.id }, auth: as(admin) });
    expect([...after.body.rule.channel_ids].sort()).toEqual([kept.id, off.id].sort());

    const sent = slack.requests.length;
    const test = await callRoute(ruleTestRoute.POST, { method: 'POST', params: { id: rule.id }, auth: as(admin) });
    expect(test.status).toBe(200);
    const byName = Object.fromEntries(test.body.results.map((r: { channel_name: string }) => [r.channel_name, r]));
    expect(byName['Kept channel']).toMatchObject({ channel_id: kept.id, ok: true, error: null });
    expect(byName['Off channel']).toMatchObject({ ok: false, error: { code: 'channel_disabled' } });
    const [req] = (await slack.waitForRequests(sent + 1)).slice(sent);
    expect(JSON.parse(req.body).text).toContain('Uses three');

    const none = await createRule({ name: 'No channel', kind: 'no_worker', params: {}, channel_ids: [] });
    const noChannel = await callRoute(ruleTestRoute.POST, { method: 'POST', params: { id: none.id }, auth: as(admin) });
    expect(noChannel.status).toBe(422);

    const del = await callRoute(ruleRoute.DELETE, { method: 'DELETE', params: { id: rule.id }, auth: as(admin) });
    expect(del.status).toBe(204);
    const gone = await callRoute(ruleRoute.GET, { params: { id: rule.id }, auth: as(admin) });
    expect(gone.body.error.code).toBe('alert_rule_not_found');
  });
});

describe('incidents and settings', () => {
  it('lists incidents with filters and refuses a bad query', async () => {
    const ok = await callRoute(incidentsRoute.GET, {
      auth: as(admin),
      path: '/api/v1/alerts/incidents?state=open&limit=10',
    });
    expect(ok.status).toBe(200);
    expect(Array.isArray(ok.body.incidents)).toBe(true);
    for (const q of ['state=broken', 'limit=0', 'rule_id=nope', 'other=1']) {
      const res = await callRoute(incidentsRoute.GET, { auth: as(admin), path: `/api/v1/alerts/incidents?${q}` });
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('invalid_query');
    }
  });

  it('says email is not configured', async () => {
    const res = await callRoute(settingsRoute.GET, { auth: as(admin) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email: { configured: false, from: null, host: null }, evaluated_at: null });
  });
});
