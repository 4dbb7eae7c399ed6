import type { RunHead } from './repository';
import type { RunStatus } from './schemas';
import { TERMINAL_RUN_STATUSES } from './statuses';

/**
 * Status answers of finished runs, kept per web process. A finished run's answer no longer changes
 * unless its row does (a retry of its failures, a counter the sweeper corrects: both write the row),
 * so a poll of a finished run — what a script polling until the end, and a modal left open, keep
 * sending — is answered after one primary-key read of the row instead of the progress query.
 * An entry older than MAX_AGE_MS is built again, so what the answer names (a posting's title, a
 * source's name) is about that old at most: by one request in the background while the others are
 * still answered from it (an entry that ended for everyone at once sent every poll in flight to the
 * progress query together: 200 pollers, 200 of them, once every 30 s, and a p99 of 0.6-1.5 s).
 * One whose rebuilds keep failing goes at twice that age.
 */
const MAX_ENTRIES = 500;
export const MAX_AGE_MS = 30_000;

type Entry = { head: RunHead; etag: string; body: RunStatus; storedAt: number };
const entries = new Map<string, Entry>();
// The JSON text of each kept answer, made once: serialising the same answer at every poll was a
// good part of a finished run's poll. Keyed by the answer itself, so it goes when the entry goes.
const texts = new WeakMap<RunStatus, string>();

/** A status answer as JSON text. */
export const answerText = (body: RunStatus): string => texts.get(body) ?? JSON.stringify(body);

const sameHead = (a: RunHead, b: RunHead) =>
  a.status === b.status &&
  a.version === b.version &&
  a.succeeded === b.succeeded &&
  a.failed === b.failed &&
  a.skipped === b.skipped &&
  a.cancelled === b.cancelled;

export const isFinished = (status: string) => (TERMINAL_RUN_STATUSES as readonly string[]).includes(status);

/** Whether a finished answer is kept for this run (so its row alone is read first). */
export const hasFinishedAnswer = (runId: string) => entries.has(runId);

/** The kept answer while the run's row is as it was, else nothing (and the entry goes). */
export function finishedAnswer(runId: string, head: RunHead | undefined, now = Date.now()) {
  const entry = entries.get(runId);
  if (!entry) return undefined;
  if (!head || !sameHead(entry.head, head) || now - entry.storedAt > 2 * MAX_AGE_MS) {
    entries.delete(runId);
    return undefined;
  }
  return entry;
}

/** The entry is due to be built again (see refreshFinishedAnswer); it still answers meanwhile. */
export const isDue = (entry: { storedAt: number }, now = Date.now()) => now - entry.storedAt > MAX_AGE_MS;

const refreshing = new Set<string>();

/**
 * Builds a run's kept answer again, one rebuild at a time per run however many requests find it
 * due; `rebuild` keeps what it builds (keepFinishedAnswer). A failure is reported, not thrown.
 */
export function refreshFinishedAnswer(runId: string, rebuild: () => Promise<unknown>, onError: (err: unknown) => void) {
  if (refreshing.has(runId)) return;
  refreshing.add(runId);
  rebuild()
    .catch(onError)
    .finally(() => refreshing.delete(runId));
}

export function keepFinishedAnswer(runId: string, head: RunHead, etag: string, body: RunStatus, now = Date.now()) {
  if (!isFinished(head.status)) return;
  entries.delete(runId);
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  entries.set(runId, { head, etag, body, storedAt: now });
  texts.set(body, JSON.stringify(body));
}
