import type { Logger } from 'pino';
import type { Database } from '@/db/client';
import { outcomeAt, sendToChannel } from './channels/registry';
import type { AlertMessage, ChannelOutcome } from './channels/types';
import { findingsOf } from './conditions';
import { decide } from './evaluate';
import {
  type EnabledRule,
  findEnabledRules,
  findLastClearedIncidents,
  findOpenIncidents,
  insertIncident,
  reopenIncident,
  resolveIncident,
  tryEvaluationLock,
  updateIncidentDetails,
} from './evaluate-repository';
import { firingMessage, recoveryMessage } from './messages';
import {
  claimUnsentNotifications,
  findChannelRowsByIds,
  insertNotificationRows,
  recordChannelResult,
  recordNotificationResult,
  touchEvaluatedAt,
} from './repository';

export type EvaluationResult = {
  /** false: another process held the lock and evaluated this time. */
  evaluated: boolean;
  opened: number;
  reopened: number;
  resolved: number;
  sent: number;
  failed: number;
};

/** A claimed notification left unsent this long is taken for lost (its process died) and sent again. */
const CLAIM_STALE_SECONDS = 120;
const SEND_BATCH = 100;

type Trx = Parameters<Parameters<ReturnType<Database['transaction']>['execute']>[0]>[0];

function outboxRows(rule: EnabledRule, incidentId: string, kind: 'firing' | 'recovery', message: AlertMessage) {
  return rule.channels.map((c) => ({
    incident_id: incidentId,
    rule_id: rule.id,
    channel_id: c.id,
    channel_name: c.name,
    kind,
    subject_line: message.subject,
    body: message.text,
    link: message.link,
  }));
}

/** One rule's decisions, written with their messages into the outbox, in the pass's transaction. */
async function evaluateRule(trx: Trx, rule: EnabledRule, now: Date, counts: EvaluationResult): Promise<void> {
  const open = await findOpenIncidents(trx, rule.id);
  const findings = await findingsOf(trx, rule, { now, openSubjectKeys: open.map((i) => i.subjectKey) });
  const openKeys = new Set(open.map((i) => i.subjectKey));
  const cleared = await findLastClearedIncidents(
    trx,
    rule.id,
    findings.filter((f) => !openKeys.has(f.subjectKey)).map((f) => f.subjectKey),
  );
  const notified = rule.channels.length > 0 ? now : null;
  for (const d of decide(findings, open, cleared, rule.quiet_period_minutes, now)) {
    if (d.action === 'open') {
      const f = d.finding;
      const incident = await insertIncident(trx, {
        rule_id: rule.id,
        rule_name: rule.name,
        kind: rule.kind,
        subject_key: f.subjectKey,
        subject: f.subject,
        details: f.details,
        link: f.link,
        fired_at: f.since ?? now,
        last_notified_at: notified,
      });
      const message = firingMessage({ ruleName: rule.name, ...f, since: f.since ?? now });
      await insertNotificationRows(trx, outboxRows(rule, incident.id, 'firing', message));
      counts.opened += 1;
    } else if (d.action === 'reopen') {
      // Flapping within the quiet period: the same incident again, no new firing message.
      await reopenIncident(trx, d.incidentId, d.finding.details, d.finding.link, d.finding.since ?? now);
      counts.reopened += 1;
    } else if (d.action === 'update') {
      await updateIncidentDetails(trx, d.incidentId, d.finding.details, d.finding.link);
    } else {
      const incident = open.find((i) => i.id === d.incidentId);
      if (!incident) continue;
      await resolveIncident(trx, incident.id, now, notified !== null);
      const message = recoveryMessage(
        {
          ruleName: rule.name,
          subject: incident.subject,
          problem: '',
          details: incident.details,
          since: incident.firedAt,
          link: incident.link,
        },
        now,
      );
      await insertNotificationRows(trx, outboxRows(rule, incident.id, 'recovery', message));
      counts.resolved += 1;
    }
  }
}

/**
 * One evaluation pass, the same in every web and worker process: decisions inside one
 * transaction holding a transaction-level advisory lock, so of N processes one decides and the
 * others skip; the messages decided are committed as unsent notifications (the outbox) and sent
 * after the commit, outside the lock, each with its own timeout. A channel that fails is recorded
 * on the channel and the notification; nothing here throws for it.
 */
export async function runAlertEvaluation(db: Database, log?: Logger): Promise<EvaluationResult> {
  const counts: EvaluationResult = { evaluated: false, opened: 0, reopened: 0, resolved: 0, sent: 0, failed: 0 };
  await db.transaction().execute(async (trx) => {
    if (!(await tryEvaluationLock(trx))) return;
    counts.evaluated = true;
    const now = new Date();
    await touchEvaluatedAt(trx);
    for (const rule of await findEnabledRules(trx)) {
      await evaluateRule(trx, rule, now, counts);
    }
  });
  const sent = await sendPendingNotifications(db, log);
  counts.sent = sent.sent;
  counts.failed = sent.failed;
  return counts;
}

/** Sends what the outbox holds (this pass's messages, or those of a process that died sending). */
export async function sendPendingNotifications(db: Database, log?: Logger): Promise<{ sent: number; failed: number }> {
  const claimed = await claimUnsentNotifications(db, { staleAfterSeconds: CLAIM_STALE_SECONDS, limit: SEND_BATCH });
  if (claimed.length === 0) return { sent: 0, failed: 0 };
  const ids = [...new Set(claimed.flatMap((n) => (n.channel_id ? [n.channel_id] : [])))];
  const channels = new Map((await findChannelRowsByIds(db, ids)).map((c) => [c.id, c]));
  let sent = 0;
  let failed = 0;
  await Promise.all(
    claimed.map(async (n) => {
      const channel = n.channel_id ? channels.get(n.channel_id) : undefined;
      let result: ChannelOutcome;
      if (!channel) result = { ok: false, code: 'channel_deleted', message: 'the channel was deleted before sending' };
      else if (!channel.enabled)
        result = { ok: false, code: 'channel_disabled', message: 'the channel was switched off' };
      else result = await sendToChannel(channel, { subject: n.subject_line, text: n.body, link: n.link });
      const outcome = outcomeAt(result, new Date());
      await recordNotificationResult(db, n.id, outcome);
      if (channel) await recordChannelResult(db, channel.id, outcome);
      if (result.ok) sent += 1;
      else {
        failed += 1;
        log?.warn({ channelId: n.channel_id, channel: n.channel_name, code: outcome.errorCode }, 'alert not sent');
      }
    }),
  );
  return { sent, failed };
}

export type AlertEvaluator = { stop(): Promise<void> };

/**
 * Runs a pass every `intervalSeconds` in this process until stopped. Every web and worker
 * process runs one (the advisory lock makes N of them evaluate once), so alerts go out while no
 * worker is alive. A failed pass (database away, a bug) is logged and the next one runs on time.
 */
export function startAlertEvaluator(db: Database, options: { intervalSeconds: number; log: Logger }): AlertEvaluator {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const pass = async () => {
    try {
      const result = await runAlertEvaluation(db, options.log);
      if (result.opened || result.resolved || result.failed) options.log.info({ alerts: result }, 'alerts evaluated');
    } catch (err) {
      options.log.warn({ err }, 'alert evaluation failed');
    }
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().finally(() => {
        running = undefined;
        schedule(options.intervalSeconds * 1000);
      });
    }, ms);
    // The evaluator never keeps a process alive on its own.
    timer.unref();
  };
  // The first pass soon after start, so the page can show that alerts are being checked.
  schedule(Math.min(1000, options.intervalSeconds * 1000));
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
