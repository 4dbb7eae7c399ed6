import { OutcomeBar, OutcomeSummary } from '@/app/components/delivery-outcomes';
import type { OutcomeCounts } from '@/lib/sync/statuses';

/** A run's (or one source's) deliveries as one bar and the same line of counts the sync dialog shows. */
export function DeliveryBar({ task }: { task: OutcomeCounts }) {
  return (
    <div>
      <OutcomeBar counts={task} />
      <p className="mt-1 text-xs tabular-nums text-slate-600">
        <OutcomeSummary counts={task} testId="delivery-summary" />
      </p>
    </div>
  );
}
