import type { Transaction } from 'kysely';
import type { AlertRuleKind, DB } from '@/db/types';
import { HEALTH_PROBLEM } from '@/lib/sync/source-health';
import type { Finding } from './evaluate';
import {
  type EnabledRule,
  findBacklog,
  findDisabledEndpoints,
  findLatestFinishedRuns,
  findNewestHeartbeat,
  findUnhealthySources,
} from './evaluate-repository';
import { describeDuration, pageLink } from './messages';
import { type RuleParams, RULE_PARAMS_SCHEMAS } from './schemas';

type Context = { now: Date; openSubjectKeys: readonly string[] };
type Condition<K extends AlertRuleKind> = (
  trx: Transaction<DB>,
  params: RuleParams[K],
  rule: EnabledRule,
  ctx: Context,
) => Promise<Finding[]>;

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** What each kind of rule finds wrong now; a new kind is its params schema, one entry here and its text. */
const CONDITIONS: { [K in AlertRuleKind]: Condition<K> } = {
  source_unhealthy: async (trx, params) => {
    const sources = await findUnhealthySources(trx, params.source_ids);
    return sources.map((s) => ({
      subjectKey: s.id,
      subject: `Source ${s.name}`,
      problem: HEALTH_PROBLEM[s.health_status],
      details: sentence(
        `${s.consecutive_failures} failed attempt${s.consecutive_failures === 1 ? '' : 's'} in a row${
          s.health_error ? `; last error: ${s.health_error.slice(0, 300)}` : ''
        }${s.last_success_at ? `; last success ${s.last_success_at.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}`,
      ),
      since: null,
      link: pageLink(`/sync-admin/sources/${s.id}`),
    }));
  },
  run_failed: async (trx, params, rule, ctx) => {
    // Runs that finished before the rule existed are history, not news; older than a day neither.
    const since = new Date(Math.max(rule.created_at.getTime(), ctx.now.getTime() - 86_400_000));
    const runs = await findLatestFinishedRuns(trx, {
      since,
      postingIds: ctx.openSubjectKeys,
      sourceIds: params.source_ids,
    });
    return runs.flatMap((r) => {
      // A run that could not start at all (no source left) delivered nothing: all of it failed.
      const percent = r.total > 0 ? Math.round((r.failed / r.total) * 1000) / 10 : r.status === 'failed' ? 100 : 0;
      if (percent < params.failure_percent) return [];
      return [
        {
          subjectKey: r.job_posting_id,
          subject: `Posting ${r.title}`,
          problem: `had a sync run with ${percent}% failed`,
          details: `Its last run ended ${r.status.replace('_', ' ')}: ${r.failed} of ${r.total} deliveries failed (the rule fires at ${params.failure_percent}%).`,
          since: r.finished_at,
          link: pageLink(`/sync-admin/tasks/${r.run_id}`),
        },
      ];
    });
  },
  no_worker: async (trx, params, _rule, ctx) => {
    const newest = await findNewestHeartbeat(trx);
    if (newest && newest.last_seen.getTime() > ctx.now.getTime() - params.seconds * 1000) return [];
    return [
      {
        subjectKey: 'workers',
        subject: 'Workers',
        problem: `are down: none alive for ${describeDuration(params.seconds * 1000)}`,
        details: newest
          ? `The last worker heartbeat came ${describeDuration(ctx.now.getTime() - newest.last_seen.getTime())} ago from ${newest.host} (pid ${newest.pid}); syncs, retries and webhooks wait until a worker runs (npm run worker).`
          : 'No worker is running (none has sent a heartbeat); syncs, retries and webhooks wait until a worker runs (npm run worker).',
        since: newest?.last_seen ?? null,
        link: pageLink('/sync-admin'),
      },
    ];
  },
  queue_backlog: async (trx, params, _rule, ctx) => {
    const backlog = await findBacklog(trx, params.minutes);
    if (backlog.waiting === 0 || !backlog.oldest) return [];
    return [
      {
        subjectKey: 'queue',
        subject: 'The delivery queue',
        problem: `has deliveries waiting more than ${params.minutes} min`,
        details: `${backlog.waiting} deliver${backlog.waiting === 1 ? 'y has' : 'ies have'} waited to be sent for more than ${params.minutes} min; the oldest for ${describeDuration(ctx.now.getTime() - backlog.oldest.getTime())}.`,
        since: backlog.oldest,
        link: pageLink('/sync-admin'),
      },
    ];
  },
  webhook_disabled: async (trx) => {
    const endpoints = await findDisabledEndpoints(trx);
    return endpoints.map((e) => ({
      subjectKey: e.id,
      subject: `Webhook endpoint ${e.name}`,
      problem: 'is disabled',
      details: sentence(
        e.disabled_kind === 'failing'
          ? `Disabled automatically: ${e.disabled_reason ?? 'every delivery failed'}`
          : // The reason already names who ("Disabled by admin@example.com").
            `${e.disabled_reason || 'Disabled by an admin'}; no events are sent to it`,
      ),
      since: e.disabled_at,
      link: pageLink(`/sync-admin/webhooks?endpoint=${e.id}`),
    }));
  },
};

/** The rule's findings now; params are read again through the kind's schema (stored rows included). */
export async function findingsOf(trx: Transaction<DB>, rule: EnabledRule, ctx: Context): Promise<Finding[]> {
  const params = RULE_PARAMS_SCHEMAS[rule.kind].parse(rule.params);
  const condition = CONDITIONS[rule.kind] as Condition<AlertRuleKind>;
  return condition(trx, params as never, rule, ctx);
}
