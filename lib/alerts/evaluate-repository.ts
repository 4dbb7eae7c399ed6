import { type Transaction, sql } from 'kysely';
import type { AlertRuleKind, DB, SourceHealth } from '@/db/types';
import { UNHEALTHY_STATUSES } from '@/lib/sync/source-health';
import type { ClearedIncident, OpenIncident } from './evaluate';
import type { ChannelRow } from './repository';

type Trx = Transaction<DB>;

/** Any constant that no other advisory lock of the product uses: "ATS alrt". */
export const EVALUATION_LOCK_KEY = 0x41545320616c7274n;

/** Whether this transaction is the one evaluation pass now; the lock ends with the transaction. */
export async function tryEvaluationLock(trx: Trx): Promise<boolean> {
  const { rows } = await sql<{
    locked: boolean;
  }>`select pg_try_advisory_xact_lock(${EVALUATION_LOCK_KEY.toString()}::bigint) as locked`.execute(trx);
  return rows[0]?.locked === true;
}

export type EnabledRule = {
  id: string;
  name: string;
  kind: AlertRuleKind;
  params: Record<string, unknown>;
  quiet_period_minutes: number;
  created_at: Date;
  channels: ChannelRow[];
};

export async function findEnabledRules(trx: Trx): Promise<EnabledRule[]> {
  const rules = await trx
    .selectFrom('alert_rules')
    .select(['id', 'name', 'kind', 'params', 'quiet_period_minutes', 'created_at'])
    .where('enabled', '=', true)
    .orderBy('created_at')
    .execute();
  if (rules.length === 0) return [];
  const links = await trx
    .selectFrom('alert_rule_channels as rc')
    .innerJoin('alert_channels as c', 'c.id', 'rc.channel_id')
    .selectAll('c')
    .select('rc.rule_id')
    .where('c.enabled', '=', true)
    .where(
      'rc.rule_id',
      'in',
      rules.map((r) => r.id),
    )
    .execute();
  return rules.map((r) => ({ ...r, channels: links.filter((l) => l.rule_id === r.id) }));
}

export async function findOpenIncidents(
  trx: Trx,
  ruleId: string,
): Promise<(OpenIncident & { subject: string; firedAt: Date; link: string | null })[]> {
  const rows = await trx
    .selectFrom('alert_incidents')
    .select(['id', 'subject_key', 'subject', 'details', 'fired_at', 'link'])
    .where('rule_id', '=', ruleId)
    .where('resolved_at', 'is', null)
    .forUpdate()
    .execute();
  return rows.map((r) => ({
    id: r.id,
    subjectKey: r.subject_key,
    subject: r.subject,
    details: r.details,
    firedAt: r.fired_at,
    link: r.link,
  }));
}

/** Per subject, the latest incident of the rule that cleared (not one closed by a rule change). */
export async function findLastClearedIncidents(
  trx: Trx,
  ruleId: string,
  subjectKeys: readonly string[],
): Promise<ClearedIncident[]> {
  if (subjectKeys.length === 0) return [];
  const { rows } = await sql<{ id: string; subject_key: string; last_message_at: Date }>`
    select distinct on (subject_key) id, subject_key, coalesce(last_notified_at, resolved_at) as last_message_at
    from alert_incidents
    where rule_id = ${ruleId} and subject_key = any(${sql.val([...subjectKeys])}::text[])
      and resolved_at is not null and resolution = 'cleared'
    order by subject_key, resolved_at desc
  `.execute(trx);
  return rows.map((r) => ({ id: r.id, subjectKey: r.subject_key, lastMessageAt: r.last_message_at }));
}

export async function insertIncident(
  trx: Trx,
  values: {
    rule_id: string;
    rule_name: string;
    kind: AlertRuleKind;
    subject_key: string;
    subject: string;
    details: string;
    link: string | null;
    fired_at: Date;
    last_notified_at: Date | null;
  },
): Promise<{ id: string; fired_at: Date }> {
  return trx.insertInto('alert_incidents').values(values).returning(['id', 'fired_at']).executeTakeFirstOrThrow();
}

export async function reopenIncident(
  trx: Trx,
  id: string,
  details: string,
  link: string | null,
  firedAt: Date,
): Promise<void> {
  await trx
    .updateTable('alert_incidents')
    .set({ resolved_at: null, resolution: null, fired_at: firedAt, details, link })
    .where('id', '=', id)
    .execute();
}

export async function updateIncidentDetails(trx: Trx, id: string, details: string, link: string | null): Promise<void> {
  await trx.updateTable('alert_incidents').set({ details, link }).where('id', '=', id).execute();
}

export async function resolveIncident(trx: Trx, id: string, at: Date, notified: boolean): Promise<void> {
  await trx
    .updateTable('alert_incidents')
    .set({ resolved_at: at, resolution: 'cleared', ...(notified ? { last_notified_at: at } : {}) })
    .where('id', '=', id)
    .execute();
}

// ---- the conditions, one query each ----

export type UnhealthySourceRow = {
  id: string;
  name: string;
  health_status: (typeof UNHEALTHY_STATUSES)[number];
  health_error: string | null;
  consecutive_failures: number;
  last_success_at: Date | null;
};

export function findUnhealthySources(trx: Trx, sourceIds: readonly string[] | null): Promise<UnhealthySourceRow[]> {
  let q = trx
    .selectFrom('sources')
    .select(['id', 'name', 'health_status', 'health_error', 'consecutive_failures', 'last_success_at'])
    .where('deleted_at', 'is', null)
    .where('is_active', '=', true)
    .where('health_status', 'in', [...UNHEALTHY_STATUSES] as SourceHealth[]);
  if (sourceIds) q = q.where('id', 'in', sourceIds.length ? sourceIds : ['00000000-0000-0000-0000-000000000000']);
  return q.orderBy('name').execute() as Promise<UnhealthySourceRow[]>;
}

export type FinishedRunRow = {
  run_id: string;
  job_posting_id: string;
  title: string;
  status: string;
  finished_at: Date;
  total: number;
  failed: number;
};

/**
 * Per posting, its latest finished run (cancelled ones aside): among runs finished since `since`,
 * and for `postingIds` (those with an open incident) whenever it finished, so an incident
 * resolves only on a newer run. With `sourceIds`, only those sources' deliveries count.
 */
export async function findLatestFinishedRuns(
  trx: Trx,
  options: { since: Date; postingIds: readonly string[]; sourceIds: readonly string[] | null },
): Promise<FinishedRunRow[]> {
  const counts = options.sourceIds
    ? sql`(select coalesce(sum(p.total), 0)::int from sync_run_progress p where p.run_id = r.id and p.source_id = any(${sql.val([...options.sourceIds])}::uuid[])) as total,
          (select coalesce(sum(p.failed), 0)::int from sync_run_progress p where p.run_id = r.id and p.source_id = any(${sql.val([...options.sourceIds])}::uuid[])) as failed`
    : sql`r.total, r.failed`;
  const sourceFilter = options.sourceIds
    ? sql`and (r.source_ids is null or r.source_ids && ${sql.val([...options.sourceIds])}::uuid[])`
    : sql``;
  const { rows } = await sql<FinishedRunRow>`
    select distinct on (r.job_posting_id) r.id as run_id, r.job_posting_id, j.title, r.status, r.finished_at, ${counts}
    from sync_runs r join job_postings j on j.id = r.job_posting_id
    where r.status in ('completed', 'partially_failed', 'failed')
      and (r.finished_at >= ${options.since} or r.job_posting_id = any(${sql.val([...options.postingIds])}::uuid[]))
      ${sourceFilter}
    order by r.job_posting_id, r.finished_at desc, r.id desc
  `.execute(trx);
  return rows;
}

export async function findNewestHeartbeat(
  trx: Trx,
): Promise<{ last_seen: Date; host: string; pid: number } | undefined> {
  return trx
    .selectFrom('worker_heartbeats')
    .select(['last_seen', 'host', 'pid'])
    .orderBy('last_seen', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Deliveries waiting to be sent longer than `minutes`: pending, not held by a worker, not waiting
 * for a retry time, of an active source that is not paused, in a run still going.
 */
export async function findBacklog(trx: Trx, minutes: number): Promise<{ waiting: number; oldest: Date | null }> {
  const { rows } = await sql<{ waiting: number; oldest: Date | null }>`
    select count(*)::int as waiting, min(coalesce(d.next_attempt_at, d.created_at)) as oldest
    from sync_deliveries d
    join sources s on s.id = d.source_id and s.is_active and s.deleted_at is null
    join sync_runs r on r.id = d.run_id and r.status in ('pending', 'running')
    where d.status = 'pending'
      and (d.held_until is null or d.held_until < now())
      and (d.next_attempt_at is null or d.next_attempt_at <= now())
      and coalesce(d.next_attempt_at, d.created_at) < now() - make_interval(mins => ${minutes})
      and not exists (select 1 from source_pauses p where p.source_id = d.source_id and p.paused_until > now())
  `.execute(trx);
  return rows[0] ?? { waiting: 0, oldest: null };
}

export function findDisabledEndpoints(trx: Trx) {
  return trx
    .selectFrom('webhook_endpoints')
    .select(['id', 'name', 'disabled_at', 'disabled_kind', 'disabled_reason'])
    .where('is_active', '=', false)
    .orderBy('name')
    .execute();
}
