'use client';

import { useMemo, useState } from 'react';
import { Badge } from '@/app/components/badge';
import { ConfirmDialog } from '@/app/components/confirm-dialog-client';
import { DateTime } from '@/app/components/date-time';
import { EmptyState } from '@/app/components/empty-state';
import { LoadError } from '@/app/components/notice';
import { PageHeader } from '@/app/components/page-header';
import { RowAction } from '@/app/components/row-action';
import { TableHead } from '@/app/components/table-head';
import { Writes } from '@/app/components/write-access-client';
import type { PublicSource } from '@/lib/sources/schemas';
import {
  type AlertChannel,
  type AlertIncident,
  type AlertRule,
  type AlertSettings,
  type AlertsApi,
  type InitialAlerts,
  useAlerts,
} from '@/lib/swr/use-alerts';
import { useSources } from '@/lib/swr/use-sources';
import { ActionFeedback, useActionFeedback } from '../../recruitment/action-feedback';
import { ChannelDialog, EMAIL_SETUP } from './channel-form-client';
import { CHANNEL_KINDS, destinationOf } from './channel-form';
import { describeCondition, describeQuietPeriod, firingSince } from './conditions';
import { formatElapsed, incidentDuration, notificationSummary, orderIncidents } from './incidents';
import { RuleDialog } from './rule-form-client';
import { channelTestOutcome, requestFailedOutcome, ruleTestOutcome, type TestOutcome } from './test-messages';
import { useNow } from './use-now';

// The evaluator runs every few seconds in the web server and every worker; a check older than a
// few of its rounds means none of them is running it.
const STALE_CHECKS = 4;

type Editing<T> = { open: false } | { open: true; item: T | null };
const CLOSED = { open: false } as const;

export function AlertsClient({ initialSources, initial }: { initialSources: PublicSource[]; initial: InitialAlerts }) {
  const api = useAlerts(initial);
  const { sources } = useSources(initialSources);
  const feedback = useActionFeedback();
  const now = useNow(30_000);
  const [tests, setTests] = useState<Record<string, TestOutcome | 'pending'>>({});
  const [editingRule, setEditingRule] = useState<Editing<AlertRule>>(CLOSED);
  const [editingChannel, setEditingChannel] = useState<Editing<AlertChannel>>(CLOSED);
  const [deletingRule, setDeletingRule] = useState<AlertRule | null>(null);
  const [deletingChannel, setDeletingChannel] = useState<AlertChannel | null>(null);

  const sourceNames = useMemo(() => new Map(sources.map((s) => [s.id, s.name])), [sources]);
  const channels = api.channels ?? [];
  const rules = api.rules ?? [];

  /** Runs a test and keeps its outcome beside the row's buttons (a live region announces it). */
  async function runTest(key: string, test: () => Promise<TestOutcome>) {
    setTests((t) => ({ ...t, [key]: 'pending' }));
    let outcome: TestOutcome;
    try {
      outcome = await test();
    } catch (err) {
      outcome = requestFailedOutcome(err);
    }
    setTests((t) => ({ ...t, [key]: outcome }));
  }

  const testRule = (rule: AlertRule) =>
    runTest(`rule:${rule.id}`, async () => ruleTestOutcome(await api.testRule(rule.id)));
  const testChannel = (channel: AlertChannel) =>
    runTest(`channel:${channel.id}`, async () => channelTestOutcome(channel, await api.testChannel(channel.id)));

  function switchRule(rule: AlertRule) {
    void feedback.attempt(async () => {
      await api.updateRule(rule.id, { enabled: !rule.enabled });
      return rule.enabled
        ? `${rule.name} is disabled: it is not checked, and its open incidents are closed without a message.`
        : `${rule.name} is enabled: it is checked from now on.`;
    });
  }

  function switchChannel(channel: AlertChannel) {
    void feedback.attempt(async () => {
      await api.updateChannel(channel.id, { enabled: !channel.enabled });
      return channel.enabled
        ? `${channel.name} is disabled: rules skip it until it is enabled again.`
        : `${channel.name} is enabled: rules that use it send to it again.`;
    });
  }

  const openIncidents = api.openIncidents ?? [];

  return (
    <div className="space-y-8">
      <PageHeader
        title="Alerts"
        description={
          <>
            Tell people by email or Slack when syncing breaks, once per outage, and again when it recovers.{' '}
            <CheckedLine settings={api.settings} now={now} />
          </>
        }
      >
        <Writes>
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              className="btn-secondary"
              onClick={() => setEditingChannel({ open: true, item: null })}
            >
              Add channel
            </button>
            <button type="button" className="btn-primary" onClick={() => setEditingRule({ open: true, item: null })}>
              New rule
            </button>
          </div>
        </Writes>
      </PageHeader>

      <ActionFeedback notice={feedback.notice} error={feedback.error} />

      <section aria-labelledby="rules-heading" className="space-y-3">
        <SectionHeading id="rules-heading" title="Rules">
          {openIncidents.length > 0 && (
            <a href="#incidents-heading" className="text-sm font-medium text-red-700 underline">
              {openIncidents.length} open incident{openIncidents.length === 1 ? '' : 's'}
            </a>
          )}
        </SectionHeading>
        {api.rulesError && <LoadError what="alert rules" error={api.rulesError} onRetry={api.reloadRules} />}
        <div className="card overflow-x-auto">
          {!api.rules ? (
            <Loading what="rules" failed={!!api.rulesError} />
          ) : rules.length === 0 ? (
            <EmptyState
              title="No alert rules yet"
              description={
                channels.length === 0
                  ? 'Add a channel first (an email list or a Slack channel), then a rule that says when to use it.'
                  : 'A rule says what to watch (a source, failed runs, the workers, the queue, webhook endpoints) and whom to tell.'
              }
            >
              <Writes>
                <button
                  type="button"
                  className="btn-primary"
                  onClick={() =>
                    channels.length === 0
                      ? setEditingChannel({ open: true, item: null })
                      : setEditingRule({ open: true, item: null })
                  }
                >
                  {channels.length === 0 ? 'Add a channel' : 'Add a rule'}
                </button>
              </Writes>
            </EmptyState>
          ) : (
            <table className="table">
              <caption className="sr-only">Alert rules with their channels and state</caption>
              <TableHead columns={['Rule', 'Channels', 'Quiet period', 'State']} />
              <tbody className="divide-y divide-slate-100">
                {rules.map((rule) => (
                  <tr key={rule.id}>
                    <td className="min-w-56 max-w-sm">
                      <div className="font-medium text-slate-900">{rule.name}</div>
                      <div className="mt-0.5 text-xs text-slate-600">{describeCondition(rule, sourceNames)}</div>
                    </td>
                    <td className="min-w-40 max-w-xs">
                      <RuleChannels rule={rule} channels={api.channels} />
                    </td>
                    <td className="whitespace-nowrap">{describeQuietPeriod(rule.quiet_period_minutes)}</td>
                    <td className="min-w-40">
                      <RuleState rule={rule} openIncidents={openIncidents} />
                    </td>
                    <td>
                      <ItemActions
                        name={rule.name}
                        enabled={rule.enabled}
                        outcome={tests[`rule:${rule.id}`]}
                        onTest={() => void testRule(rule)}
                        onEdit={() => setEditingRule({ open: true, item: rule })}
                        onSwitch={() => switchRule(rule)}
                        onDelete={() => setDeletingRule(rule)}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </section>

      <section aria-labelledby="channels-heading" className="space-y-3">
        <SectionHeading id="channels-heading" title="Channels" />
        {api.settings?.email.configured === false && (
          <p className="text-sm text-slate-600">Email is not set up on this server. {EMAIL_SETUP}</p>
        )}
        {api.channelsError && (
          <LoadError what="alert channels" error={api.channelsError} onRetry={api.reloadChannels} />
        )}
        <div className="card overflow-x-auto">
          {!api.channels ? (
            <Loading what="channels" failed={!!api.channelsError} />
          ) : channels.length === 0 ? (
            <EmptyState
              title="No channels yet"
              description="A channel is where alerts go: a list of email addresses or a Slack channel's incoming webhook."
            >
              <Writes>
                <button
                  type="button"
                  className="btn-primary"
                  onClick={() => setEditingChannel({ open: true, item: null })}
                >
                  Add a channel
                </button>
              </Writes>
            </EmptyState>
          ) : (
            <table className="table">
              <caption className="sr-only">Alert channels with where they send and their last result</caption>
              <TableHead columns={['Channel', 'Type', 'Destination', 'Last result']} />
              <tbody className="divide-y divide-slate-100">
                {channels.map((channel) => (
                  <tr key={channel.id}>
                    <td className="min-w-40">
                      <div className="font-medium text-slate-900">{channel.name}</div>
                      {!channel.enabled && (
                        <div className="mt-1">
                          <Badge tone="gray">Disabled</Badge>
                        </div>
                      )}
                    </td>
                    <td className="whitespace-nowrap">
                      {CHANNEL_KINDS[channel.kind]}
                      {channel.kind === 'email' && api.settings?.email.configured === false && (
                        <div className="text-xs text-amber-800">Email not set up</div>
                      )}
                    </td>
                    <td className="max-w-xs">
                      <div className="break-words font-mono text-xs text-slate-700">{destinationOf(channel)}</div>
                    </td>
                    <td className="min-w-48 max-w-sm">
                      <LastResult channel={channel} />
                    </td>
                    <td>
                      <ItemActions
                        name={channel.name}
                        enabled={channel.enabled}
                        outcome={tests[`channel:${channel.id}`]}
                        onTest={() => void testChannel(channel)}
                        onEdit={() => setEditingChannel({ open: true, item: channel })}
                        onSwitch={() => switchChannel(channel)}
                        onDelete={() => setDeletingChannel(channel)}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </section>

      <Incidents api={api} now={now} />

      <RuleDialog
        open={editingRule.open}
        rule={editingRule.open ? editingRule.item : null}
        channels={channels}
        sources={sources}
        onClose={() => setEditingRule(CLOSED)}
        onSave={async (body) => {
          const rule = editingRule.open ? editingRule.item : null;
          const saved = rule ? await api.updateRule(rule.id, body) : await api.createRule(body);
          setEditingRule(CLOSED);
          feedback.setNotice(
            rule ? `${saved.name} is saved.` : `${saved.name} is added. Press Test to see its message arrive.`,
          );
        }}
      />
      <ChannelDialog
        open={editingChannel.open}
        channel={editingChannel.open ? editingChannel.item : null}
        email={api.settings?.email}
        onClose={() => setEditingChannel(CLOSED)}
        onSave={async (body) => {
          const channel = editingChannel.open ? editingChannel.item : null;
          const saved = channel ? await api.updateChannel(channel.id, body) : await api.createChannel(body);
          setEditingChannel(CLOSED);
          feedback.setNotice(
            channel ? `${saved.name} is saved.` : `${saved.name} is added. Press Test to send it a message.`,
          );
        }}
      />
      <ConfirmDialog
        open={!!deletingRule}
        title={deletingRule ? `Delete ${deletingRule.name}?` : 'Delete rule'}
        description="It is no longer checked and its open incidents are closed without a message; its incident history stays. To stop it for a while, disable it instead."
        confirmLabel="Delete rule"
        pendingLabel="Deleting…"
        danger
        onClose={() => setDeletingRule(null)}
        onConfirm={async () => {
          if (!deletingRule) return;
          await api.deleteRule(deletingRule.id);
          feedback.setNotice(`${deletingRule.name} was deleted.`);
          setDeletingRule(null);
        }}
      />
      <ConfirmDialog
        open={!!deletingChannel}
        title={deletingChannel ? `Delete ${deletingChannel.name}?` : 'Delete channel'}
        description={deletingChannel ? <ChannelUsers channel={deletingChannel} rules={rules} /> : null}
        confirmLabel="Delete channel"
        pendingLabel="Deleting…"
        danger
        onClose={() => setDeletingChannel(null)}
        onConfirm={async () => {
          if (!deletingChannel) return;
          await api.deleteChannel(deletingChannel.id);
          feedback.setNotice(`${deletingChannel.name} was deleted.`);
          setDeletingChannel(null);
        }}
      />
    </div>
  );
}

function SectionHeading({ id, title, children }: { id: string; title: string; children?: React.ReactNode }) {
  return (
    <div className="flex flex-wrap items-baseline justify-between gap-3">
      <h2 id={id} className="text-lg font-semibold tracking-tight" tabIndex={-1}>
        {title}
      </h2>
      {children}
    </div>
  );
}

function Loading({ what, failed }: { what: string; failed: boolean }) {
  return (
    <p className="px-6 py-10 text-center text-sm text-slate-500">
      {failed ? `No ${what} to show.` : `Loading ${what}…`}
    </p>
  );
}

/** When the rules were last checked: stale or missing means nothing is watching. */
function CheckedLine({ settings, now }: { settings: AlertSettings | undefined; now: number | null }) {
  if (!settings) return null;
  const every = `every ${settings.evaluate_seconds} s`;
  if (!settings.evaluated_at) {
    return (
      <span className="font-medium text-amber-800">
        Not checked yet: the web server and each worker check the rules {every} once running.
      </span>
    );
  }
  const age = now === null ? 0 : now - Date.parse(settings.evaluated_at);
  if (age > Math.max(STALE_CHECKS * settings.evaluate_seconds * 1000, 60_000)) {
    return (
      <span className="font-medium text-amber-800">
        Last checked {formatElapsed(age)} ago (<DateTime value={settings.evaluated_at} />
        ): no web server or worker is checking the rules.
      </span>
    );
  }
  return (
    <span>
      Checked {every}, last at <DateTime value={settings.evaluated_at} format="time" />.
    </span>
  );
}

/**
 * A rule's or a channel's buttons (absent for a viewer), with the outcome of its last test
 * underneath in a live region, so that it is announced.
 */
function ItemActions({
  name,
  enabled,
  outcome,
  onTest,
  onEdit,
  onSwitch,
  onDelete,
}: {
  name: string;
  enabled: boolean;
  outcome: TestOutcome | 'pending' | undefined;
  onTest: () => void;
  onEdit: () => void;
  onSwitch: () => void;
  onDelete: () => void;
}) {
  return (
    <Writes>
      <div className="flex flex-col items-end gap-1">
        <div className="flex justify-end gap-1 whitespace-nowrap">
          <RowAction label="Test" subject={name} onClick={onTest} />
          <RowAction label="Edit" subject={name} onClick={onEdit} />
          <RowAction label={enabled ? 'Disable' : 'Enable'} subject={name} onClick={onSwitch} />
          <RowAction label="Delete" subject={name} danger onClick={onDelete} />
        </div>
        <div role="status" aria-live="polite" className="max-w-64 text-right text-xs">
          {outcome === 'pending' && <span className="text-slate-600">Sending…</span>}
          {outcome && outcome !== 'pending' && (
            <span className={outcome.ok ? 'text-emerald-700' : 'break-words text-red-700'}>{outcome.text}</span>
          )}
        </div>
      </div>
    </Writes>
  );
}

function RuleChannels({ rule, channels }: { rule: AlertRule; channels: AlertChannel[] | undefined }) {
  if (rule.channel_ids.length === 0) {
    return <span className="text-sm font-medium text-amber-800">No channel: notifies nobody</span>;
  }
  if (!channels) return <span className="text-slate-500">{rule.channel_ids.length} channels</span>;
  const byId = new Map(channels.map((c) => [c.id, c]));
  return (
    <ul className="space-y-0.5 text-sm">
      {rule.channel_ids.map((id) => {
        const channel = byId.get(id);
        return (
          <li key={id} className={channel?.enabled === false ? 'text-slate-500' : undefined}>
            {channel ? channel.name : 'A deleted channel'}
            {channel && !channel.enabled && ' (disabled)'}
          </li>
        );
      })}
    </ul>
  );
}

function RuleState({ rule, openIncidents }: { rule: AlertRule; openIncidents: AlertIncident[] }) {
  if (!rule.enabled) return <Badge tone="gray">Disabled</Badge>;
  if (rule.state === 'firing') {
    const since = firingSince(rule, openIncidents);
    return (
      <div className="space-y-1">
        <Badge tone="red">Firing</Badge>
        <div className="text-xs text-slate-600">
          {since && (
            <>
              since <DateTime value={since} />
            </>
          )}
          {rule.open_incidents > 1 && <div>{rule.open_incidents} open incidents</div>}
        </div>
      </div>
    );
  }
  return (
    <div className="space-y-1">
      <Badge tone="green">OK</Badge>
      {rule.last_notified_at && (
        <div className="text-xs text-slate-600">
          Last alert <DateTime value={rule.last_notified_at} />
        </div>
      )}
    </div>
  );
}

function LastResult({ channel }: { channel: AlertChannel }) {
  const result = channel.last_result;
  if (!result) return <span className="text-sm text-slate-500">Nothing sent yet</span>;
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={result.ok ? 'green' : 'red'}>{result.ok ? 'Sent' : 'Failed'}</Badge>
        <span className="text-xs text-slate-600">
          <DateTime value={result.at} />
        </span>
      </div>
      {!result.ok && result.error && (
        <p className="break-words text-xs text-red-700" data-testid="channel-error">
          {result.error.message}
        </p>
      )}
    </div>
  );
}

function ChannelUsers({ channel, rules }: { channel: AlertChannel; rules: AlertRule[] }) {
  const users = rules.filter((r) => r.channel_ids.includes(channel.id));
  const alone = users.filter((r) => r.channel_ids.length === 1);
  return (
    <>
      {users.length === 0
        ? 'No rule sends to it.'
        : `${users.length === 1 ? 'One rule sends' : `${users.length} rules send`} to it (${users.map((r) => r.name).join(', ')}) and will stop.`}
      {alone.length > 0 &&
        ` ${alone.length === 1 ? `${alone[0].name} has` : `${alone.length} rules have`} no other channel and will notify nobody.`}{' '}
      To stop it for a while, disable it instead.
    </>
  );
}

function Incidents({ api, now }: { api: AlertsApi; now: number | null }) {
  const loaded = api.openIncidents && api.resolvedIncidents;
  const incidents = loaded ? orderIncidents(api.openIncidents ?? [], api.resolvedIncidents ?? []) : [];
  return (
    <section aria-labelledby="incidents-heading" className="space-y-3">
      <SectionHeading id="incidents-heading" title="Recent incidents" />
      {api.incidentsError && (
        <LoadError what="incidents" error={api.incidentsError} onRetry={() => void api.reloadIncidents()} />
      )}
      <div className="card overflow-x-auto">
        {!loaded ? (
          <Loading what="incidents" failed={!!api.incidentsError} />
        ) : incidents.length === 0 ? (
          <EmptyState
            title="No incidents"
            description="When a rule fires, its incident shows here, open until the problem ends, with the messages it sent."
          />
        ) : (
          <table className="table">
            <caption className="sr-only">Alert incidents, open ones first, then the most recently resolved</caption>
            <TableHead columns={['Incident', 'Since', 'Duration', 'Notifications']} actions={false} />
            <tbody className="divide-y divide-slate-100">
              {incidents.map((incident) => (
                <tr key={incident.id}>
                  <td className="min-w-64 max-w-md">
                    <div className="flex flex-wrap items-center gap-2">
                      <Badge tone={incident.resolved_at ? 'green' : 'red'}>
                        {incident.resolved_at ? 'Resolved' : 'Open'}
                      </Badge>
                      {incident.link ? (
                        <a href={incident.link} className="font-medium text-slate-900 underline">
                          {incident.subject}
                        </a>
                      ) : (
                        <span className="font-medium text-slate-900">{incident.subject}</span>
                      )}
                    </div>
                    <div className="mt-0.5 text-xs text-slate-600">
                      {incident.rule_name}
                      {incident.details && ` · ${incident.details}`}
                    </div>
                  </td>
                  <td className="whitespace-nowrap">
                    <DateTime value={incident.opened_at} />
                  </td>
                  <td className="whitespace-nowrap">
                    {incident.resolved_at ? (
                      incidentDuration(incident, Date.parse(incident.resolved_at))
                    ) : now === null ? null : (
                      <>
                        {incidentDuration(incident, now)}
                        <span className="text-slate-500"> so far</span>
                      </>
                    )}
                  </td>
                  <td className="min-w-40 max-w-sm">
                    <div className="text-sm">{notificationSummary(incident)}</div>
                    <ul className="mt-0.5 space-y-0.5 text-xs text-red-700">
                      {incident.notifications
                        .filter((n) => n.ok === false)
                        .map((n) => (
                          <li key={`${n.channel_id}-${n.kind}-${n.at}`} className="break-words">
                            {n.channel_name} ({n.kind === 'firing' ? 'alert' : 'recovery'}): {n.error?.message}
                          </li>
                        ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
