import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as incidentsRoute from '@/app/api/v1/alerts/incidents/route';
import * as ruleRoute from '@/app/api/v1/alerts/rules/[id]/route';
import * as settingsRoute from '@/app/api/v1/alerts/settings/route';
import { createDb } from '@/db/client';
import type { AlertRuleKind } from '@/db/types';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { confirmSourceHealthy } from '@/lib/sync/source-health-repository';
import { type SlackFake, startSlackFake } from '@/test/fakes/slack-webhook';
import { callRoute, createTestUser, type TestUser } from '@/test/fixtures';
import { holdTableLock } from '@/test/table-lock';
import {
  createPostingWithHired,
  createTestSource,
  setupSyncTestEnvironment,
  startSyncOf,
  waitFor,
  waitForRunFinished,
} from '@/test/sync-harness';
import { runAlertEvaluation } from './evaluator';
import { createAlertChannel, createAlertRule, deleteAlertRule, listAlertRules } from './service';
import type { PublicAlertIncident } from './schemas';

const actor = systemActor('test');
const env = setupSyncTestEnvironment();
let slack: SlackFake;
let admin: TestUser;
let slackChannelId: string;

beforeAll(async () => {
  slack = await startSlackFake();
  admin = await createTestUser('admin');
  slackChannelId = (
    await createAlertChannel(getDb(), actor, { name: 'Ops', kind: 'slack', slack_webhook_url: slack.webhookUrl })
  ).id;
});

afterAll(async () => {
  await slack?.close();
});

// Each test's rule only: an earlier test's rule would keep evaluating (and sending) otherwise.
afterEach(async () => {
  for (const rule of await listAlertRules(getDb(), actor)) await deleteAlertRule(getDb(), actor, rule.id);
});

let counter = 0;
async function createRule(
  kind: AlertRuleKind,
  params: Record<string, unknown>,
  options: { quiet?: number; channels?: string[] } = {},
) {
  counter += 1;
  return createAlertRule(getDb(), actor, {
    name: `${kind} rule ${counter}`,
    kind,
    params,
    channel_ids: options.channels ?? [slackChannelId],
    quiet_period_minutes: options.quiet ?? 60,
    enabled: true,
  });
}

/** The Slack messages that name this rule, in order. */
const messagesOf = (ruleName: string) =>
  slack.requests
    .filter((r) => r.status === 200)
    .map((r) => String(JSON.parse(r.body).text))
    .filter((text) => text.includes(`Rule: ${ruleName}`));

const evaluate = () => runAlertEvaluation(getDb());

async function incidentsOf(ruleId: string): Promise<PublicAlertIncident[]> {
  const res = await callRoute(incidentsRoute.GET, {
    auth: { session: admin },
    path: `/api/v1/alerts/incidents?rule_id=${ruleId}`,
  });
  expect(res.status).toBe(200);
  return res.body.incidents;
}

describe('alert evaluation', () => {
  it('tells once that a source turned auth_failed at a real receiver, and once that it recovered', async () => {
    env.mock.configure({ path: '/refuses', mode: 'status', fail_status: 401 });
    const source = await createTestSource(env.mock.url, { name: 'BambooHR (prod)', sync_endpoint: '/refuses' });
    const rule = await createRule('source_unhealthy', { source_ids: [source.id] });
    await evaluate();
    expect(messagesOf(rule.name)).toEqual([]);

    const posting = await createPostingWithHired(1);
    await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    await waitFor('the source to turn auth_failed', async () => {
      const s = await getDb()
        .selectFrom('sources')
        .select('health_status')
        .where('id', '=', source.id)
        .executeTakeFirst();
      return s?.health_status === 'auth_failed';
    });

    const first = await evaluate();
    expect(first).toMatchObject({ evaluated: true, opened: 1, sent: 1, failed: 0 });
    await evaluate();
    await evaluate();
    const firing = messagesOf(rule.name);
    expect(firing).toHaveLength(1);
    expect(firing[0]).toContain('[ATS Sync] Source BambooHR (prod) is failing: auth failed');
    expect(firing[0]).toContain(`/sync-admin/sources/${source.id}`);
    expect(firing[0]).toContain('Since: ');
    const [open] = await incidentsOf(rule.id);
    expect(open).toMatchObject({ subject: 'Source BambooHR (prod)', resolved_at: null, kind: 'source_unhealthy' });
    expect(open.notifications).toEqual([
      expect.objectContaining({
        channel_id: slackChannelId,
        channel_name: 'Ops',
        kind: 'firing',
        ok: true,
        error: null,
      }),
    ]);

    // What the engine does on a successful delivery.
    await getDb()
      .transaction()
      .execute((trx) => confirmSourceHealthy(trx, source.id));
    expect(await evaluate()).toMatchObject({ resolved: 1, sent: 1 });
    await evaluate();
    const all = messagesOf(rule.name);
    expect(all).toHaveLength(2);
    expect(all[1]).toContain('Resolved: Source BambooHR (prod)');
    expect(all[1]).toMatch(/Resolved after (\d+ s|under a second|\d+ min)/);
    const [resolved] = await incidentsOf(rule.id);
    expect(resolved.resolved_at).not.toBeNull();
    expect(resolved.notifications.map((n) => n.kind)).toEqual(['firing', 'recovery']);
    const settings = await callRoute(settingsRoute.GET, { auth: { session: admin } });
    expect(settings.body.evaluated_at).not.toBeNull();
  });

  it('tells when a posting’s run fails above the threshold, and recovers on its next run below it', async () => {
    env.mock.configure({ path: '/payroll', mode: 'status', fail_status: 400 });
    const source = await createTestSource(env.mock.url, { sync_endpoint: '/payroll' });
    const posting = await createPostingWithHired(2);
    const rule = await createRule('run_failed', { failure_percent: 50, source_ids: [source.id] });
    const failedRun = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    expect(failedRun.status).toBe('failed');
    await evaluate();
    await evaluate();
    const firing = messagesOf(rule.name);
    expect(firing).toHaveLength(1);
    expect(firing[0]).toContain(`Posting Posting ${posting.slug} had a sync run with 100% failed`);
    expect(firing[0]).toContain(`/sync-admin/tasks/${failedRun.id}`);

    env.mock.configure({ path: '/payroll', mode: 'ok' });
    const good = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    expect(good.status).toBe('completed');
    await evaluate();
    expect(messagesOf(rule.name)).toHaveLength(2);
    expect(messagesOf(rule.name)[1]).toContain('is OK again');
  });

  it('tells when no worker heartbeat came for the rule’s seconds, and when one does again', async () => {
    const rule = await createRule('no_worker', { seconds: 60 });
    await getDb()
      .insertInto('worker_heartbeats')
      .values({
        id: 'old-worker',
        host: 'box-1',
        pid: 4242,
        concurrency: 4,
        started_at: new Date(Date.now() - 3_600_000),
        last_seen: new Date(Date.now() - 600_000),
      })
      .execute();
    await evaluate();
    await evaluate();
    const firing = messagesOf(rule.name);
    expect(firing).toHaveLength(1);
    expect(firing[0]).toContain('[ATS Sync] Workers are down: none alive for 1 min');
    expect(firing[0]).toContain('box-1 (pid 4242)');
    await getDb()
      .updateTable('worker_heartbeats')
      .set({ last_seen: new Date() })
      .where('id', '=', 'old-worker')
      .execute();
    await evaluate();
    const all = messagesOf(rule.name);
    expect(all).toHaveLength(2);
    // The outage is counted from the last heartbeat, ten minutes before the alert.
    expect(all[1]).toContain('Resolved after 10 min');
    await getDb().deleteFrom('worker_heartbeats').where('id', '=', 'old-worker').execute();
  });

  it('tells when deliveries wait to be sent longer than the rule’s minutes, not when they wait for a retry', async () => {
    const source = await createTestSource('http://127.0.0.1:9');
    const posting = await createPostingWithHired(2);
    const run = await getDb()
      .insertInto('sync_runs')
      .values({ job_posting_id: posting.id, trigger: 'manual', status: 'running', total: 2 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const old = new Date(Date.now() - 30 * 60_000);
    await getDb()
      .insertInto('sync_deliveries')
      .values(
        posting.candidateIds.map((candidate_id, i) => ({
          run_id: run.id,
          source_id: source.id,
          candidate_id,
          status: 'pending' as const,
          created_at: old,
          // The second waits for a retry time still to come: not a backlog.
          next_attempt_at: i === 1 ? new Date(Date.now() + 600_000) : null,
          payload_hash: `h${i}`,
          idempotency_key: `${run.id}:${i}`,
        })),
      )
      .execute();
    const rule = await createRule('queue_backlog', { minutes: 10 });
    await evaluate();
    const firing = messagesOf(rule.name);
    expect(firing).toHaveLength(1);
    expect(firing[0]).toContain('1 delivery has waited to be sent for more than 10 min; the oldest for 30 min.');
    await getDb().updateTable('sync_deliveries').set({ status: 'cancelled' }).where('run_id', '=', run.id).execute();
    await getDb()
      .updateTable('sync_runs')
      .set({ status: 'cancelled', finished_at: new Date() })
      .where('id', '=', run.id)
      .execute();
    await evaluate();
    expect(messagesOf(rule.name)).toHaveLength(2);
  });

  it('sends nothing more for a subject that flaps within the quiet period, and its recovery when it clears again', async () => {
    const endpoint = await getDb()
      .insertInto('webhook_endpoints')
      .values({
        name: 'Payroll bridge',
        url: 'https://hooks.example.com/x',
        events: ['sync.completed'],
        secret_encrypted: 'x',
        secret_hint: 'x',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const setActive = (is_active: boolean) =>
      getDb()
        .updateTable('webhook_endpoints')
        .set({ is_active, disabled_at: is_active ? null : new Date(), disabled_kind: is_active ? null : 'admin' })
        .where('id', '=', endpoint.id)
        .execute();
    const rule = await createRule('webhook_disabled', {}, { quiet: 60 });
    await setActive(false);
    await evaluate();
    await setActive(true);
    await evaluate();
    expect(messagesOf(rule.name)).toHaveLength(2);
    // Flapping: off and on again within the hour.
    await setActive(false);
    await evaluate();
    await evaluate();
    expect(messagesOf(rule.name)).toHaveLength(2);
    const reopened = await incidentsOf(rule.id);
    expect(reopened).toHaveLength(1);
    expect(reopened[0].resolved_at).toBeNull();
    expect(reopened[0].subject).toBe('Webhook endpoint Payroll bridge');
    await setActive(true);
    await evaluate();
    const all = messagesOf(rule.name);
    expect(all).toHaveLength(3);
    expect(all[2]).toContain('Resolved: Webhook endpoint Payroll bridge');

    // Without a quiet period every turn is told.
    const loud = await createRule('webhook_disabled', {}, { quiet: 0 });
    await setActive(false);
    await evaluate();
    await setActive(true);
    await evaluate();
    await setActive(false);
    await evaluate();
    expect(messagesOf(loud.name).map((m) => m.split('\n')[0])).toEqual([
      '[ATS Sync] Webhook endpoint Payroll bridge is disabled',
      expect.stringContaining('Resolved: Webhook endpoint Payroll bridge'),
      '[ATS Sync] Webhook endpoint Payroll bridge is disabled',
    ]);
    await getDb().deleteFrom('webhook_endpoints').where('id', '=', endpoint.id).execute();
  });

  it('closes the incidents of a rule switched off or deleted without a message', async () => {
    const rule = await createRule('no_worker', { seconds: 30 });
    await evaluate();
    expect(messagesOf(rule.name)).toHaveLength(1);
    await deleteAlertRule(getDb(), actor, rule.id);
    await evaluate();
    expect(messagesOf(rule.name)).toHaveLength(1);
    const history = await getDb()
      .selectFrom('alert_incidents')
      .selectAll()
      .where('rule_name', '=', rule.name)
      .execute();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ rule_id: null, resolution: 'rule_changed' });
    expect(history[0].resolved_at).not.toBeNull();

    const paused = await createRule('no_worker', { seconds: 30 });
    await evaluate();
    expect(messagesOf(paused.name)).toHaveLength(1);
    const off = await callRoute(ruleRoute.PATCH, {
      method: 'PATCH',
      params: { id: paused.id },
      auth: { session: admin },
      body: { enabled: false },
    });
    expect(off.body.rule).toMatchObject({ enabled: false, state: 'ok', open_incidents: 0 });
    await evaluate();
    expect(messagesOf(paused.name)).toHaveLength(1);
    const [closed] = await incidentsOf(paused.id);
    expect(closed.resolved_at).not.toBeNull();
    expect(closed.notifications.map((n) => n.kind)).toEqual(['firing']);
  });

  it('evaluates once when three processes run a pass at the same time', async () => {
    const pools = [createDb(getEnv().DATABASE_URL, { max: 2 }), createDb(getEnv().DATABASE_URL, { max: 2 })];
    const blocker = createDb(getEnv().DATABASE_URL, { max: 1 });
    try {
      const rule = await createRule('no_worker', { seconds: 30 });
      // The passes are made to overlap: the heartbeat table is locked, so a pass that evaluates
      // waits there, inside its transaction, until every pass has either waited or given way.
      const lock = await holdTableLock(blocker, 'worker_heartbeats');
      let settled = 0;
      const passes = [getDb(), ...pools].map((db) =>
        runAlertEvaluation(db).finally(() => {
          settled += 1;
        }),
      );
      await waitFor('every pass to wait at the lock or give way', async () => {
        const { rows } = await sql<{ waiting: number }>`
          select count(*)::int as waiting from pg_locks l join pg_class c on c.oid = l.relation
          where c.relname = 'worker_heartbeats' and not l.granted`.execute(getDb());
        return rows[0].waiting + settled === passes.length;
      });
      await lock.release();
      const results = await Promise.all(passes);
      expect(results.filter((r) => r.evaluated)).toHaveLength(1);
      expect(results.reduce((n, r) => n + r.opened, 0)).toBe(1);
      expect(messagesOf(rule.name)).toHaveLength(1);
      expect(
        await getDb().selectFrom('alert_incidents').select('id').where('rule_id', '=', rule.id).execute(),
      ).toHaveLength(1);
    } finally {
      await Promise.all([...pools, blocker].map((db) => db.destroy()));
    }
  });

  it('records an unreachable channel on the channel and the notification; the pass and the other channels go on', async () => {
    const dead = await createAlertChannel(getDb(), actor, {
      name: 'Dead hook',
      kind: 'slack',
      slack_webhook_url: 'http://127.0.0.1:9/services/T1/B1/closedport',
    });
    const rule = await createRule('no_worker', { seconds: 30 }, { channels: [dead.id, slackChannelId] });
    const result = await evaluate();
    expect(result).toMatchObject({ opened: 1, sent: 1, failed: 1 });
    expect(messagesOf(rule.name)).toHaveLength(1);
    const [incident] = await incidentsOf(rule.id);
    const byChannel = Object.fromEntries(incident.notifications.map((n) => [n.channel_name, n]));
    expect(byChannel['Dead hook']).toMatchObject({ ok: false, error: { code: 'connection_failed' } });
    expect(byChannel.Ops).toMatchObject({ ok: true });
    const channel = await getDb()
      .selectFrom('alert_channels')
      .selectAll()
      .where('id', '=', dead.id)
      .executeTakeFirstOrThrow();
    expect(channel).toMatchObject({ last_ok: false, last_error_code: 'connection_failed' });
    // The next pass sends nothing again and does not throw.
    await expect(evaluate()).resolves.toMatchObject({ evaluated: true, sent: 0, failed: 0 });
  });
});
