import type { SourceConnector, SourceHealth } from '@/db/types';
import type { RunStatus, SourceProgress } from '@/lib/sync/schemas';

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

/** Short form, for the page's "last sync" line. */
export const RUN_LABEL: Record<Status, string> = {
  pending: 'Starting',
  running: 'In progress',
  completed: 'Completed',
  partially_failed: 'Finished with failures',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const SOURCE_LABEL: Record<SourceProgress['status'], string> = {
  pending: 'Waiting',
  running: 'Sending',
  completed: 'Done',
  partially_failed: 'Some failed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** "A", "A and B", "A, B and C". */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * One sentence on how a run ended, e.g. "42 of 45 delivered, 3 failed at Payroll." Counts are
 * deliveries (a candidate at a source); one already there with the same data counts as delivered.
 */
export function summarizeRun(run: Pick<RunStatus, 'progress' | 'sources' | 'error_summary'>): string {
  const { total, succeeded, failed, skipped, cancelled } = run.progress;
  if (total === 0) {
    const reason = run.error_summary ?? 'there was nothing to send';
    return `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`;
  }
  if (skipped === total) return `All ${total} were already up to date, so nothing needed sending.`;
  let delivered = `${succeeded + skipped} of ${total} delivered`;
  if (skipped > 0) delivered += ` (${skipped} already up to date)`;
  const parts = [delivered];
  if (failed > 0) {
    const where = run.sources.filter((s) => s.failed > 0).map((s) => s.name);
    parts.push(`${failed} failed${where.length ? ` at ${joinNames(where)}` : ''}`);
  }
  if (cancelled > 0) parts.push(`${plural(cancelled, 'was', 'were')} not sent because the sync was cancelled`);
  return `${parts.join(', ')}.`;
}

/** m:ss, or h:mm:ss from an hour on. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export const CONNECTOR_LABEL: Record<SourceConnector, string> = {
  generic_webhook: 'Webhook',
  rest_batch: 'Batch API',
};

/** Health worth a warning before syncing; a healthy or untested source needs none. */
export const HEALTH_WARNING: Partial<Record<SourceHealth, { label: string; tone: 'amber' | 'red' }>> = {
  degraded: { label: 'Recent failures', tone: 'amber' },
  auth_failed: { label: 'Credentials refused', tone: 'red' },
  unreachable: { label: 'Unreachable', tone: 'red' },
};
