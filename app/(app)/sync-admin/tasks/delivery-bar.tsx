import { formatCount } from '../sync-admin-ui';

type Counts = { total: number; succeeded: number; failed: number; skipped: number; cancelled: number };

/** A run's deliveries as one bar (delivered, failed, up to date, cancelled, still to go) and a line of counts. */
export function DeliveryBar({ task }: { task: Counts }) {
  const { total, succeeded, failed, skipped, cancelled } = task;
  const rest = Math.max(0, total - succeeded - failed - skipped - cancelled);
  const part = (n: number) => `${total ? (n / total) * 100 : 0}%`;
  return (
    <div>
      <div className="flex h-1.5 w-full overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
        <div className="bg-emerald-500" style={{ width: part(succeeded) }} />
        <div className="bg-red-500" style={{ width: part(failed) }} />
        <div className="bg-slate-300" style={{ width: part(skipped + cancelled) }} />
        <div className="bg-brand-100" style={{ width: part(rest) }} />
      </div>
      <p className="mt-1 text-xs tabular-nums text-slate-600">
        {total === 0 ? (
          'None'
        ) : (
          <>
            {formatCount(succeeded + skipped)}/{formatCount(total)} delivered
            {failed > 0 && <span className="font-medium text-red-700"> · {formatCount(failed)} failed</span>}
            {cancelled > 0 && <> · {formatCount(cancelled)} cancelled</>}
            {rest > 0 && <> · {formatCount(rest)} to go</>}
          </>
        )}
      </p>
    </div>
  );
}
