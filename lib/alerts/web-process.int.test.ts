import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { type SlackFake, startSlackFake } from '@/test/fakes/slack-webhook';
import { assembleImageApp, startImageWeb, type WebProcess } from '@/test/image-runtime';
import { freePort } from '@/test/setup/global-setup';
import { waitFor } from '@/test/sync-harness';
import { createAlertChannel, createAlertRule } from './service';

/**
 * The web server alone, started as the image starts it (the standalone build), with no worker
 * anywhere: its own evaluator (instrumentation.ts register()) must tell that no worker is alive.
 */
const BUILD_BOUND_MS = 900_000;

let app: ReturnType<typeof assembleImageApp>;
let slack: SlackFake;
let web: WebProcess | undefined;

beforeAll(async () => {
  app = assembleImageApp();
  slack = await startSlackFake();
}, BUILD_BOUND_MS);

afterAll(async () => {
  await web?.stop();
  await slack?.close();
  app?.remove();
});

it('evaluates alerts in the web process while no worker is alive', async () => {
  const actor = systemActor('test');
  const channel = await createAlertChannel(getDb(), actor, {
    name: 'Web ops',
    kind: 'slack',
    slack_webhook_url: slack.webhookUrl,
  });
  await createAlertRule(getDb(), actor, {
    name: 'Workers down',
    kind: 'no_worker',
    params: { seconds: 30 },
    channel_ids: [channel.id],
    quiet_period_minutes: 60,
    enabled: true,
  });
  expect(await getDb().selectFrom('worker_heartbeats').select('id').execute()).toEqual([]);

  const port = await freePort();
  web = await startImageWeb(app.dir, port, {
    DATABASE_URL: process.env.DATABASE_URL ?? '',
    APP_URL: `http://127.0.0.1:${port}`,
    HOSTNAME: '127.0.0.1',
    // The same keys as this test's process, which encrypted the webhook URL.
    APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY ?? '',
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? '',
    OUTBOUND_ALLOW_CIDRS: '127.0.0.1/32',
    ALERTS_EVALUATE_SECONDS: '1',
    LOG_LEVEL: 'warn',
  });
  const [request] = await slack.waitForRequests(1);
  const text = String(JSON.parse(request.body).text);
  expect(text).toContain('[ATS Sync] Workers are down: none alive for 30 s');
  expect(text).toContain(`Open: http://127.0.0.1:${port}/sync-admin`);
  const evaluated = await waitFor('the web process to record its evaluation', async () =>
    getDb().selectFrom('alert_evaluations').select('evaluated_at').executeTakeFirst(),
  );
  expect(evaluated.evaluated_at).toBeInstanceOf(Date);
  // Later passes send nothing more while the incident is open.
  const before = (await getDb().selectFrom('alert_evaluations').select('evaluated_at').executeTakeFirstOrThrow())
    .evaluated_at;
  await waitFor('another pass', async () => {
    const row = await getDb().selectFrom('alert_evaluations').select('evaluated_at').executeTakeFirstOrThrow();
    return row.evaluated_at > before;
  });
  expect(slack.requests).toHaveLength(1);
});
