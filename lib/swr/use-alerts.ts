import useSWR, { mutate as revalidate } from 'swr';
import { apiFetch, swrFetcher } from '@/lib/client/api-fetch';
import type {
  AlertResult,
  AlertSettings,
  PublicAlertChannel,
  PublicAlertIncident,
  PublicAlertNotification,
  PublicAlertRule,
  RuleTestResult,
} from '@/lib/alerts/schemas';
import type { AlertChannelKind, AlertRuleKind } from '@/db/types';

export type { AlertChannelKind, AlertRuleKind, AlertSettings, RuleTestResult };
export type AlertChannel = PublicAlertChannel;
export type AlertIncident = PublicAlertIncident;
export type AlertNotification = PublicAlertNotification;
export type AlertSendResult = AlertResult;

/** The parameters the page reads, whichever the rule's kind has (lib/alerts/schemas.ts RULE_PARAMS_SCHEMAS). */
export type AlertRuleParams = {
  source_ids?: string[] | null;
  failure_percent?: number;
  seconds?: number;
  minutes?: number;
};

export type AlertRule = Omit<PublicAlertRule, 'params'> & { params: AlertRuleParams };

export type ChannelBody = {
  name?: string;
  kind?: AlertChannelKind;
  enabled?: boolean;
  email_to?: string[];
  slack_webhook_url?: string;
};

export type RuleBody = {
  name?: string;
  kind?: AlertRuleKind;
  enabled?: boolean;
  params?: AlertRuleParams;
  channel_ids?: string[];
  quiet_period_minutes?: number;
};

const BASE = '/api/v1/alerts';
const CHANNELS = `${BASE}/channels`;
const RULES = `${BASE}/rules`;
const OPEN = `${BASE}/incidents?state=open&limit=50`;
const RESOLVED = `${BASE}/incidents?state=resolved&limit=50`;
const SETTINGS = `${BASE}/settings`;

// Rule states, incidents and channels' last results change without anyone on the page doing
// anything: the evaluator runs every 15 s (by default), so the page looks as often.
const LIVE = { refreshInterval: 15_000 };

/** What the server page already read; the browser reads it again and keeps it fresh. */
export type InitialAlerts = {
  channels?: AlertChannel[];
  rules?: PublicAlertRule[];
  open?: AlertIncident[];
  resolved?: AlertIncident[];
  settings?: AlertSettings;
};

const fallback = <T, K extends string>(key: K, value: T | undefined) =>
  value === undefined ? undefined : ({ [key]: value } as Record<K, T>);

/** Everything the alerts page shows, each list on its own so one failing request leaves the others on screen. */
export function useAlerts(initial: InitialAlerts = {}) {
  // A channel's last result changes with every alert the evaluator sends.
  const channels = useSWR<{ channels: AlertChannel[] }>(CHANNELS, swrFetcher, {
    ...LIVE,
    fallbackData: fallback('channels', initial.channels),
  });
  const rules = useSWR<{ rules: AlertRule[] }>(RULES, swrFetcher, {
    ...LIVE,
    fallbackData: fallback('rules', initial.rules as AlertRule[] | undefined),
  });
  const open = useSWR<{ incidents: AlertIncident[] }>(OPEN, swrFetcher, {
    ...LIVE,
    fallbackData: fallback('incidents', initial.open),
  });
  const resolved = useSWR<{ incidents: AlertIncident[] }>(RESOLVED, swrFetcher, {
    ...LIVE,
    fallbackData: fallback('incidents', initial.resolved),
  });
  const settings = useSWR<AlertSettings>(SETTINGS, swrFetcher, { ...LIVE, fallbackData: initial.settings });

  async function createChannel(body: ChannelBody): Promise<AlertChannel> {
    const { channel } = await apiFetch<{ channel: AlertChannel }>(CHANNELS, { method: 'POST', body });
    await channels.mutate();
    return channel;
  }

  async function updateChannel(id: string, body: ChannelBody): Promise<AlertChannel> {
    const { channel } = await apiFetch<{ channel: AlertChannel }>(`${CHANNELS}/${id}`, { method: 'PATCH', body });
    await channels.mutate();
    return channel;
  }

  async function deleteChannel(id: string): Promise<void> {
    await apiFetch(`${CHANNELS}/${id}`, { method: 'DELETE' });
    // Rules that notified it lose it.
    await Promise.all([channels.mutate(), rules.mutate()]);
  }

  async function testChannel(id: string): Promise<AlertSendResult> {
    const { result } = await apiFetch<{ result: AlertSendResult }>(`${CHANNELS}/${id}/test`, { method: 'POST' });
    await channels.mutate();
    return result;
  }

  async function createRule(body: RuleBody): Promise<AlertRule> {
    const { rule } = await apiFetch<{ rule: AlertRule }>(RULES, { method: 'POST', body });
    await rules.mutate();
    return rule;
  }

  async function updateRule(id: string, body: RuleBody): Promise<AlertRule> {
    const { rule } = await apiFetch<{ rule: AlertRule }>(`${RULES}/${id}`, { method: 'PATCH', body });
    // Disabling a rule closes its incidents.
    await Promise.all([rules.mutate(), refreshIncidents()]);
    return rule;
  }

  async function deleteRule(id: string): Promise<void> {
    await apiFetch(`${RULES}/${id}`, { method: 'DELETE' });
    await Promise.all([rules.mutate(), refreshIncidents()]);
  }

  async function testRule(id: string): Promise<RuleTestResult[]> {
    const { results } = await apiFetch<{ results: RuleTestResult[] }>(`${RULES}/${id}/test`, { method: 'POST' });
    // Each channel's last result changed with it.
    await channels.mutate();
    return results;
  }

  const refreshIncidents = () => revalidate((key) => typeof key === 'string' && key.startsWith(`${BASE}/incidents`));

  return {
    channels: channels.data?.channels,
    channelsError: channels.error as Error | undefined,
    reloadChannels: () => channels.mutate(),
    rules: rules.data?.rules,
    rulesError: rules.error as Error | undefined,
    reloadRules: () => rules.mutate(),
    openIncidents: open.data?.incidents,
    resolvedIncidents: resolved.data?.incidents,
    incidentsError: (open.error ?? resolved.error) as Error | undefined,
    reloadIncidents: () => Promise.all([open.mutate(), resolved.mutate()]),
    settings: settings.data,
    settingsError: settings.error as Error | undefined,
    createChannel,
    updateChannel,
    deleteChannel,
    testChannel,
    createRule,
    updateRule,
    deleteRule,
    testRule,
  };
}

export type AlertsApi = ReturnType<typeof useAlerts>;
