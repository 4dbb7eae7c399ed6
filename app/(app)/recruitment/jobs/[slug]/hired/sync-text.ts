import type { SourceHealth } from '@/db/types';
import type { RunStatus } from '@/lib/sync/schemas';
import { PAUSED_TEXT, RETRY_TEXT, summarizeCounts } from '@/lib/sync/statuses';

type Status = RunStatus['status'];

/** The run's state in words, for the modal's heading and screen readers. */
export const RUN_HEADLINE: Record<Status, string> = {
  pending: 'Waiting for the sync to start…',
  running: 'Sending candidates to the sources…',
  completed: 'Sync completed',
  partially_failed: 'Sync finished with failures',
  failed: 'Sync failed',
  cancelled: 'Sync cancelled',
};

/** "A", "A and B", "A, B and C". */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * One sentence on how a run ended, in the words of lib/sync/statuses: "18 of 18 done: 6 delivered,
 * 12 already up to date." Counts are deliveries (a candidate at a source); failures say where.
 */
export function summarizeRun(run: Pick<RunStatus, 'progress' | 'sources' | 'error_summary'>): string {
  if (run.progress.total === 0) {
    const reason = run.error_summary ?? 'there was nothing to send';
    return `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`;
  }
  const failedAt = run.sources.filter((s) => s.failed > 0).map((s) => s.name);
  return `${summarizeCounts(run.progress, { where: failedAt.length ? { failed: `at ${joinNames(failedAt)}` } : {} })}.`;
}

/**
 * What a running sync waits for, by source name only ("Paused by Payroll. Waiting to retry at HR
 * system."), for the modal's live region: it changes when a source starts or stops waiting, not
 * with every count or time, so a screen reader hears it once. Null when nothing waits.
 */
export function waitingNote(run: Pick<RunStatus, 'sources'>): string | null {
  const paused = run.sources.filter((s) => s.pause_kind === 'retry_after').map((s) => s.name);
  const held = run.sources.filter((s) => s.pause_kind === 'admin' || s.pause_kind === 'auth_failed').map((s) => s.name);
  const retrying = run.sources.filter((s) => s.waiting_retry > 0 && !s.pause_kind).map((s) => s.name);
  const parts = [
    paused.length ? `${PAUSED_TEXT.label} by ${joinNames(paused)}.` : null,
    held.length ? `${joinNames(held)} paused until resumed.` : null,
    retrying.length ? `${RETRY_TEXT.label} at ${joinNames(retrying)}.` : null,
  ].filter((p): p is string => p !== null);
  return parts.length ? parts.join(' ') : null;
}

/** Connector id -> its name in the registry, built by the server page (client code never imports connector modules). */
export type ConnectorNames = Readonly<Record<string, string>>;

/** The connector's name; an id the registry does not know (a connector removed since) is shown as it is. */
export function connectorLabel(names: ConnectorNames, connector: string): string {
  return Object.hasOwn(names, connector) ? names[connector] : connector;
}

/** Health worth a warning before syncing; a healthy or untested source needs none. */
export const HEALTH_WARNING: Partial<Record<SourceHealth, { label: string; tone: 'amber' | 'red' }>> = {
  degraded: { label: 'Recent failures', tone: 'amber' },
  auth_failed: { label: 'Credentials refused', tone: 'red' },
  unreachable: { label: 'Unreachable', tone: 'red' },
};
