import type { Database } from '@/db/client';
import type { AlertRuleKind } from '@/db/types';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { type Actor, isAdmin, requireAdminReader } from '@/lib/auth/actor';
import { encryptSecret, getKeyring } from '@/lib/crypto/secret-box';
import { getEnv } from '@/lib/env';
import { AppError, isUniqueViolation } from '@/lib/errors';
import { blockedReason, refuseBlockedUrl } from '@/lib/http/destination-guard';
import { smtpSettingsOf } from './channels/email';
import { outcomeAt, sendToChannel } from './channels/registry';
import type { AlertMessage } from './channels/types';
import { testMessage } from './messages';
import {
  type ChannelRow,
  closeIncidentsOfRule,
  deleteChannelRow,
  deleteRuleRow,
  findChannelRow,
  findChannelRowForUpdate,
  findChannelRowsByIds,
  findEvaluatedAt,
  findExistingSourceIds,
  findRuleRow,
  insertChannelRow,
  insertRuleRow,
  insertSentNotificationRow,
  listChannelRows,
  listIncidentRows,
  listNotificationRowsOfIncidents,
  listRuleRows,
  lockRule,
  recordChannelResult,
  replaceRuleChannels,
  type RuleRow,
  type SendOutcome,
  updateChannelRow,
  updateRuleRow,
} from './repository';
import {
  type AlertResult,
  type AlertSettings,
  type CreateAlertChannelInput,
  type CreateAlertRuleInput,
  type ListAlertIncidentsQuery,
  type PublicAlertChannel,
  type PublicAlertIncident,
  type PublicAlertRule,
  RULE_PARAMS_SCHEMAS,
  type RuleTestResult,
  type UpdateAlertChannelInput,
  type UpdateAlertRuleInput,
} from './schemas';

function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError('forbidden', 'only admins can change alerts');
}

const actorId = (actor: Actor) => (actor.kind === 'user' ? actor.id : null);

/**
 * What the page shows of an incoming-webhook URL: the host and the start of each id, never the
 * token (the last segment), e.g. https://hooks.slack.com/services/T0…/B0…/••••.
 */
export function maskWebhookUrl(url: string): string {
  const parsed = new URL(url);
  const parts = parsed.pathname.split('/').filter(Boolean);
  const masked = parts.map((p, i) => {
    if (i === parts.length - 1) return '••••';
    if (i === 0 && p === 'services') return p;
    return `${p.slice(0, 2)}…`;
  });
  return `${parsed.protocol}//${parsed.host}/${masked.join('/')}`;
}

function toResult(
  ok: boolean | null,
  at: Date | null,
  code: string | null,
  message: string | null,
): AlertResult | null {
  if (ok === null || at === null) return null;
  return { ok, at: at.toISOString(), error: ok ? null : { code: code ?? 'error', message: message ?? '' } };
}

export function toPublicChannel(c: ChannelRow): PublicAlertChannel {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    enabled: c.enabled,
    email_to: c.kind === 'email' ? (c.email_to ?? []) : null,
    slack_webhook_url: c.kind === 'slack' ? (c.slack_webhook_url_hint ?? '••••') : null,
    last_result: toResult(c.last_ok, c.last_at, c.last_error_code, c.last_error_message),
    created_at: c.created_at.toISOString(),
    updated_at: c.updated_at.toISOString(),
  };
}

function toPublicRule(r: RuleRow): PublicAlertRule {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    enabled: r.enabled,
    params: r.params,
    channel_ids: r.channel_ids,
    quiet_period_minutes: r.quiet_period_minutes,
    state: r.open_incidents > 0 ? 'firing' : 'ok',
    open_incidents: r.open_incidents,
    last_notified_at: r.last_notified_at ? new Date(r.last_notified_at).toISOString() : null,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

function nameTaken(err: unknown, what: 'channel' | 'rule'): never {
  if (isUniqueViolation(err)) {
    throw new AppError('name_taken', `another alert ${what} has this name`, [
      { path: 'name', message: `another alert ${what} has this name` },
    ]);
  }
  throw err;
}

// ---- channels ----

async function getChannelRowOrThrow(db: Database, id: string): Promise<ChannelRow> {
  const row = await findChannelRow(db, id);
  if (!row) throw new AppError('alert_channel_not_found', 'alert channel not found');
  return row;
}

export async function listAlertChannels(db: Database, actor: Actor): Promise<PublicAlertChannel[]> {
  requireAdminReader(actor, 'alerts');
  return (await listChannelRows(db)).map(toPublicChannel);
}

export async function getAlertChannelOrThrow(db: Database, actor: Actor, id: string): Promise<PublicAlertChannel> {
  requireAdminReader(actor, 'alerts');
  return toPublicChannel(await getChannelRowOrThrow(db, id));
}

/**
 * The URL is https (plain http only to a loopback receiver the destination guard opens, for
 * tests and local fakes); an IP literal in a blocked range is refused now, a host name when sending.
 */
function checkSlackUrl(url: string): void {
  const parsed = new URL(url);
  if (parsed.protocol === 'http:') {
    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    const loopback = /^127\./.test(host) || host === '::1';
    if (!loopback || blockedReason(host, Number(parsed.port) || 80) !== null) {
      throw new AppError('validation_failed', 'slack_webhook_url: must be an https URL', [
        { path: 'slack_webhook_url', message: 'must be an https URL' },
      ]);
    }
  }
  refuseBlockedUrl('slack_webhook_url', url);
}

function requireEmailConfigured(): void {
  if (!smtpSettingsOf()) {
    throw new AppError(
      'email_not_configured',
      'email alerts need an SMTP server: set SMTP_URL (and ALERT_EMAIL_FROM) on the web and worker processes',
    );
  }
}

export async function createAlertChannel(
  db: Database,
  actor: Actor,
  input: CreateAlertChannelInput,
): Promise<PublicAlertChannel> {
  requireAdmin(actor);
  if (input.kind === 'email') requireEmailConfigured();
  else checkSlackUrl(input.slack_webhook_url);
  const slackUrl = input.kind === 'slack' ? input.slack_webhook_url : null;
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await insertChannelRow(trx, {
        name: input.name,
        kind: input.kind,
        enabled: input.enabled ?? true,
        email_to: input.kind === 'email' ? input.email_to : null,
        slack_webhook_url_encrypted: slackUrl ? encryptSecret(getKeyring(), slackUrl) : null,
        slack_webhook_url_hint: slackUrl ? maskWebhookUrl(slackUrl) : null,
        created_by: actorId(actor),
      });
      await recordAuditEvent(trx, {
        actor,
        action: 'alert_channel.created',
        targetType: 'alert_channel',
        targetId: row.id,
        details: { name: row.name, kind: row.kind, enabled: row.enabled, ...channelTarget(row) },
      });
      return toPublicChannel(row);
    });
  } catch (err) {
    nameTaken(err, 'channel');
  }
}

/** Where a channel writes, as audit details may show it: the addresses, or the masked URL. */
const channelTarget = (c: ChannelRow) =>
  c.kind === 'email' ? { email_to: c.email_to } : { slack_webhook_url: c.slack_webhook_url_hint };

export async function updateAlertChannel(
  db: Database,
  actor: Actor,
  id: string,
  input: UpdateAlertChannelInput,
): Promise<PublicAlertChannel> {
  requireAdmin(actor);
  try {
    return await db.transaction().execute(async (trx) => {
      const before = await findChannelRowForUpdate(trx, id);
      if (!before) throw new AppError('alert_channel_not_found', 'alert channel not found');
      if (input.email_to !== undefined && before.kind !== 'email') {
        throw new AppError('validation_failed', 'email_to: only an email channel has addresses', [
          { path: 'email_to', message: 'only an email channel has addresses' },
        ]);
      }
      if (input.slack_webhook_url !== undefined && before.kind !== 'slack') {
        throw new AppError('validation_failed', 'slack_webhook_url: only a Slack channel has a webhook URL', [
          { path: 'slack_webhook_url', message: 'only a Slack channel has a webhook URL' },
        ]);
      }
      if (input.slack_webhook_url !== undefined) checkSlackUrl(input.slack_webhook_url);
      const changes: Parameters<typeof updateChannelRow>[2] = {};
      const changed: Record<string, unknown> = {};
      if (input.name !== undefined && input.name !== before.name) {
        changes.name = input.name;
        changed.name = { from: before.name, to: input.name };
      }
      if (input.enabled !== undefined && input.enabled !== before.enabled) {
        changes.enabled = input.enabled;
        changed.enabled = { from: before.enabled, to: input.enabled };
      }
      if (input.email_to !== undefined && input.email_to.join() !== (before.email_to ?? []).join()) {
        changes.email_to = input.email_to;
        changed.email_to = { from: before.email_to, to: input.email_to };
      }
      if (input.slack_webhook_url !== undefined) {
        changes.slack_webhook_url_encrypted = encryptSecret(getKeyring(), input.slack_webhook_url);
        changes.slack_webhook_url_hint = maskWebhookUrl(input.slack_webhook_url);
        // Never the URL itself: its masked form, and that it was replaced.
        changed.slack_webhook_url = { from: before.slack_webhook_url_hint, to: changes.slack_webhook_url_hint };
      }
      if (Object.keys(changes).length === 0) return toPublicChannel(before);
      const row = await updateChannelRow(trx, id, changes);
      await recordAuditEvent(trx, {
        actor,
        action: 'alert_channel.updated',
        targetType: 'alert_channel',
        targetId: id,
        details: { name: before.name, changes: changed },
      });
      return toPublicChannel(row ?? before);
    });
  } catch (err) {
    nameTaken(err, 'channel');
  }
}

export async function deleteAlertChannel(db: Database, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  await db.transaction().execute(async (trx) => {
    const before = await findChannelRowForUpdate(trx, id);
    if (!before) throw new AppError('alert_channel_not_found', 'alert channel not found');
    await deleteChannelRow(trx, id);
    await recordAuditEvent(trx, {
      actor,
      action: 'alert_channel.deleted',
      targetType: 'alert_channel',
      targetId: id,
      details: { name: before.name, kind: before.kind },
    });
  });
}

/** Sends one message now and records it: on the channel (its last result) and in the notifications. */
async function sendAndRecord(
  db: Database,
  channel: ChannelRow,
  message: AlertMessage,
  ruleId: string | null,
): Promise<SendOutcome> {
  const result = await sendToChannel(channel, message);
  const outcome = outcomeAt(result, new Date());
  await recordChannelResult(db, channel.id, outcome);
  await insertSentNotificationRow(
    db,
    {
      incident_id: null,
      rule_id: ruleId,
      channel_id: channel.id,
      channel_name: channel.name,
      kind: 'test',
      subject_line: message.subject,
      body: message.text,
      link: message.link,
    },
    outcome,
  );
  return outcome;
}

const outcomeError = (o: SendOutcome) =>
  o.ok ? null : { code: o.errorCode ?? 'error', message: o.errorMessage ?? '' };

/** "Test": a real message through the channel (enabled or not: admins test before switching it on). */
export async function testAlertChannel(db: Database, actor: Actor, id: string): Promise<{ result: AlertResult }> {
  requireAdmin(actor);
  const channel = await getChannelRowOrThrow(db, id);
  const outcome = await sendAndRecord(db, channel, testMessage(), null);
  await recordAuditEvent(db, {
    actor,
    action: 'alert_channel.tested',
    targetType: 'alert_channel',
    targetId: id,
    details: { name: channel.name, ok: outcome.ok, error_code: outcome.errorCode },
  });
  return { result: { ok: outcome.ok, at: outcome.at.toISOString(), error: outcomeError(outcome) } };
}

// ---- rules ----

async function getRuleRowOrThrow(db: Database, id: string): Promise<RuleRow> {
  const row = await findRuleRow(db, id);
  if (!row) throw new AppError('alert_rule_not_found', 'alert rule not found');
  return row;
}

export async function listAlertRules(db: Database, actor: Actor): Promise<PublicAlertRule[]> {
  requireAdminReader(actor, 'alerts');
  return (await listRuleRows(db)).map(toPublicRule);
}

export async function getAlertRuleOrThrow(db: Database, actor: Actor, id: string): Promise<PublicAlertRule> {
  requireAdminReader(actor, 'alerts');
  return toPublicRule(await getRuleRowOrThrow(db, id));
}

/** The kind's parameters with their defaults, or 422 naming params.<field>. */
async function parseParams(db: Database, kind: AlertRuleKind, raw: Record<string, unknown>) {
  const result = RULE_PARAMS_SCHEMAS[kind].safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({
      path: ['params', ...i.path.map(String)].join('.'),
      message: i.message,
    }));
    throw new AppError('validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  }
  const params = result.data as Record<string, unknown>;
  const sourceIds = params.source_ids as string[] | null | undefined;
  if (sourceIds) {
    const existing = await findExistingSourceIds(db, sourceIds);
    const missing = sourceIds.filter((s) => !existing.has(s));
    if (missing.length > 0) {
      throw new AppError('validation_failed', `params.source_ids: no source ${missing[0]}`, [
        { path: 'params.source_ids', message: `no source ${missing.join(', ')}` },
      ]);
    }
  }
  return params;
}

async function checkChannelIds(db: Database, ids: readonly string[]): Promise<void> {
  const found = new Set((await findChannelRowsByIds(db, ids)).map((c) => c.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new AppError('validation_failed', `channel_ids: no alert channel ${missing[0]}`, [
      { path: 'channel_ids', message: `no alert channel ${missing.join(', ')}` },
    ]);
  }
}

export async function createAlertRule(
  db: Database,
  actor: Actor,
  input: CreateAlertRuleInput,
): Promise<PublicAlertRule> {
  requireAdmin(actor);
  const params = await parseParams(db, input.kind, input.params);
  await checkChannelIds(db, input.channel_ids);
  let id: string;
  try {
    id = await db.transaction().execute(async (trx) => {
      const row = await insertRuleRow(trx, {
        name: input.name,
        kind: input.kind,
        enabled: input.enabled,
        params,
        quiet_period_minutes: input.quiet_period_minutes,
        created_by: actorId(actor),
      });
      await replaceRuleChannels(trx, row.id, input.channel_ids);
      await recordAuditEvent(trx, {
        actor,
        action: 'alert_rule.created',
        targetType: 'alert_rule',
        targetId: row.id,
        details: {
          name: input.name,
          kind: input.kind,
          enabled: input.enabled,
          params,
          channel_ids: input.channel_ids,
          quiet_period_minutes: input.quiet_period_minutes,
        },
      });
      return row.id;
    });
  } catch (err) {
    nameTaken(err, 'rule');
  }
  return toPublicRule(await getRuleRowOrThrow(db, id));
}

/**
 * Edits a rule (never its kind). Switching it off closes its open incidents without a message:
 * nobody is told "resolved" about something that was not fixed.
 */
export async function updateAlertRule(
  db: Database,
  actor: Actor,
  id: string,
  input: UpdateAlertRuleInput,
): Promise<PublicAlertRule> {
  requireAdmin(actor);
  const before = await getRuleRowOrThrow(db, id);
  if (input.kind !== undefined && input.kind !== before.kind) {
    throw new AppError('validation_failed', 'kind: a rule cannot change kind; create another rule', [
      { path: 'kind', message: 'a rule cannot change kind; create another rule' },
    ]);
  }
  const params = input.params === undefined ? undefined : await parseParams(db, before.kind, input.params);
  if (input.channel_ids) await checkChannelIds(db, input.channel_ids);
  try {
    await db.transaction().execute(async (trx) => {
      if (!(await lockRule(trx, id))) throw new AppError('alert_rule_not_found', 'alert rule not found');
      const changed: Record<string, unknown> = {};
      const edits = { name: input.name, enabled: input.enabled, quiet_period_minutes: input.quiet_period_minutes };
      for (const [key, value] of Object.entries(edits) as [keyof typeof edits, unknown][]) {
        if (value !== undefined && value !== before[key]) changed[key] = { from: before[key], to: value };
      }
      if (params && JSON.stringify(params) !== JSON.stringify(before.params)) {
        changed.params = { from: before.params, to: params };
      }
      const channelIds = input.channel_ids;
      if (channelIds && [...channelIds].sort().join() !== [...before.channel_ids].sort().join()) {
        changed.channel_ids = { from: before.channel_ids, to: channelIds };
        await replaceRuleChannels(trx, id, channelIds);
      }
      if (Object.keys(changed).length === 0) return;
      await updateRuleRow(trx, id, { ...edits, params });
      const closed = input.enabled === false && before.enabled ? await closeIncidentsOfRule(trx, id) : 0;
      await recordAuditEvent(trx, {
        actor,
        action: 'alert_rule.updated',
        targetType: 'alert_rule',
        targetId: id,
        details: { name: before.name, changes: changed, ...(closed ? { incidents_closed: closed } : {}) },
      });
    });
  } catch (err) {
    nameTaken(err, 'rule');
  }
  return toPublicRule(await getRuleRowOrThrow(db, id));
}

/** Deletes a rule; its incidents stay in the history, closed without a message. */
export async function deleteAlertRule(db: Database, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  await db.transaction().execute(async (trx) => {
    if (!(await lockRule(trx, id))) throw new AppError('alert_rule_not_found', 'alert rule not found');
    const before = await findRuleRow(trx, id);
    const closed = await closeIncidentsOfRule(trx, id);
    await deleteRuleRow(trx, id);
    await recordAuditEvent(trx, {
      actor,
      action: 'alert_rule.deleted',
      targetType: 'alert_rule',
      targetId: id,
      details: { name: before?.name, kind: before?.kind, ...(closed ? { incidents_closed: closed } : {}) },
    });
  });
}

/** "Test": a test message to each of the rule's channels; a switched-off channel is reported, not sent to. */
export async function testAlertRule(db: Database, actor: Actor, id: string): Promise<{ results: RuleTestResult[] }> {
  requireAdmin(actor);
  const rule = await getRuleRowOrThrow(db, id);
  if (rule.channel_ids.length === 0) {
    throw new AppError('invalid_state', 'this rule has no channel to send to: add one first');
  }
  const channels = await findChannelRowsByIds(db, rule.channel_ids);
  const message = testMessage(rule.name, rule.kind);
  const results = await Promise.all(
    channels.map(async (channel): Promise<RuleTestResult> => {
      if (!channel.enabled) {
        return {
          channel_id: channel.id,
          channel_name: channel.name,
          ok: false,
          error: { code: 'channel_disabled', message: 'this channel is switched off: enable it to receive alerts' },
        };
      }
      const outcome = await sendAndRecord(db, channel, message, rule.id);
      return { channel_id: channel.id, channel_name: channel.name, ok: outcome.ok, error: outcomeError(outcome) };
    }),
  );
  await recordAuditEvent(db, {
    actor,
    action: 'alert_rule.tested',
    targetType: 'alert_rule',
    targetId: id,
    details: {
      name: rule.name,
      results: results.map((r) => ({ channel_id: r.channel_id, ok: r.ok, error_code: r.error?.code ?? null })),
    },
  });
  return { results };
}

// ---- incidents and settings ----

export async function listAlertIncidents(
  db: Database,
  actor: Actor,
  query: ListAlertIncidentsQuery,
): Promise<PublicAlertIncident[]> {
  requireAdminReader(actor, 'alerts');
  const incidents = await listIncidentRows(db, { state: query.state, ruleId: query.rule_id, limit: query.limit });
  const notifications = await listNotificationRowsOfIncidents(
    db,
    incidents.map((i) => i.id),
  );
  return incidents.map((i) => ({
    id: i.id,
    rule_id: i.rule_id,
    rule_name: i.rule_name,
    kind: i.kind,
    subject: i.subject,
    opened_at: i.opened_at.toISOString(),
    resolved_at: i.resolved_at?.toISOString() ?? null,
    details: i.details,
    link: i.link,
    notifications: notifications
      .filter((n) => n.incident_id === i.id && n.kind !== 'test')
      .map((n) => ({
        channel_id: n.channel_id,
        channel_name: n.channel_name,
        kind: n.kind as 'firing' | 'recovery',
        ok: n.ok,
        error: n.ok === false ? { code: n.error_code ?? 'error', message: n.error_message ?? '' } : null,
        at: (n.sent_at ?? n.created_at).toISOString(),
      })),
  }));
}

export async function getAlertSettings(db: Database, actor: Actor): Promise<AlertSettings> {
  requireAdminReader(actor, 'alerts');
  const smtp = smtpSettingsOf();
  const evaluatedAt = await findEvaluatedAt(db);
  return {
    email: { configured: smtp !== null, from: smtp?.from ?? null, host: smtp ? `${smtp.host}:${smtp.port}` : null },
    evaluated_at: evaluatedAt?.toISOString() ?? null,
    evaluate_seconds: getEnv().ALERTS_EVALUATE_SECONDS,
  };
}
