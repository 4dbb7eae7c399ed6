import { useCallback, useEffect, useRef, useState } from 'react';
import useSWR, { type SWRConfiguration, useSWRConfig } from 'swr';
import { ApiError, apiFetch, swrFetcher } from '@/lib/client/api-fetch';
import { type RunStatus, type StartSyncInput, type StartSyncResult, TERMINAL_RUN_STATUSES } from '@/lib/sync/schemas';

// The app's own calls use the /api/v1 URLs; the seed's URLs (status_url in the 202 answer) stay for scripts.
const syncTaskUrl = (taskId: string, action: 'status' | 'retry-failed' | 'cancel') =>
  `/api/v1/sync-tasks/${encodeURIComponent(taskId)}/${action}`;

export const POLL_INTERVAL_MS = 2000;
/**
 * The first polls of a run come sooner: a sync to fast sources is often over within a second or
 * two, and one 2 s poll would show it jump from nothing to done.
 */
export const FIRST_POLLS_MS = [300, 700, 1000] as const;

/** The pause before poll number `n` (0-based) of a run: the first ones sooner, then every 2 s. */
export const pollDelay = (n: number): number => FIRST_POLLS_MS[n] ?? POLL_INTERVAL_MS;
const MAX_BACKOFF_MS = 30_000;

export function isTerminal(status: RunStatus['status']): boolean {
  return (TERMINAL_RUN_STATUSES as readonly string[]).includes(status);
}

/**
 * Network and server errors are retried with a growing pause (2, 4, 8 … 30 s); answers that will
 * not change by asking again are not. A 401 has already sent the browser to sign in.
 */
const retryWithBackoff: SWRConfiguration['onErrorRetry'] = (error, _key, config, revalidate, { retryCount }) => {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429) return;
  // A hidden tab stops here; SWR asks again when the tab gets focus.
  if (!config.isVisible()) return;
  const delay = Math.min(POLL_INTERVAL_MS * 2 ** Math.max(retryCount - 1, 0), MAX_BACKOFF_MS);
  setTimeout(() => revalidate({ retryCount }), delay);
};

/**
 * A sync run's status, polled soon after it starts (pollDelay), then every 2 s until it is finished,
 * paused while the tab is hidden. Polling starts again when the run becomes active again (a retry).
 */
export function useSyncRun(taskId: string | null) {
  const [finished, setFinished] = useState(false);
  // Polls of the current run so far, counted afresh for a new run or a restarted one (a retry).
  const polls = useRef({ run: '', n: 0 });
  const runKey = `${taskId}:${finished}`;
  // Stable while the run goes on (SWR restarts its timer when this function changes); SWR asks it
  // for the pause before each poll.
  const refreshInterval = useCallback(() => {
    if (finished) return 0;
    if (polls.current.run !== runKey) polls.current = { run: runKey, n: 0 };
    return pollDelay(polls.current.n++);
  }, [finished, runKey]);
  const { data, error, mutate } = useSWR<RunStatus>(taskId ? syncTaskUrl(taskId, 'status') : null, swrFetcher, {
    refreshInterval,
    refreshWhenHidden: false,
    // Below the first pause, so the early polls are not merged into the fetch that started the run.
    dedupingInterval: FIRST_POLLS_MS[0] / 2,
    onErrorRetry: retryWithBackoff,
  });
  // Only an answer for the task asked about counts: SWR may still hold the previous task's.
  const run = data && data.task_id === taskId ? data : undefined;
  const terminal = !!run && isTerminal(run.status);
  useEffect(() => setFinished(terminal), [terminal]);
  return { run, error: error as Error | undefined, terminal, reload: () => mutate() };
}

/** Starting, retrying and cancelling a sync; each refreshes the run it touched. */
export function useSyncActions(slug: string) {
  const { mutate } = useSWRConfig();

  async function startSync(input: Partial<StartSyncInput>): Promise<StartSyncResult> {
    const result = await apiFetch<StartSyncResult>(`/api/v1/jobs/${encodeURIComponent(slug)}/sync-hired-candidates`, {
      method: 'POST',
      body: input,
    });
    await mutate(syncTaskUrl(result.task_id, 'status'));
    return result;
  }

  async function retryFailed(taskId: string): Promise<void> {
    await apiFetch(syncTaskUrl(taskId, 'retry-failed'), { method: 'POST' });
    await mutate(syncTaskUrl(taskId, 'status'));
  }

  async function cancelRun(taskId: string): Promise<void> {
    await apiFetch(syncTaskUrl(taskId, 'cancel'), { method: 'POST' });
    await mutate(syncTaskUrl(taskId, 'status'));
  }

  return { startSync, retryFailed, cancelRun };
}
