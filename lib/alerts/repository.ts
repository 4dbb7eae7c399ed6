import { type Transaction, sql } from 'kysely';
import type { Database } from '@/db/client';
import type { AlertChannelsTable, AlertNotificationKind, AlertRuleKind, DB } from '@/db/types';
import type { Selectable } from 'kysely';

type Db = Database | Transaction<DB>;

export type ChannelRow = Selectable<AlertChannelsTable>;

export function listChannelRows(db: Db): Promise<ChannelRow[]> {
  return db.selectFrom('alert_channels').selectAll().orderBy('created_at').orderBy('id').execute();
}

export function findChannelRow(db: Db, id: string): Promise<ChannelRow | undefined> {
  return db.selectFrom('alert_channels').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findChannelRowForUpdate(trx: Transaction<DB>, id: string): Promise<ChannelRow | undefined> {
  return trx.selectFrom('alert_channels').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findChannelRowsByIds(db: Db, ids: readonly string[]): Promise<ChannelRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('alert_channels').selectAll().where('id', 'in', ids).orderBy('name').execute();
}

export function insertChannelRow(
  db: Db,
  values: {
    name: string;
    kind: ChannelRow['kind'];
    enabled: boolean;
    email_to: string[] | null;
    slack_webhook_url_encrypted: string | null;
    slack_webhook_url_hint: string | null;
    created_by: string | null;
  },
): Promise<ChannelRow> {
  return db.insertInto('alert_channels').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateChannelRow(
  db: Db,
  id: string,
  changes: Partial<
    Pick<ChannelRow, 'name' | 'enabled' | 'email_to' | 'slack_webhook_url_encrypted' | 'slack_webhook_url_hint'>
  >,
): Promise<ChannelRow | undefined> {
  return db
    .updateTable('alert_channels')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteChannelRow(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('alert_channels').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export type SendOutcome = { ok: boolean; at: Date; errorCode: string | null; errorMessage: string | null };

/** The channel's last result, shown on its row; an older result never overwrites a newer one. */
export async function recordChannelResult(db: Db, id: string, outcome: SendOutcome): Promise<void> {
  await db
    .updateTable('alert_channels')
    .set({
      last_ok: outcome.ok,
      last_at: outcome.at,
      last_error_code: outcome.errorCode,
      last_error_message: outcome.errorMessage,
    })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_at', 'is', null), eb('last_at', '<=', outcome.at)]))
    .execute();
}

export type RuleRow = {
  id: string;
  name: string;
  kind: AlertRuleKind;
  enabled: boolean;
  params: Record<string, unknown>;
  quiet_period_minutes: number;
  created_at: Date;
  updated_at: Date;
  channel_ids: string[];
  open_incidents: number;
  last_notified_at: Date | null;
};

function ruleRows(db: Db) {
  return db.selectFrom('alert_rules as r').select([
    'r.id',
    'r.name',
    'r.kind',
    'r.enabled',
    'r.params',
    'r.quiet_period_minutes',
    'r.created_at',
    'r.updated_at',
    sql<string[]>`coalesce((select array_agg(rc.channel_id order by c.name, c.id)
        from alert_rule_channels rc join alert_channels c on c.id = rc.channel_id
        where rc.rule_id = r.id), '{}')`.as('channel_ids'),
    sql<number>`(select count(*)::int from alert_incidents i where i.rule_id = r.id and i.resolved_at is null)`.as(
      'open_incidents',
    ),
    sql<Date | null>`(select max(i.last_notified_at) from alert_incidents i where i.rule_id = r.id)`.as(
      'last_notified_at',
    ),
  ]);
}

export function listRuleRows(db: Db): Promise<RuleRow[]> {
  return ruleRows(db).orderBy('r.created_at').orderBy('r.id').execute();
}

export function findRuleRow(db: Db, id: string): Promise<RuleRow | undefined> {
  return ruleRows(db).where('r.id', '=', id).executeTakeFirst();
}

export async function lockRule(trx: Transaction<DB>, id: string): Promise<boolean> {
  const row = await trx.selectFrom('alert_rules').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  return row !== undefined;
}

export function insertRuleRow(
  db: Db,
  values: {
    name: string;
    kind: AlertRuleKind;
    enabled: boolean;
    params: Record<string, unknown>;
    quiet_period_minutes: number;
    created_by: string | null;
  },
): Promise<{ id: string }> {
  return db
    .insertInto('alert_rules')
    .values({ ...values, params: JSON.stringify(values.params) })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateRuleRow(
  db: Db,
  id: string,
  changes: { name?: string; enabled?: boolean; params?: Record<string, unknown>; quiet_period_minutes?: number },
): Promise<void> {
  await db
    .updateTable('alert_rules')
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.enabled === undefined ? {} : { enabled: changes.enabled }),
      ...(changes.params === undefined ? {} : { params: JSON.stringify(changes.params) }),
      ...(changes.quiet_period_minutes === undefined ? {} : { quiet_period_minutes: changes.quiet_period_minutes }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function replaceRuleChannels(db: Db, ruleId: string, channelIds: readonly string[]): Promise<void> {
  await db.deleteFrom('alert_rule_channels').where('rule_id', '=', ruleId).execute();
  if (channelIds.length === 0) return;
  await db
    .insertInto('alert_rule_channels')
    .values(channelIds.map((channel_id) => ({ rule_id: ruleId, channel_id })))
    .execute();
}

export async function deleteRuleRow(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('alert_rules').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Closes a rule's open incidents without a message: the rule was deleted or switched off. */
export async function closeIncidentsOfRule(db: Db, ruleId: string): Promise<number> {
  const result = await db
    .updateTable('alert_incidents')
    .set({ resolved_at: new Date(), resolution: 'rule_changed' })
    .where('rule_id', '=', ruleId)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Which of these ids are sources that exist (deleted ones do not count). */
export async function findExistingSourceIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('sources')
    .select('id')
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.id));
}

export type IncidentRow = {
  id: string;
  rule_id: string | null;
  rule_name: string;
  kind: AlertRuleKind;
  subject: string;
  details: string;
  link: string | null;
  opened_at: Date;
  resolved_at: Date | null;
};

export function listIncidentRows(
  db: Db,
  filter: { state?: 'open' | 'resolved'; ruleId?: string; limit: number },
): Promise<IncidentRow[]> {
  let q = db
    .selectFrom('alert_incidents')
    .select(['id', 'rule_id', 'rule_name', 'kind', 'subject', 'details', 'link', 'opened_at', 'resolved_at']);
  if (filter.state === 'open') q = q.where('resolved_at', 'is', null);
  if (filter.state === 'resolved') q = q.where('resolved_at', 'is not', null);
  if (filter.ruleId) q = q.where('rule_id', '=', filter.ruleId);
  return q.orderBy('opened_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

export type NotificationRow = {
  incident_id: string | null;
  channel_id: string | null;
  channel_name: string;
  kind: AlertNotificationKind;
  ok: boolean | null;
  error_code: string | null;
  error_message: string | null;
  created_at: Date;
  sent_at: Date | null;
};

export function listNotificationRowsOfIncidents(db: Db, incidentIds: readonly string[]): Promise<NotificationRow[]> {
  if (incidentIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('alert_notifications')
    .select([
      'incident_id',
      'channel_id',
      'channel_name',
      'kind',
      'ok',
      'error_code',
      'error_message',
      'created_at',
      'sent_at',
    ])
    .where('incident_id', 'in', incidentIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findEvaluatedAt(db: Db): Promise<Date | null> {
  const row = await db.selectFrom('alert_evaluations').select('evaluated_at').executeTakeFirst();
  return row?.evaluated_at ?? null;
}

export type NewNotification = {
  incident_id: string | null;
  rule_id: string | null;
  channel_id: string;
  channel_name: string;
  kind: AlertNotificationKind;
  subject_line: string;
  body: string;
  link: string | null;
};

/** Notifications to send: the evaluator's outbox (ok null until sent). */
export async function insertNotificationRows(db: Db, rows: readonly NewNotification[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insertInto('alert_notifications')
    .values([...rows])
    .returning('id')
    .execute();
  return inserted.map((r) => r.id);
}

/** A message already sent (the test buttons), with its outcome. */
export async function insertSentNotificationRow(db: Db, row: NewNotification, outcome: SendOutcome): Promise<void> {
  await db
    .insertInto('alert_notifications')
    .values({
      ...row,
      ok: outcome.ok,
      error_code: outcome.errorCode,
      error_message: outcome.errorMessage,
      sent_at: outcome.at,
    })
    .execute();
}

export async function recordNotificationResult(db: Db, id: string, outcome: SendOutcome): Promise<void> {
  await db
    .updateTable('alert_notifications')
    .set({ ok: outcome.ok, error_code: outcome.errorCode, error_message: outcome.errorMessage, sent_at: outcome.at })
    .where('id', '=', id)
    .execute();
}

export type ClaimedNotification = {
  id: string;
  incident_id: string | null;
  channel_id: string | null;
  channel_name: string;
  subject_line: string;
  body: string;
  link: string | null;
};

/**
 * Takes up to `limit` unsent notifications for this process: never claimed, or claimed so long
 * ago that the process that claimed them must have died before sending. SKIP LOCKED lets
 * several processes claim at once without taking the same row.
 */
export async function claimUnsentNotifications(
  db: Db,
  options: { staleAfterSeconds: number; limit: number },
): Promise<ClaimedNotification[]> {
  const { rows } = await sql<ClaimedNotification>`
    update alert_notifications n set claimed_at = now()
    where n.id in (
      select id from alert_notifications
      where ok is null
        and (claimed_at is null or claimed_at < now() - make_interval(secs => ${options.staleAfterSeconds}))
      order by created_at
      limit ${options.limit}
      for update skip locked
    )
    returning n.id, n.incident_id, n.channel_id, n.channel_name, n.subject_line, n.body, n.link
  `.execute(db);
  return rows;
}

export async function touchEvaluatedAt(db: Db): Promise<void> {
  await sql`insert into alert_evaluations (id, evaluated_at) values (1, now())
    on conflict (id) do update set evaluated_at = excluded.evaluated_at`.execute(db);
}
