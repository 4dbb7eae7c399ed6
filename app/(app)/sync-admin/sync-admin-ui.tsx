import { Badge, type BadgeTone } from '@/app/components/badge';
import type { DeliveryStatus, SourceHealth, SyncRunStatus, SyncTrigger } from '@/db/types';
import type { StatsWindow } from '@/lib/sync-admin/schemas';
import { DELIVERY_STATUS_TEXT, deliveryText, RUN_STATUS_TEXT } from '@/lib/sync/statuses';

/** Shared pieces of the sync admin pages (dashboard, statistics, tasks). */

/** The words of lib/sync/statuses, the one place that names run and delivery statuses. */
export const RUN_STATUS = RUN_STATUS_TEXT;
export const DELIVERY_STATUS = DELIVERY_STATUS_TEXT;

export const TRIGGER_LABEL: Record<SyncTrigger, string> = {
  manual: 'Manual',
  schedule: 'Schedule',
  api: 'API',
  hire: 'Hire',
};

export const WINDOW_LABEL: Record<StatsWindow, string> = {
  '24h': 'last 24 hours',
  '7d': 'last 7 days',
  '30d': 'last 30 days',
};

export function RunStatusBadge({ status }: { status: SyncRunStatus }) {
  const s = RUN_STATUS[status];
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

/** A pending delivery with attempts behind it shows as waiting to retry. */
export function DeliveryStatusBadge({ status, attempts }: { status: DeliveryStatus; attempts?: number }) {
  const s = deliveryText(status, attempts);
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

const SOURCE_HEALTH: Record<SourceHealth, [label: string, tone: BadgeTone]> = {
  healthy: ['Healthy', 'green'],
  degraded: ['Degraded', 'amber'],
  auth_failed: ['Auth failed', 'red'],
  unreachable: ['Unreachable', 'red'],
  unknown: ['Not checked', 'gray'],
};

export function HealthBadge({ status }: { status: SourceHealth }) {
  const [label, tone] = SOURCE_HEALTH[status] ?? SOURCE_HEALTH.unknown;
  return <Badge tone={tone}>{label}</Badge>;
}

const NUMBER = new Intl.NumberFormat('en');

export const formatCount = (n: number) => NUMBER.format(n);

/** 0.9876 → "98.8%"; null (nothing sent) → "—". */
export function formatRate(rate: number | null): string {
  if (rate === null) return '—';
  const percent = rate * 100;
  return `${percent === 100 || percent === 0 ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

/** 840 → "840 ms", 12_300 → "12.3 s", 185_000 → "3 min 5 s". */
export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** "12 s ago", "3 min ago", "2 h ago" relative to `now`. */
export function formatAgo(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

export const shortId = (id: string) => id.slice(0, 8);

/** Success-rate text coloured by how good it is. */
export function RateText({ rate }: { rate: number | null }) {
  const tone =
    rate === null
      ? 'text-slate-500'
      : rate >= 0.98
        ? 'text-emerald-700'
        : rate >= 0.9
          ? 'text-amber-700'
          : 'text-red-700';
  return <span className={`font-medium tabular-nums ${tone}`}>{formatRate(rate)}</span>;
}

export function WindowPicker({ value, onChange }: { value: StatsWindow; onChange: (w: StatsWindow) => void }) {
  const options: StatsWindow[] = ['24h', '7d', '30d'];
  return (
    <fieldset className="inline-flex rounded-md shadow-sm">
      <legend className="sr-only">Period</legend>
      {options.map((w, i) => (
        <label
          key={w}
          className={`cursor-pointer border border-slate-300 px-3 py-1.5 text-sm font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-600 ${
            i === 0 ? 'rounded-l-md' : '-ml-px'
          } ${i === options.length - 1 ? 'rounded-r-md' : ''} ${
            value === w ? 'z-10 border-brand-600 bg-brand-600 text-white' : 'bg-white text-slate-700 hover:bg-slate-50'
          }`}
        >
          <input
            type="radio"
            name="window"
            value={w}
            checked={value === w}
            onChange={() => onChange(w)}
            className="sr-only"
          />
          {w === '24h' ? '24 hours' : w === '7d' ? '7 days' : '30 days'}
        </label>
      ))}
    </fieldset>
  );
}

/** A column heading: a label, `[label, 'right']` for a numeric column, `[label, 'hidden']` for screen readers only. */
export type Column = string | [label: string, how: 'right' | 'hidden'];

export function HeadCells({ columns }: { columns: Column[] }) {
  return columns.map((column) => {
    const [label, how] = typeof column === 'string' ? [column, undefined] : column;
    return (
      <th key={label} scope="col" className={how === 'right' ? 'text-right!' : undefined}>
        {how === 'hidden' ? <span className="sr-only">{label}</span> : label}
      </th>
    );
  });
}

/** A `.table`'s head row. */
export function HeadRow({ columns }: { columns: Column[] }) {
  return (
    <thead className="bg-slate-50">
      <tr>
        <HeadCells columns={columns} />
      </tr>
    </thead>
  );
}

/** A titled card section. */
export function Panel({
  title,
  description,
  actions,
  children,
  className = '',
}: {
  title: string;
  description?: React.ReactNode;
  actions?: React.ReactNode;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <section className={`card ${className}`} aria-label={title}>
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-100 px-5 py-4">
        <div>
          <h2 className="text-base font-semibold text-slate-900">{title}</h2>
          {description && <p className="mt-0.5 text-sm text-slate-500">{description}</p>}
        </div>
        {actions}
      </div>
      <div>{children}</div>
    </section>
  );
}

/** A headline number with a label and an optional line under it. */
export function Stat({
  label,
  value,
  detail,
  tone = 'default',
  testId,
}: {
  label: string;
  value: React.ReactNode;
  detail?: React.ReactNode;
  tone?: 'default' | 'good' | 'bad' | 'warn';
  testId?: string;
}) {
  const color =
    tone === 'good'
      ? 'text-emerald-700'
      : tone === 'bad'
        ? 'text-red-700'
        : tone === 'warn'
          ? 'text-amber-700'
          : 'text-slate-900';
  return (
    <div className="card px-5 py-4" data-testid={testId}>
      <dt className="text-sm font-medium text-slate-500">{label}</dt>
      <dd className={`mt-1 text-3xl font-semibold tracking-tight tabular-nums ${color}`}>{value}</dd>
      {detail && <dd className="mt-1 text-sm text-slate-500">{detail}</dd>}
    </div>
  );
}

// The theme's variables rather than fixed values, so the charts turn with the dark theme.
export const CHART_COLORS = {
  succeeded: 'var(--color-emerald-500)',
  failed: 'var(--color-red-500)',
  skipped: 'var(--color-slate-400)',
  queued: 'var(--color-brand-500)',
  active: '#8b5cf6',
  retry: 'var(--color-amber-500)',
  grid: 'var(--color-slate-200)',
  axis: 'var(--color-slate-500)',
  line: 'var(--color-slate-900)',
  hover: 'var(--color-slate-100)',
  surface: 'var(--color-white)',
};

/** A labelled select of a filter bar; `hideLabel` keeps the label for screen readers only. */
export function FilterSelect({
  id,
  label,
  value,
  onChange,
  options,
  hideLabel = false,
  className,
}: {
  id: string;
  label: string;
  hideLabel?: boolean;
  className?: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
}) {
  return (
    <div className={className}>
      <label htmlFor={id} className={hideLabel ? 'sr-only' : 'label'}>
        {label}
      </label>
      <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
