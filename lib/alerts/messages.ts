import type { AlertRuleKind } from '@/db/types';
import { appUrl } from '@/lib/env';
import type { AlertMessage } from './channels/types';

const PREFIX = '[ATS Sync]';

/** "12 min", "3 h 5 min", "under a minute". */
export function describeDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return ms >= 1000 ? `${Math.floor(ms / 1000)} s` : 'under a second';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return rest ? `${hours} h ${rest} min` : `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export type IncidentText = {
  ruleName: string;
  /** "Source BambooHR (prod)". */
  subject: string;
  /** "is failing: auth failed". */
  problem: string;
  /** One sentence of detail. */
  details: string;
  since: Date;
  link: string | null;
};

/** The firing message: what is wrong, since when, for what, and where to look. */
export function firingMessage(t: IncidentText): AlertMessage {
  const lines = [
    `${t.subject} ${t.problem}.`,
    t.details,
    `Since: ${utc(t.since)}`,
    `Rule: ${t.ruleName}`,
    ...(t.link ? [`Open: ${t.link}`] : []),
  ];
  return { subject: `${PREFIX} ${t.subject} ${t.problem}`, text: lines.join('\n'), link: t.link };
}

/** The recovery message: "Resolved after 12 min". */
export function recoveryMessage(t: IncidentText, resolvedAt: Date): AlertMessage {
  const after = describeDuration(resolvedAt.getTime() - t.since.getTime());
  const lines = [
    `${t.subject} is OK again. Resolved after ${after}.`,
    `It was: ${t.details}`,
    `From ${utc(t.since)} to ${utc(resolvedAt)}`,
    `Rule: ${t.ruleName}`,
    ...(t.link ? [`Open: ${t.link}`] : []),
  ];
  return { subject: `${PREFIX} Resolved: ${t.subject} (after ${after})`, text: lines.join('\n'), link: t.link };
}

const RULE_KIND_TEXT: Record<AlertRuleKind, string> = {
  source_unhealthy: 'a source turns unhealthy, unreachable or its credentials are refused',
  run_failed: 'a sync run finishes with too many failed deliveries',
  no_worker: 'no worker is alive',
  queue_backlog: 'deliveries wait too long to be sent',
  webhook_disabled: 'a completion-webhook endpoint is disabled',
};

/** The test buttons' message: proves the channel works and says what it will be used for. */
export function testMessage(ruleName?: string, kind?: AlertRuleKind): AlertMessage {
  const link = `${appUrl()}/sync-admin/alerts`;
  const lines = [
    'Test from ATS Sync: this channel receives ATS Sync alerts.',
    ...(ruleName && kind ? [`Rule "${ruleName}" will write here when ${RULE_KIND_TEXT[kind]}.`] : []),
    `Open: ${link}`,
  ];
  return { subject: `${PREFIX} Test from ATS Sync${ruleName ? `: ${ruleName}` : ''}`, text: lines.join('\n'), link };
}

/** Absolute link to a page of the app (APP_URL, as webhooks' links). */
export const pageLink = (path: string) => `${appUrl()}${path}`;
