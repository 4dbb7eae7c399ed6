import { doneOfTotal, type Outcome, type OutcomeCounts, outcomeSegments, type Unsettled } from '@/lib/sync/statuses';

/** One colour per outcome, shared by every bar, dot and legend that shows deliveries. */
export const OUTCOME_COLOR: Record<Outcome | Unsettled, { fill: string; text: string }> = {
  succeeded: { fill: 'bg-emerald-500', text: 'text-emerald-700' },
  skipped: { fill: 'bg-emerald-300', text: 'text-slate-700' },
  failed: { fill: 'bg-red-500', text: 'text-red-700' },
  cancelled: { fill: 'bg-slate-400', text: 'text-slate-700' },
  paused: { fill: 'bg-amber-400', text: 'text-amber-800' },
  retry: { fill: 'bg-amber-200', text: 'text-amber-800' },
  rest: { fill: 'bg-brand-100', text: 'text-slate-600' },
};

const NUMBER = new Intl.NumberFormat('en');
const format = (n: number) => NUMBER.format(n);

/** Deliveries as one bar, in the order and colours of the outcomes. */
export function OutcomeBar({ counts, className = 'h-1.5' }: { counts: OutcomeCounts; className?: string }) {
  const part = (n: number) => `${counts.total ? (n / counts.total) * 100 : 0}%`;
  return (
    <div className={`flex w-full overflow-hidden rounded-full bg-slate-100 ${className}`} aria-hidden="true">
      {outcomeSegments(counts).map((s) => (
        <div
          key={s.key}
          className={`h-full transition-[width] duration-500 ${OUTCOME_COLOR[s.key].fill}`}
          style={{ width: part(s.count) }}
        />
      ))}
    </div>
  );
}

/** "18 of 18 done: 6 delivered, 12 already up to date", failures in red (summarizeCounts, styled). */
export function OutcomeSummary({ counts, testId }: { counts: OutcomeCounts; testId?: string }) {
  if (counts.total === 0) return <span data-testid={testId}>Nothing to send</span>;
  const segments = outcomeSegments(counts, { format });
  return (
    <span data-testid={testId}>
      {doneOfTotal(counts, format)}:{' '}
      {segments.map((s, i) => (
        <span key={s.key} className={s.key === 'failed' ? 'font-medium text-red-700' : undefined}>
          {s.text}
          {i < segments.length - 1 ? ', ' : ''}
        </span>
      ))}
    </span>
  );
}
