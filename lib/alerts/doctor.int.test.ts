import { expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { runCli } from '@/lib/cli/run-cli';
import { getDb } from '@/lib/db';
import { runAlertEvaluation } from './evaluator';
import { createAlertChannel, createAlertRule } from './service';

async function doctor() {
  const out: string[] = [];
  await runCli(['doctor', '--skip-network'], { db: getDb, output: { out: (l) => out.push(l), err: () => {} } });
  return out.join('\n');
}

const line = (out: string, check: string) => out.split('\n').find((l) => l.slice(6).startsWith(`${check} `)) ?? '';

it('reports whether alerts are evaluated and which channels cannot send', async () => {
  expect(line(await doctor(), 'alerts')).toMatch(/^OK\s+alerts\s+no alert rule is on/);
  const actor = systemActor('test');
  const dead = await createAlertChannel(getDb(), actor, {
    name: 'Dead hook',
    kind: 'slack',
    slack_webhook_url: 'http://127.0.0.1:9/services/T1/B1/closed',
  });
  // An email channel made while SMTP_URL was set elsewhere; this process has none.
  await getDb()
    .insertInto('alert_channels')
    .values({ name: 'Mail', kind: 'email', email_to: ['ops@example.test'] })
    .execute();
  await createAlertRule(getDb(), actor, {
    name: 'Workers',
    kind: 'no_worker',
    params: {},
    channel_ids: [dead.id],
    quiet_period_minutes: 60,
    enabled: true,
  });
  expect(line(await doctor(), 'alerts')).toMatch(/^WARN\s+alerts\s+1 rule\(s\) on, but never evaluated/);
  await runAlertEvaluation(getDb());
  const out = await doctor();
  expect(line(out, 'alerts')).toMatch(/^OK\s+alerts\s+1 rule\(s\) on, evaluated \d+ s ago/);
  expect(line(out, 'alert channel "Mail"')).toMatch(/^FAIL.*SMTP_URL is not set/);
  expect(line(out, 'alert channel "Dead hook"')).toMatch(/^WARN.*the last message failed .*connection_failed/);
});
