'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { DateTime } from '@/app/components/date-time';
import { Writes } from '@/app/components/write-access-client';
import { Dialog, DialogActions } from '@/app/components/dialog-client';
import { LoadError } from '@/app/components/notice';
import { SourceWaitLines } from '@/app/components/sync-live-state';
import type { TaskDetail } from '@/lib/sync-admin/schemas';
import { explainFailure } from '@/lib/sync/explain-failure';
import { attemptText, DELIVERY_STATUS_TEXT, RETRY_TEXT, runDurationMs, STILL_TO_SEND } from '@/lib/sync/statuses';
import { useSyncTask, useTaskActions } from '@/lib/swr/use-sync-tasks';
import { ActionFeedback, useActionFeedback } from '../../../recruitment/action-feedback';
import { formatCount, formatMs, HeadRow, Panel, RunStatusBadge, shortId, TRIGGER_LABEL } from '../../sync-admin-ui';
import { DeliveryBar } from '../delivery-bar';
import { DeliveriesPanel } from './deliveries-client';

export function TaskClient({ initial }: { initial: TaskDetail }) {
  const router = useRouter();
  const { task = initial, error, reload } = useSyncTask(initial.task_id, initial);
  const actions = useTaskActions();
  const feedback = useActionFeedback();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [busy, setBusy] = useState(false);
  const active = task.status === 'pending' || task.status === 'running';

  async function act(run: () => Promise<string>) {
    setBusy(true);
    await feedback.attempt(run);
    setBusy(false);
  }

  const retry = () =>
    act(async () => {
      const r = await actions.retry(task.task_id);
      return `${formatCount(r.retried)} failed deliveries are queued again.`;
    });
  const cancel = () => {
    setConfirmCancel(false);
    return act(async () => {
      const r = await actions.cancel(task.task_id);
      return `Run cancelled: ${formatCount(r.cancelled)} deliveries not yet sent were cancelled.`;
    });
  };
  const rerun = () =>
    act(async () => {
      const r = await actions.rerun(task.task_id);
      if (r.task_id !== task.task_id) router.push(`/sync-admin/tasks/${r.task_id}`);
      return r.deduplicated
        ? `This posting already has a run in progress (${shortId(r.task_id)}); it was not started twice.`
        : `Started run ${shortId(r.task_id)}.`;
    });

  const waited = task.started_at ? Date.parse(task.started_at) - Date.parse(task.created_at) : null;
  const took = task.finished_at && task.started_at ? runDurationMs(task, 0) : null;
  const sourceNames = task.source_ids
    ? task.source_ids.map((id) => task.sources.find((s) => s.source_id === id)?.name ?? shortId(id)).join(', ')
    : 'Every active source';

  return (
    <div className="space-y-6">
      <header className="space-y-3">
        <nav aria-label="Breadcrumb" className="text-sm">
          <Link href="/sync-admin/tasks" className="text-slate-500 underline underline-offset-2 hover:text-slate-800">
            Tasks
          </Link>
          <span aria-hidden="true" className="mx-2 text-slate-500">
            /
          </span>
          <span className="font-mono text-slate-700">{shortId(task.task_id)}</span>
        </nav>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="text-2xl font-semibold tracking-tight">Run {shortId(task.task_id)}</h1>
              <span data-testid="run-status">
                <RunStatusBadge status={task.status} />
              </span>
              {active && <span className="text-sm text-slate-500">updating live</span>}
            </div>
            <p className="mt-1 text-sm text-slate-600">
              <Link
                href={`/recruitment/jobs/${task.job.slug}/hired`}
                className="font-medium text-slate-800 hover:text-brand-700 hover:underline"
              >
                {task.job.title}
              </Link>{' '}
              · <span className="font-mono text-xs text-slate-500">{task.task_id}</span>
            </p>
          </div>
          <Writes>
            <div className="flex flex-wrap gap-2">
              {task.can_retry && (
                <button type="button" className="btn-primary" disabled={busy} onClick={() => void retry()}>
                  Retry failed ({formatCount(task.failed)})
                </button>
              )}
              {task.can_cancel && (
                <button
                  type="button"
                  className="btn-secondary text-red-700"
                  disabled={busy}
                  onClick={() => setConfirmCancel(true)}
                >
                  Cancel run
                </button>
              )}
              <button type="button" className="btn-secondary" disabled={busy || active} onClick={() => void rerun()}>
                Re-run
              </button>
            </div>
          </Writes>
        </div>
      </header>

      <ActionFeedback notice={feedback.notice} error={feedback.error} />
      {error && <LoadError what="run" error={error} onRetry={reload} />}
      {task.error_summary && (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
          {task.error_summary}
        </p>
      )}

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Panel title="Deliveries">
            <dl className="grid grid-cols-3 gap-px bg-slate-100 sm:grid-cols-6" data-testid="task-counters">
              {(
                [
                  ['Total', task.total, 'text-slate-900'],
                  [DELIVERY_STATUS_TEXT.succeeded.label, task.succeeded, 'text-emerald-700'],
                  [DELIVERY_STATUS_TEXT.skipped.label, task.skipped, 'text-slate-900'],
                  [DELIVERY_STATUS_TEXT.failed.label, task.failed, task.failed ? 'text-red-700' : 'text-slate-900'],
                  [DELIVERY_STATUS_TEXT.cancelled.label, task.cancelled, 'text-slate-900'],
                  [STILL_TO_SEND, task.unfinished, 'text-slate-900'],
                ] as const
              ).map(([label, value, tone]) => (
                <div key={label} className="bg-white px-4 py-3">
                  <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
                  <dd className={`text-2xl font-semibold tabular-nums ${tone}`}>{formatCount(value)}</dd>
                </div>
              ))}
            </dl>
            <div className="border-t border-slate-100 px-5 py-4">
              <DeliveryBar task={task} />
            </div>
          </Panel>
          <Panel title="Per source">
            {task.sources.length === 0 ? (
              <p className="px-5 py-6 text-sm text-slate-600">
                {active ? 'The run has not fanned out to its sources yet.' : 'This run had nothing to deliver.'}
              </p>
            ) : (
              <div className="overflow-x-auto">
                <table className="table" data-testid="task-sources">
                  <caption className="sr-only">Deliveries per source</caption>
                  <HeadRow columns={['Source', 'Progress', ['Median', 'right'], ['Slowest', 'right']]} />
                  <tbody className="divide-y divide-slate-100">
                    {task.sources.map((s) => (
                      <tr key={s.source_id}>
                        <td>
                          <div className="font-medium">{s.name}</div>
                          {active && <SourceWaitLines name={s.name} state={s} format={formatCount} />}
                        </td>
                        <td className="min-w-64">
                          <DeliveryBar task={s} />
                        </td>
                        <td className="text-right tabular-nums">{formatMs(s.p50_ms)}</td>
                        <td className="text-right tabular-nums">{formatMs(s.max_ms)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Panel>
          {active && task.retrying.length > 0 && <RetryingPanel task={task} />}
        </div>
        <Panel title="Who and when">
          <dl className="divide-y divide-slate-100 text-sm">
            <Row label="Trigger">
              {TRIGGER_LABEL[task.trigger]}
              {task.force ? ' (forced: resends unchanged candidates)' : ''}
            </Row>
            <Row label="Requested by">
              {task.requested_by ? (
                <>
                  {task.requested_by.name}
                  <div className="text-xs text-slate-500">{task.requested_by.email}</div>
                </>
              ) : task.trigger === 'schedule' ? (
                'A schedule'
              ) : (
                <span className="text-slate-500">—</span>
              )}
            </Row>
            <Row label="Sources">{sourceNames}</Row>
            <Row label="Candidates">
              {task.candidate_count === null ? 'Every hired candidate' : `${formatCount(task.candidate_count)} chosen`}
            </Row>
          </dl>
          <ol className="space-y-3 border-t border-slate-100 px-5 py-4 text-sm" aria-label="Timeline">
            <TimelineItem done label="Created" at={task.created_at} />
            <TimelineItem
              done={!!task.started_at}
              label="Started"
              at={task.started_at}
              note={waited !== null ? `after ${formatMs(waited)} in the queue` : 'waiting for a worker'}
            />
            <TimelineItem
              done={!!task.finished_at}
              label="Finished"
              at={task.finished_at}
              note={took !== null ? `took ${formatMs(took)}` : active ? 'still running' : undefined}
            />
          </ol>
        </Panel>
      </div>

      <DeliveriesPanel task={task} live={active} />

      <Dialog
        open={confirmCancel}
        onClose={() => setConfirmCancel(false)}
        title="Cancel this run?"
        description="Deliveries not yet sent are cancelled; sends already in flight finish and are recorded."
      >
        <DialogActions>
          <button type="button" className="btn-secondary" data-autofocus onClick={() => setConfirmCancel(false)}>
            Keep running
          </button>
          <button type="button" className="btn-danger" onClick={() => void cancel()}>
            Cancel run
          </button>
        </DialogActions>
      </Dialog>
    </div>
  );
}

/** The deliveries waiting for another attempt, the next to be tried first. */
function RetryingPanel({ task }: { task: TaskDetail }) {
  return (
    <Panel
      title={RETRY_TEXT.label}
      description={
        task.waiting_retry > task.retrying.length
          ? `The ${formatCount(task.retrying.length)} to be tried next of ${formatCount(task.waiting_retry)}.`
          : RETRY_TEXT.description
      }
    >
      <div className="overflow-x-auto">
        <table className="table" data-testid="task-retrying">
          <caption className="sr-only">Deliveries waiting to retry</caption>
          <HeadRow columns={['Candidate', 'Source', 'Attempts', 'Next attempt', 'Last error']} />
          <tbody className="divide-y divide-slate-100">
            {task.retrying.map((r) => (
              <tr key={`${r.candidate_id}:${r.source_id}`}>
                <td className="font-medium">{r.candidate_name}</td>
                <td className="text-sm">{r.source_name}</td>
                <td className="whitespace-nowrap text-sm tabular-nums">{attemptText(r.attempts, r.max_attempts)}</td>
                <td className="whitespace-nowrap text-sm">
                  <DateTime value={r.next_attempt_at} format="time" />
                </td>
                <td className="max-w-sm text-sm text-slate-700">{explainFailure(r, { waiting: true })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-3 px-5 py-2.5">
      <dt className="text-slate-500">{label}</dt>
      <dd className="col-span-2 text-slate-900">{children}</dd>
    </div>
  );
}

function TimelineItem({ done, label, at, note }: { done: boolean; label: string; at: string | null; note?: string }) {
  return (
    <li className="flex gap-3">
      <span
        aria-hidden="true"
        className={`mt-1.5 h-2.5 w-2.5 shrink-0 rounded-full ${done ? 'bg-brand-600' : 'border-2 border-slate-300 bg-white'}`}
      />
      <div>
        <div className="font-medium text-slate-900">{label}</div>
        <div className="text-slate-600">
          <DateTime value={at} empty="Not yet" />
          {note && <span className="text-slate-500"> · {note}</span>}
        </div>
      </div>
    </li>
  );
}
