'use client';

import { useCanWrite, Writes } from '@/app/components/write-access-client';
import { useEffect, useId, useRef, useState } from 'react';
import { DateTime } from '@/app/components/date-time';
import { ApiError } from '@/lib/client/api-fetch';
import { useRefreshSyncState } from '@/lib/swr/use-sync-state';
import { isTerminal, useSyncActions, useSyncRun } from '@/lib/swr/use-sync-run';
import type { StartSyncInput } from '@/lib/sync/schemas';
import type { PostingSyncState } from '@/lib/sync/sync-state-schemas';
import { Icon, Spinner, StatusIcon } from './sync-icons';
import { SyncOptionsDialog } from './sync-options-dialog-client';
import { SyncProgressDialog } from './sync-progress-dialog-client';
import type { ConnectorNames } from './sync-text';
import { RUN_STATUS_TEXT } from '@/lib/sync/statuses';

type Props = {
  slug: string;
  /** The posting's hired count until the sync state has loaded. */
  hired: number;
  state: PostingSyncState | undefined;
  selectedIds: string[];
  isAdmin: boolean;
  onError: (message: string | null) => void;
  connectorNames: ConnectorNames;
};

const ALREADY_RUNNING = 'This posting was already being synced, so no second sync was started. This is its progress.';

/**
 * "Sync to Sources" with its options, the posting's latest run and the progress modal. A running
 * sync is watched even with the modal closed, so the page can offer "Sync in progress — View"
 * (also after a reload) and refresh the table when the run finishes.
 */
export function SyncActions({ slug, hired, state, selectedIds, isAdmin, onError, connectorNames }: Props) {
  const actions = useSyncActions(slug);
  const refreshState = useRefreshSyncState(slug);
  const [startedTaskId, setStartedTaskId] = useState<string | null>(null);
  const [modalOpen, setModalOpen] = useState(false);
  const [optionsOpen, setOptionsOpen] = useState(false);
  const canWrite = useCanWrite();
  const [notice, setNotice] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  // A double click lands twice before React re-renders the disabled button.
  const startingRef = useRef(false);
  const reasonId = useId();

  const latest = state?.latest_run ?? null;
  // The run just started counts until the page's sync state knows it; from then on the latest run
  // does, so a run started elsewhere (another tab, a schedule) shows up too.
  const taskId = startedTaskId ?? latest?.task_id ?? null;
  useEffect(() => {
    if (startedTaskId && latest?.task_id === startedTaskId) setStartedTaskId(null);
  }, [startedTaskId, latest?.task_id]);
  const latestActive = !!latest && latest.task_id === taskId && !isTerminal(latest.status);
  const watching = !!taskId && (modalOpen || latestActive || startedTaskId === taskId);
  const { run, error: pollError, terminal } = useSyncRun(watching ? taskId : null);

  // When the watched run finishes, the table's sync columns and the latest run change.
  const finishedAt = terminal ? `${run?.task_id}:${run?.finished_at}` : null;
  useEffect(() => {
    if (finishedAt) void refreshState();
  }, [finishedAt, refreshState]);

  const sources = state?.sources ?? [];
  const hiredNow = state?.job.hired ?? hired;
  const reason = !state
    ? null
    : hiredNow === 0
      ? 'Nobody is hired yet, so there is no one to sync.'
      : sources.length === 0
        ? 'There is no active source to sync to. An admin can add or activate one.'
        : null;
  const canSync = !!state && reason === null;

  async function start(input: Partial<StartSyncInput>) {
    if (startingRef.current) return;
    startingRef.current = true;
    setStarting(true);
    setOptionsOpen(false);
    onError(null);
    try {
      const result = await actions.startSync({ force: false, ...input });
      setStartedTaskId(result.task_id);
      setNotice(result.deduplicated ? ALREADY_RUNNING : null);
      setModalOpen(true);
      void refreshState();
    } catch (err) {
      onError(err instanceof ApiError ? err.message : 'Could not reach the server. Try again.');
    } finally {
      startingRef.current = false;
      setStarting(false);
    }
  }

  function view() {
    setNotice(null);
    setModalOpen(true);
  }

  async function retry(id: string) {
    setNotice(null);
    await actions.retryFailed(id);
    void refreshState();
  }

  async function cancel(id: string) {
    await actions.cancelRun(id);
    void refreshState();
  }

  // The live answer when there is one for this run; the page's summary until then.
  const shown = run ?? (latest && latest.task_id === taskId ? latest : null);
  const shownStatus = shown?.status;
  const active = !!shownStatus && !isTerminal(shownStatus);
  const percent = run ? run.progress.percent : null;
  const selected = selectedIds.length;

  return (
    <div className="flex flex-col items-stretch gap-1.5 sm:items-end">
      <div className="flex flex-wrap items-center gap-2 sm:justify-end">
        {shown && shownStatus && active && (
          <button
            type="button"
            onClick={view}
            className="btn rounded-full text-left border border-brand-100 bg-brand-50 px-3 py-1.5 text-brand-700 hover:bg-brand-100"
          >
            <Spinner className="h-4 w-4" />
            <span>
              Sync in progress{percent !== null && <span className="tabular-nums"> · {percent}%</span>}
              <span aria-hidden="true"> — </span>
              <span className="underline underline-offset-2">View</span>
            </span>
          </button>
        )}
        {shown && shownStatus && !active && (
          <button
            type="button"
            onClick={view}
            className="btn rounded-full text-left px-3 py-1.5 text-slate-600 ring-1 ring-inset ring-slate-200 hover:bg-white hover:text-slate-900"
          >
            <StatusIcon status={shownStatus} className="h-4 w-4" />
            <span>
              Last sync: {RUN_STATUS_TEXT[shownStatus].label}
              {shown.finished_at && (
                <span className="text-slate-500">
                  {' · '}
                  <DateTime value={shown.finished_at} />
                </span>
              )}
              <span aria-hidden="true"> — </span>
              <span className="underline underline-offset-2">View</span>
            </span>
          </button>
        )}
        <Writes>
          <button
            type="button"
            className="btn-secondary"
            disabled={!canSync}
            aria-describedby={reason ? reasonId : undefined}
            onClick={() => setOptionsOpen(true)}
          >
            <Icon name="sliders" className="h-4 w-4 text-slate-500" />
            Options
          </button>
          <button
            type="button"
            className="btn-primary"
            disabled={!canSync || starting}
            aria-describedby={reason ? reasonId : undefined}
            onClick={() => start(selected ? { candidate_ids: selectedIds } : {})}
          >
            <Icon name="sync" className={`h-4 w-4 ${starting ? 'animate-spin' : ''}`} />
            Sync to Sources
            {selected > 0 && (
              <span className="rounded-full bg-white/20 px-1.5 text-xs tabular-nums">{selected} selected</span>
            )}
          </button>
        </Writes>
      </div>
      {reason && canWrite && (
        <p id={reasonId} className="text-sm text-slate-500 sm:text-right">
          {reason}
        </p>
      )}

      <SyncOptionsDialog
        open={optionsOpen}
        onClose={() => setOptionsOpen(false)}
        sources={sources}
        hired={hiredNow}
        selectedIds={selectedIds}
        onStart={start}
        connectorNames={connectorNames}
      />
      <SyncProgressDialog
        open={modalOpen}
        onClose={() => setModalOpen(false)}
        run={run}
        pollError={pollError}
        notice={notice}
        isAdmin={isAdmin}
        timeouts={new Map(sources.map((s) => [s.id, s.timeout_ms]))}
        onRetry={retry}
        onCancel={cancel}
      />
    </div>
  );
}
