'use client';

import { useCanWrite } from '@/app/components/write-access-client';
import Link from 'next/link';
import { useEffect, useId, useRef, useState } from 'react';
import { OUTCOME_COLOR, OutcomeBar } from '@/app/components/delivery-outcomes';
import { DateTime } from '@/app/components/date-time';
import { Dialog, FormAlert } from '@/app/components/dialog-client';
import { SourceWaitLines } from '@/app/components/sync-live-state';
import { ApiError } from '@/lib/client/api-fetch';
import { isTerminal } from '@/lib/swr/use-sync-run';
import { explainFailure } from '@/lib/sync/explain-failure';
import type { DeliveryError, RetryingDelivery, RunStatus, SourceProgress } from '@/lib/sync/schemas';
import {
  attemptText,
  DELIVERY_STATUS_TEXT,
  doneOfTotal,
  formatDuration,
  OUTCOMES,
  type Outcome,
  outcomeSegments,
  RETRY_TEXT,
  RUN_STATUS_TEXT,
  runDurationMs,
  settledCount,
  summarizeCounts,
} from '@/lib/sync/statuses';
import { Icon, StatusIcon } from './sync-icons';
import { joinNames, runHeadline, summarizeRun, waitingNote } from './sync-text';

type Props = {
  open: boolean;
  onClose: () => void;
  run: RunStatus | undefined;
  /** The last poll failed; what is shown may be stale while polling keeps trying. */
  pollError: Error | undefined;
  /** Said once at the top, e.g. that the click joined a sync already running. */
  notice: string | null;
  isAdmin: boolean;
  /** Source timeouts, for saying how long a source was given to answer. */
  timeouts: Map<string, number>;
  onRetry: (taskId: string) => Promise<void>;
  onCancel: (taskId: string) => Promise<void>;
};

function messageOf(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Could not reach the server. Try again.';
}

/**
 * A sync run as it happens: state in words (announced to screen readers), overall progress, each
 * source's counts and, once there are any, the failures with a plain reason. Closing it leaves the
 * sync running; the page offers to reopen it.
 */
export function SyncProgressDialog({
  open,
  onClose,
  run,
  pollError,
  notice,
  isAdmin,
  timeouts,
  onRetry,
  onCancel,
}: Props) {
  const [busy, setBusy] = useState<'retry' | 'cancel' | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  // Cancelling cannot be taken back (what was not sent is not sent), so the button asks first.
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const canWrite = useCanWrite();
  // A retry restarts the clock: the time since the first attempt is not what anyone is waiting on.
  const [retriedAt, setRetriedAt] = useState<string | null>(null);
  const taskId = run?.task_id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a different run starts with a clean slate
  useEffect(() => {
    setActionError(null);
    setRetriedAt(null);
  }, [taskId]);
  // A question left open is not an answer when the modal is opened again, or for another run.
  // biome-ignore lint/correctness/useExhaustiveDependencies: either change starts without the question
  useEffect(() => setConfirmingCancel(false), [open, taskId]);

  async function act(kind: 'retry' | 'cancel') {
    if (!run) return;
    setBusy(kind);
    setActionError(null);
    try {
      if (kind === 'retry') {
        await onRetry(run.task_id);
        setRetriedAt(new Date().toISOString());
      } else {
        await onCancel(run.task_id);
      }
    } catch (err) {
      setActionError(messageOf(err));
    } finally {
      setBusy(null);
      setConfirmingCancel(false);
    }
  }

  const active = !!run && !isTerminal(run.status);
  const cancelQuestionId = useId();
  const keepRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const askedRef = useRef(false);
  // The question and the button swap places under focus; "Keep syncing" is the safe answer to Enter.
  useEffect(() => {
    if (confirmingCancel) keepRef.current?.focus();
    else if (askedRef.current) cancelRef.current?.focus();
    askedRef.current = confirmingCancel;
  }, [confirmingCancel]);
  const canRetry = !!run && (run.status === 'partially_failed' || run.status === 'failed') && run.progress.failed > 0;
  const notFound = pollError instanceof ApiError && pollError.status === 404;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title="Sync to Sources"
      description={run ? `Hired candidates of ${run.job.title}` : undefined}
    >
      <div className="space-y-5">
        {notice && (
          <p className="flex gap-2 rounded-md border border-brand-100 bg-brand-50 px-3 py-2 text-sm text-brand-700">
            <Icon name="info" className="mt-0.5 h-4 w-4" />
            <span>{notice}</span>
          </p>
        )}
        {run ? (
          <>
            <RunHeader run={run} since={retriedAt} />
            <ProgressBar run={run} />
            <SourceList sources={run.sources} pending={run.status === 'pending' || run.progress.total === 0} />
            {active && run.retrying.length > 0 && <RetryingList run={run} timeouts={timeouts} />}
            {run.errors.length > 0 && <FailureList run={run} timeouts={timeouts} />}
          </>
        ) : notFound ? (
          <FormAlert message="This sync could not be found. It may have been removed from the history." />
        ) : (
          <p className="flex items-center gap-2 text-sm text-slate-600" role="status">
            <StatusIcon status="running" className="h-4 w-4" /> Loading the sync’s progress…
          </p>
        )}
        {pollError && !notFound && <ConnectionWarning error={pollError} stale={!!run} />}
      </div>

      <div className="mt-5">
        <FormAlert message={actionError} />
        {active && confirmingCancel && (
          <p
            id={cancelQuestionId}
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
          >
            <strong className="font-semibold">Cancel this sync?</strong> Candidates not yet sent are not sent;
            deliveries already made stay made.
          </p>
        )}
      </div>
      {/* Stays in view when a long list of failures scrolls the dialog. */}
      <div className="sticky bottom-0 -mx-6 -mb-6 flex flex-col-reverse gap-2 border-t border-slate-200 bg-white px-6 pt-4 pb-6 sm:flex-row sm:items-center">
        {isAdmin && run && (
          <Link
            href={run.log_url}
            className="btn-ghost justify-center px-2 text-brand-700 hover:text-brand-700 sm:mr-auto sm:justify-start"
          >
            View details
            <Icon name="external-link" className="h-4 w-4" />
          </Link>
        )}
        <div className="flex flex-col-reverse gap-2 sm:ml-auto sm:flex-row">
          {!canWrite ? null : active && confirmingCancel ? (
            <>
              <button
                type="button"
                className="btn-danger"
                aria-describedby={cancelQuestionId}
                disabled={busy !== null}
                onClick={() => act('cancel')}
              >
                {busy === 'cancel' ? 'Cancelling…' : 'Yes, cancel sync'}
              </button>
              <button ref={keepRef} type="button" className="btn-secondary" onClick={() => setConfirmingCancel(false)}>
                Keep syncing
              </button>
            </>
          ) : (
            active && (
              <button
                ref={cancelRef}
                type="button"
                className="btn-secondary"
                disabled={busy !== null}
                onClick={() => setConfirmingCancel(true)}
              >
                Cancel sync
              </button>
            )
          )}
          <button type="button" className={canRetry ? 'btn-secondary' : 'btn-primary'} onClick={onClose} data-autofocus>
            Close
          </button>
          {canRetry && canWrite && (
            <button type="button" className="btn-primary" disabled={busy !== null} onClick={() => act('retry')}>
              {busy === 'retry' ? 'Retrying…' : `Retry ${run.progress.failed} failed`}
            </button>
          )}
        </div>
      </div>
    </Dialog>
  );
}

/**
 * While a run goes on: which sources it is still sending to, once some are done. Sources that only
 * wait (for a retry, or the end of a pause) are named by the waiting note instead; null when every
 * source left only waits.
 */
function runningLine(run: RunStatus): string | null {
  if (run.progress.total === 0) return 'Working out who needs sending…';
  const open = run.sources.filter((s) => !isTerminal(s.status));
  const sending = open.filter((s) => !s.pause_kind && s.waiting_retry < s.total - settledCount(s)).map((s) => s.name);
  if (open.length > 0 && sending.length === 0) return null;
  if (sending.length > 0 && sending.length < run.sources.length) return `Waiting for ${joinNames(sending)}`;
  return `Sending to ${joinNames(run.sources.map((s) => s.name))}`;
}

function RunHeader({ run, since }: { run: RunStatus; since: string | null }) {
  const terminal = isTerminal(run.status);
  const note = terminal ? null : waitingNote(run);
  const running = terminal ? null : runningLine(run);
  return (
    <div className="flex items-start gap-3">
      <StatusIcon status={run.status} className="mt-0.5 h-7 w-7" />
      <div className="min-w-0 flex-1">
        {/*
          Only the state, which sources wait (by name) and the final summary are announced; the
          counts and retry times would chatter every 2 s.
        */}
        <div role="status" aria-live="polite" aria-atomic="true">
          <p className="text-base font-semibold text-slate-900" data-testid="sync-status">
            {runHeadline(run)}
          </p>
          {note && (
            <p className="mt-0.5 text-sm font-medium text-amber-800" data-testid="sync-waiting-note">
              {note}
            </p>
          )}
          {terminal && (
            <p className="mt-0.5 text-sm text-slate-700" data-testid="sync-summary">
              {summarizeRun(run)}
            </p>
          )}
        </div>
        {!terminal && running && <p className="mt-0.5 text-sm text-slate-600">{running}</p>}
      </div>
      <Elapsed from={since ?? run.started_at} to={run.finished_at} />
    </div>
  );
}

/**
 * Elapsed time, ticking once a second while the run is going, then what it took: both from
 * runDurationMs on the same timestamps, so the last "Elapsed" and "Took" round alike.
 */
function Elapsed({ from, to }: { from: string | null; to: string | null }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (to) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [to]);
  return (
    <p className="shrink-0 text-right leading-tight">
      <span className="block text-xs text-slate-500">{to ? 'Took' : 'Elapsed'}</span>
      <span className="font-mono text-sm tabular-nums text-slate-800" data-testid="sync-duration">
        {formatDuration(runDurationMs({ started_at: from, finished_at: to }, now))}
      </span>
    </p>
  );
}

function ProgressBar({ run }: { run: RunStatus }) {
  const labelId = useId();
  const { total, processed, percent } = run.progress;
  const preparing = total === 0 && !isTerminal(run.status);
  const valueText = preparing ? 'Preparing' : summarizeCounts(run.progress);
  const segments = outcomeSegments(run.progress);
  return (
    <div>
      <div className="flex items-baseline justify-between text-sm">
        <span id={labelId} className="font-medium text-slate-700">
          Progress
        </span>
        <span className="tabular-nums text-slate-600" data-testid="sync-progress">
          {preparing ? '—' : `${processed} / ${total} · ${percent}%`}
        </span>
      </div>
      <div
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={preparing ? undefined : percent}
        aria-valuetext={valueText}
        className="mt-1.5"
      >
        {preparing ? (
          <div className="flex h-2.5 overflow-hidden rounded-full bg-slate-100">
            <div className="h-full w-1/3 animate-pulse rounded-full bg-brand-500/60" />
          </div>
        ) : (
          <OutcomeBar counts={run.progress} className="h-2.5" />
        )}
      </div>
      {!preparing && segments.length > 0 && (
        <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600" data-testid="sync-legend">
          {segments.map((s) => (
            <li key={s.key} className="flex items-center gap-1.5">
              <span aria-hidden="true" className={`h-2 w-2 rounded-full ${OUTCOME_COLOR[s.key].fill}`} />
              <span className="tabular-nums">{s.text}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The per-source columns; a cancelled column only when the run has cancelled deliveries. */
function columnsOf(sources: SourceProgress[]): Outcome[] {
  const cancelled = sources.some((s) => s.cancelled > 0);
  return OUTCOMES.filter((o) => o !== 'cancelled' || cancelled);
}

function SourceList({ sources, pending }: { sources: SourceProgress[]; pending: boolean }) {
  const headingId = useId();
  const columns = columnsOf(sources);
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} className="text-sm font-semibold text-slate-900">
        Sources
      </h3>
      {sources.length === 0 ? (
        <p className="mt-2 rounded-md border border-dashed border-slate-300 px-3 py-3 text-sm text-slate-500">
          {pending ? 'The sources appear here once the sync has started.' : 'No source took part in this sync.'}
        </p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200">
          {sources.map((s) => (
            <li
              key={s.source_id}
              className="flex flex-wrap items-center gap-x-4 gap-y-2 px-3 py-2.5"
              data-testid="sync-source"
            >
              <div className="flex min-w-0 flex-1 basis-40 items-center gap-2.5">
                <StatusIcon status={s.status} />
                <div className="min-w-0">
                  <p className="truncate text-sm font-medium text-slate-900">{s.name}</p>
                  <p className="text-xs tabular-nums text-slate-500">
                    {RUN_STATUS_TEXT[s.status].label} · {doneOfTotal(s)}
                  </p>
                  {!isTerminal(s.status) && <SourceWaitLines name={s.name} state={s} />}
                </div>
              </div>
              <dl className="flex gap-4 text-center">
                {columns.map((key) => (
                  <div key={key} className="flex min-w-14 max-w-20 flex-col-reverse" data-testid={`sync-source-${key}`}>
                    <dt className="text-[11px] font-medium leading-tight text-slate-500">
                      {DELIVERY_STATUS_TEXT[key].label}
                    </dt>
                    <dd
                      className={`text-sm font-semibold tabular-nums ${s[key] > 0 ? OUTCOME_COLOR[key].text : 'text-slate-500'}`}
                    >
                      {s[key]}
                    </dd>
                  </div>
                ))}
              </dl>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A titled list of deliveries that scrolls inside the dialog, with a line when it shows only some. */
function DeliveryList({
  heading,
  more,
  maxHeight,
  children,
}: {
  heading: string;
  more: string | null;
  maxHeight: string;
  children: React.ReactNode;
}) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} className="text-sm font-semibold text-slate-900">
        {heading}
      </h3>
      <ul
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable list must be reachable by keyboard to scroll it
        tabIndex={0}
        aria-labelledby={headingId}
        className={`mt-2 ${maxHeight} divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200`}
      >
        {children}
      </ul>
      {more && <p className="mt-2 text-xs text-slate-500">{more}</p>}
    </section>
  );
}

/** One candidate at one source: who and where, a detail on the right, then what happened. */
function DeliveryItem({
  testId,
  who,
  aside,
  children,
}: {
  testId: string;
  who: { candidate_name: string; source_name: string };
  aside: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <li className="px-3 py-2.5" data-testid={testId}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <p className="text-sm font-medium text-slate-900">
          {who.candidate_name} <span className="font-normal text-slate-500">at {who.source_name}</span>
        </p>
        <p className="text-xs tabular-nums text-slate-500">{aside}</p>
      </div>
      {children}
    </li>
  );
}

function FailureList({ run, timeouts }: { run: RunStatus; timeouts: Map<string, number> }) {
  const { failed } = run.progress;
  return (
    <DeliveryList
      heading={failed === 1 ? '1 failure' : `${failed} failures`}
      more={failed > run.errors.length ? `Showing the first ${run.errors.length} of ${failed} failures.` : null}
      maxHeight="max-h-64"
    >
      {run.errors.map((e) => (
        <FailureItem key={`${e.candidate_id}:${e.source_id}`} failure={e} timeoutMs={timeouts.get(e.source_id)} />
      ))}
    </DeliveryList>
  );
}

/** Deliveries waiting for another attempt: who, where, how many attempts so far, why, and when next. */
function RetryingList({ run, timeouts }: { run: RunStatus; timeouts: Map<string, number> }) {
  const waiting = run.progress.waiting_retry;
  return (
    <DeliveryList
      heading={`${RETRY_TEXT.label} (${waiting})`}
      more={waiting > run.retrying.length ? `Showing the ${run.retrying.length} to be tried next of ${waiting}.` : null}
      maxHeight="max-h-48"
    >
      {run.retrying.map((r) => (
        <RetryingItem key={`${r.candidate_id}:${r.source_id}`} delivery={r} timeoutMs={timeouts.get(r.source_id)} />
      ))}
    </DeliveryList>
  );
}

function RetryingItem({ delivery, timeoutMs }: { delivery: RetryingDelivery; timeoutMs?: number }) {
  return (
    <DeliveryItem
      testId="sync-retrying"
      who={delivery}
      aside={
        <>
          next attempt at <DateTime value={delivery.next_attempt_at} format="time" />
        </>
      }
    >
      <p className="mt-0.5 text-sm text-amber-800">
        {RETRY_TEXT.label} after {attemptText(delivery.attempts, delivery.max_attempts)}:{' '}
        {explainFailure(delivery, { timeoutMs, waiting: true })}
      </p>
    </DeliveryItem>
  );
}

function FailureItem({ failure, timeoutMs }: { failure: DeliveryError; timeoutMs?: number }) {
  const explained = explainFailure(failure, { timeoutMs });
  return (
    <DeliveryItem
      testId="sync-failure"
      who={failure}
      aside={failure.attempts === 1 ? '1 attempt' : `${failure.attempts} attempts`}
    >
      <p className="mt-0.5 text-sm text-red-700">{explained}</p>
      {/* The target's own words, unless the explanation already quotes them. */}
      {failure.message && !explained.includes(failure.message) && (
        <p className="mt-1 truncate font-mono text-xs text-slate-500" title={failure.message}>
          {failure.message}
        </p>
      )}
    </DeliveryItem>
  );
}

function ConnectionWarning({ error, stale }: { error: Error; stale: boolean }) {
  return (
    <p
      role="status"
      className="flex gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800"
    >
      <Icon name="warning" className="mt-0.5 h-4 w-4 text-amber-500" />
      <span>
        Could not get the latest progress ({error instanceof ApiError ? error.message : 'the server did not answer'}).
        {stale ? ' What you see may be out of date; ' : ' '}
        Trying again — the sync itself keeps going.
      </span>
    </p>
  );
}
