import { DateTime } from '@/app/components/date-time';
import { explainFailure } from '@/lib/sync/explain-failure';
import { DELIVERY_STATUS_TEXT, RECORD_STATE_TEXT } from '@/lib/sync/statuses';
import type { CandidateSourceState } from '@/lib/sync/sync-state-schemas';
import { Icon } from './sync-icons';

/** A hired candidate's last known state at one source: delivered when, failed why, or never synced. */
export function SyncStateCell({
  state,
  loaded,
  timeoutMs,
}: {
  state: CandidateSourceState | undefined;
  loaded: boolean;
  timeoutMs?: number;
}) {
  if (!loaded) return <span className="text-slate-500">…</span>;
  if (!state) {
    return (
      <span className="inline-flex items-center gap-1.5 whitespace-nowrap text-slate-500">
        <Icon name="minus-circle" className="h-4 w-4 text-slate-300" />
        Never synced
      </span>
    );
  }
  if (state.last_status === 'succeeded') {
    return (
      <div className="flex items-start gap-1.5 whitespace-nowrap">
        <Icon name="check-circle" className="mt-0.5 h-4 w-4 text-emerald-600" />
        <div className="leading-snug">
          <p className="font-medium text-emerald-700">
            {state.last_action === 'update'
              ? RECORD_STATE_TEXT.updated.label
              : state.last_action === 'rehire'
                ? RECORD_STATE_TEXT.rehired.label
                : DELIVERY_STATUS_TEXT.succeeded.label}
          </p>
          <p className="text-xs text-slate-500">
            <DateTime value={state.delivered_at ?? state.last_attempt_at} />
          </p>
          {state.external_id && <p className="font-mono text-xs text-slate-500">{state.external_id}</p>}
        </div>
      </div>
    );
  }
  const reason = explainFailure(
    { code: state.error_code, http_status: state.http_status, message: state.last_error },
    { timeoutMs },
  );
  return (
    <div className="flex min-w-[15rem] max-w-xs items-start gap-1.5">
      <Icon name="x-circle" className="mt-0.5 h-4 w-4 text-red-600" />
      <div className="leading-snug">
        <p className="whitespace-nowrap font-medium text-red-700">
          {DELIVERY_STATUS_TEXT.failed.label}{' '}
          <span className="font-normal text-xs text-slate-500">
            · <DateTime value={state.last_attempt_at} />
          </span>
        </p>
        <p className="text-xs text-slate-600" title={state.last_error ?? undefined}>
          {reason}
        </p>
        {state.delivered_at && (
          <p className="text-xs text-slate-500">
            Last delivered <DateTime value={state.delivered_at} />
          </p>
        )}
      </div>
    </div>
  );
}
