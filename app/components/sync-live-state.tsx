import type { SourceLiveState } from '@/lib/sync/schemas';
import { heldText, pauseCauseText, waitingRetryText } from '@/lib/sync/statuses';
import { DateTime } from './date-time';

/**
 * What a source of a running sync is waiting for, in a recruiter's words, shared by the Sync to
 * Sources modal and the admin task page: "3 waiting to retry after attempt 1 of 3 — next attempt
 * at 19:20:05 CET" and "Paused by Payroll until 19:21:05 CET (asked to wait: HTTP 429)". Renders
 * nothing when the source waits for nothing.
 */
export function SourceWaitLines({
  name,
  state,
  format,
  className = 'text-xs',
}: {
  name: string;
  state: SourceLiveState;
  format?: (n: number) => string;
  className?: string;
}) {
  return (
    <>
      {state.waiting_retry > 0 && (
        <p className={`${className} text-amber-800`} data-testid="source-waiting-retry">
          {waitingRetryText(state.waiting_retry, state.waiting_attempts, state.max_attempts, format)}
          {state.next_attempt_at && (
            <>
              {' '}
              — next attempt at <DateTime value={state.next_attempt_at} format="time" />
            </>
          )}
        </p>
      )}
      {state.pause_kind === 'retry_after' && state.paused_until && (
        <p className={`${className} text-amber-800`} data-testid="source-paused">
          Paused by {name} until <DateTime value={state.paused_until} format="time" /> (
          {pauseCauseText(state.pause_http_status, state.pause_reason)})
        </p>
      )}
      {(state.pause_kind === 'admin' || state.pause_kind === 'auth_failed') && (
        <p className={`${className} text-amber-800`} data-testid="source-paused">
          {heldText(name, state.paused, state.pause_kind, state.pause_reason, format)}
        </p>
      )}
    </>
  );
}
