import type { SourceHealth } from '@/db/types';
import type { RunStatus } from '@/lib/sync/schemas';
import { onlyWaiting, PAUSED_TEXT, RETRY_TEXT, summarizeCounts } from '@/lib/sync/statuses';

type Status = RunStatus['status'];

/** The run's state in words, for the modal's heading and screen readers. */
const RUN_HEADLINE: Record<Status, string> = {
  pending: 'Waiting for the sync to start…',
  running: 'Sending candidates to the sources…',
  completed: 'Sync completed',
  partially_failed: 'Sync finished with failures',
  failed: 'Sync failed',
  cancelled: 'Sync cancelled',
};

/**
 * The heading of a run: RUN_HEADLINE, except while a running run has nothing it could send now
 * (all that is left is held by a paused source or waits for a retry): "Sending…" would then say
 * something is happening when everything waits.
 */
export function runHeadline(run: Pick<RunStatus, 'status' | 'progress' | 'sources'>): string {
  if (run.status !== 'running') return RUN_HEADLINE[run.status];
  const waiting = onlyWaiting(run.progress);
  if (!waiting) return RUN_HEADLINE.running;
  // A retry at a source that asked us to wait (Retry-After) waits for that pause too.
  const pausedSource = run.sources.some((s) => s.pause_kind !== null && s.paused + s.waiting_retry > 0);
  return waiting === 'paused' || pausedSource ? 'Waiting for paused sources…' : 'Waiting to retry…';
}

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
