import type { DeliveryAction, DeliveryStatus, SyncRunStatus } from '@/db/types';

/**
 * The statuses of a sync run and of a delivery (one candidate at one source), and the only words
 * the product uses for them: every page, dialog, legend and summary takes its labels from here,
 * so the task list, a task's page and the sync dialog say the same thing with the same numbers.
 * db/types.ts spells the database's values (db imports nothing from lib); the checks below keep
 * the two lists equal.
 */

export const RUN_STATUSES = ['pending', 'running', 'completed', 'partially_failed', 'failed', 'cancelled'] as const;
export const TERMINAL_RUN_STATUSES = ['completed', 'partially_failed', 'failed', 'cancelled'] as const;
export const ACTIVE_RUN_STATUSES = ['pending', 'running'] as const;
// `in_progress` is what pages and filters call a pending delivery a worker holds (held_until set);
// it is read, never stored (migration 021: a claim must not change an indexed column).
export const DELIVERY_STATUSES = ['pending', 'in_progress', 'succeeded', 'failed', 'skipped', 'cancelled'] as const;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const runStatusesMatchDatabase: Same<(typeof RUN_STATUSES)[number], SyncRunStatus> = true;
const deliveryStatusesMatchDatabase: Same<(typeof DELIVERY_STATUSES)[number], DeliveryStatus> = true;
void runStatusesMatchDatabase;
void deliveryStatusesMatchDatabase;

export type Tone = 'gray' | 'brand' | 'green' | 'amber' | 'red';
type Text = { label: string; description: string; tone: Tone };

export const RUN_STATUS_TEXT: Record<SyncRunStatus, Text> = {
  pending: { label: 'Waiting to start', description: 'Queued; no worker has picked it up yet.', tone: 'gray' },
  running: { label: 'Running', description: 'Sending candidates to the sources.', tone: 'brand' },
  completed: { label: 'Completed', description: 'Every delivery was delivered or already up to date.', tone: 'green' },
  partially_failed: {
    label: 'Finished with failures',
    description: 'Some deliveries failed; the others were delivered or already up to date.',
    tone: 'amber',
  },
  failed: { label: 'Failed', description: 'Nothing was delivered.', tone: 'red' },
  cancelled: { label: 'Cancelled', description: 'Stopped before every delivery was sent.', tone: 'gray' },
};

/** A delivery waiting again after a failed attempt; the database keeps it as `pending`. */
export const RETRY_TEXT: Text = {
  label: 'Waiting to retry',
  description: 'An attempt failed; it is tried again later.',
  tone: 'amber',
};

/** A source that answered 429 or 503 with Retry-After: nothing is sent to it, by any worker, until then. */
export const PAUSED_TEXT: Text = {
  label: 'Paused',
  description: 'The source asked us to wait; nothing is sent to it until the time it gave.',
  tone: 'amber',
};

/** "attempt 1 of 3"; "attempts 1–2 of 3" when the deliveries counted have had different numbers. */
export function attemptText(attempts: { min: number; max: number } | number, maxAttempts: number | null): string {
  const { min, max } = typeof attempts === 'number' ? { min: attempts, max: attempts } : attempts;
  const of = maxAttempts ? ` of ${maxAttempts}` : '';
  return min === max ? `attempt ${min}${of}` : `attempts ${min}–${max}${of}`;
}

/** "3 waiting to retry after attempt 1 of 3": the head of a source's retry sentence. */
export function waitingRetryText(
  count: number,
  attempts: { min: number; max: number } | null,
  maxAttempts: number | null,
  format: (n: number) => string = String,
): string {
  const after = attempts ? ` after ${attemptText(attempts, maxAttempts)}` : '';
  return `${format(count)} ${RETRY_TEXT.label.toLowerCase()}${after}`;
}

/** Why a source is paused, in the words of its answer: "asked to wait: HTTP 429". */
export function pauseCauseText(httpStatus: number | null, reason: string | null): string {
  if (httpStatus) return `asked to wait: HTTP ${httpStatus}`;
  return reason ? `asked to wait: ${reason.slice(0, 120)}` : 'asked to wait';
}

/**
 * A source paused until resumed, in a recruiter's words: "12 waiting: Payroll is paused until an
 * admin resumes it (credentials refused: HTTP 401)".
 */
export function heldText(
  name: string,
  waiting: number,
  kind: 'admin' | 'auth_failed',
  reason: string | null,
  format: (n: number) => string = String,
): string {
  const why = reason ? ` (${reason.slice(0, 160)})` : kind === 'auth_failed' ? ' (credentials refused)' : '';
  const held = `${name} is paused until an admin resumes it${why}`;
  return waiting > 0 ? `${format(waiting)} waiting: ${held}` : held;
}

export const DELIVERY_STATUS_TEXT: Record<DeliveryStatus, Text> = {
  pending: { label: 'Waiting', description: 'Not sent yet.', tone: 'gray' },
  in_progress: { label: 'Sending', description: 'Being sent now.', tone: 'brand' },
  succeeded: { label: 'Delivered', description: 'The source accepted the candidate.', tone: 'green' },
  skipped: {
    label: 'Already up to date',
    description: 'The source already had this candidate with the same data, so nothing was sent.',
    tone: 'gray',
  },
  failed: { label: 'Failed', description: 'Every attempt failed.', tone: 'red' },
  cancelled: { label: 'Cancelled', description: 'Not sent because the run was cancelled.', tone: 'gray' },
};

/** A delivery's words: a pending one that has been tried before is waiting to retry. */
export function deliveryText(status: DeliveryStatus, attempts = 0): Text {
  return status === 'pending' && attempts > 0 ? RETRY_TEXT : DELIVERY_STATUS_TEXT[status];
}

export type OutcomeCounts = {
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
  /** Still to send, waiting for a retry after a failed attempt (live counts only). */
  waiting_retry?: number;
  /** Still to send, held by a paused source (live counts only). */
  paused?: number;
};
export type Outcome = 'succeeded' | 'skipped' | 'failed' | 'cancelled';

/** The settled outcomes, in the order every count, column and legend lists them. */
export const OUTCOMES: readonly Outcome[] = ['succeeded', 'skipped', 'failed', 'cancelled'];

/** The lower-case form of a label, for counts inside a sentence ("6 delivered"). */
export const outcomeWord = (outcome: Outcome) => DELIVERY_STATUS_TEXT[outcome].label.toLowerCase();

export const STILL_TO_SEND = 'still to send';

export const settledCount = (c: OutcomeCounts) => c.succeeded + c.skipped + c.failed + c.cancelled;

type CountFormat = { format?: (n: number) => string; where?: Partial<Record<Outcome, string>> };

/** What is still to send, split by why it has not gone yet: held by a pause, waiting for a retry, or next in line. */
export type Unsettled = 'paused' | 'retry' | 'rest';

/**
 * The non-zero outcomes, then what is still to send, each with its words: "6 delivered",
 * "12 already up to date", "3 failed at Payroll" (`where` adds to an outcome's words), "4 paused",
 * "2 waiting to retry", "5 still to send". Paused and retrying come apart only from live counts
 * that carry them (the status answer's progress).
 */
export function outcomeSegments(
  c: OutcomeCounts,
  { format = String, where = {} }: CountFormat = {},
): { key: Outcome | Unsettled; count: number; text: string }[] {
  const segments: { key: Outcome | Unsettled; count: number; text: string }[] = OUTCOMES.filter((o) => c[o] > 0).map(
    (o) => ({
      key: o,
      count: c[o],
      text: `${format(c[o])} ${outcomeWord(o)}${where[o] ? ` ${where[o]}` : ''}`,
    }),
  );
  let unsettled = Math.max(0, c.total - settledCount(c));
  const paused = Math.min(unsettled, c.paused ?? 0);
  if (paused > 0)
    segments.push({ key: 'paused', count: paused, text: `${format(paused)} ${PAUSED_TEXT.label.toLowerCase()}` });
  unsettled -= paused;
  const retrying = Math.min(unsettled, c.waiting_retry ?? 0);
  if (retrying > 0) {
    segments.push({ key: 'retry', count: retrying, text: `${format(retrying)} ${RETRY_TEXT.label.toLowerCase()}` });
  }
  unsettled -= retrying;
  if (unsettled > 0) segments.push({ key: 'rest', count: unsettled, text: `${format(unsettled)} ${STILL_TO_SEND}` });
  return segments;
}

/**
 * Whether a running run has nothing it could send now: everything left is held by a paused source
 * or waiting for a retry. Its heading then says it waits instead of "Sending…".
 */
export function onlyWaiting(c: OutcomeCounts): 'paused' | 'retry' | null {
  const unsettled = c.total - settledCount(c);
  const paused = c.paused ?? 0;
  const retrying = c.waiting_retry ?? 0;
  if (unsettled <= 0 || paused + retrying < unsettled) return null;
  return paused > 0 ? 'paused' : 'retry';
}

export const outcomeParts = (c: OutcomeCounts, options: CountFormat = {}) =>
  outcomeSegments(c, options).map((s) => s.text);

/** "18 of 18 done" (the head of summarizeCounts, for places that style the parts). */
export const doneOfTotal = (c: OutcomeCounts, format: (n: number) => string = String) =>
  `${format(settledCount(c))} of ${format(c.total)} done`;

/**
 * A run's (or one source's) deliveries in one line: "18 of 18 done: 6 delivered, 12 already up to
 * date". "Done" counts every settled delivery, whatever its outcome, as the progress bar does.
 */
export function summarizeCounts(c: OutcomeCounts, options: CountFormat = {}): string {
  const format = options.format ?? String;
  if (c.total === 0) return 'Nothing to send';
  return `${doneOfTotal(c, format)}: ${outcomeParts(c, options).join(', ')}`;
}

/**
 * How long a run has taken: from when a worker started it to when it finished, or to `now` while
 * it goes on; 0 before it started (its time in the queue is shown apart). The dialog's "Elapsed"
 * and "Took", the task list's duration and a task's "took" all come from here.
 */
export function runDurationMs(run: { started_at: string | null; finished_at: string | null }, now: number): number {
  if (!run.started_at) return 0;
  const end = run.finished_at ? Date.parse(run.finished_at) : now;
  return Math.max(0, end - Date.parse(run.started_at));
}

/** m:ss, or h:mm:ss from an hour on; whole seconds, rounded down. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** What a delivery does at its source (issue 21): the words of the task page's Action column. */
export const DELIVERY_ACTION_LABEL: Record<DeliveryAction, string> = {
  create: 'Create',
  update: 'Update',
  withdraw: 'Withdraw',
  rehire: 'Rehire',
};

/** A candidate's record at one source as the candidate's page names it: from the last attempt and its action. */
export type RecordState = 'sent' | 'updated' | 'withdrawn' | 'rehired' | 'failed';

const STATE_AFTER: Record<DeliveryAction, RecordState> = {
  create: 'sent',
  update: 'updated',
  withdraw: 'withdrawn',
  rehire: 'rehired',
};

export function recordStateOf(lastStatus: DeliveryStatus, lastAction: DeliveryAction | null): RecordState | null {
  if (lastStatus === 'failed') return 'failed';
  if (lastStatus !== 'succeeded') return null;
  return STATE_AFTER[lastAction ?? 'create'];
}

export const RECORD_STATE_TEXT: Record<RecordState, Text> = {
  sent: { label: 'Sent', description: 'The record was created there.', tone: 'green' },
  updated: { label: 'Updated', description: 'The record there was updated with the latest changes.', tone: 'green' },
  withdrawn: { label: 'Withdrawn', description: 'The hire was taken back and the record ended there.', tone: 'gray' },
  rehired: {
    label: 'Rehired',
    description: 'Hired again after a withdrawal: the same record there was made active again.',
    tone: 'green',
  },
  failed: { label: 'Failed', description: 'The last attempt failed.', tone: 'red' },
};
