'use client';

import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { StatsWindow } from '@/lib/sync-admin/schemas';
import { DELIVERY_STATUS_TEXT, outcomeWord } from '@/lib/sync/statuses';
import { CHART_COLORS, formatCount } from './sync-admin-ui';

const AXIS = { fontSize: 12, fill: CHART_COLORS.axis };
const TOOLTIP_STYLE = {
  backgroundColor: CHART_COLORS.surface,
  borderColor: CHART_COLORS.grid,
  color: CHART_COLORS.line,
};

type Point = { bucket: string; succeeded: number; failed: number };

/** Hours for a day, 6-hour blocks for a week, days for a month: about 24–30 bars whatever the window. */
export function groupTimeseries(points: Point[], window: StatsWindow): (Point & { label: string })[] {
  const size = window === '24h' ? 1 : window === '7d' ? 6 : 24;
  const out: (Point & { label: string })[] = [];
  for (const p of points) {
    const t = new Date(p.bucket);
    const start = new Date(Math.floor(t.getTime() / (size * 3_600_000)) * size * 3_600_000);
    const key = start.toISOString();
    const last = out.at(-1);
    if (last && last.bucket === key) {
      last.succeeded += p.succeeded;
      last.failed += p.failed;
      continue;
    }
    const label =
      size === 24
        ? start.toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' })
        : size === 6
          ? `${start.toLocaleDateString(undefined, { weekday: 'short' })} ${start.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`
          : start.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    out.push({ bucket: key, succeeded: p.succeeded, failed: p.failed, label });
  }
  return out;
}

export function DeliveriesChart({ points, window }: { points: Point[]; window: StatsWindow }) {
  const data = groupTimeseries(points, window);
  const succeeded = data.reduce((n, d) => n + d.succeeded, 0);
  const failed = data.reduce((n, d) => n + d.failed, 0);
  return (
    <figure
      className="h-72 w-full"
      role="img"
      aria-label={`Deliveries over time: ${formatCount(succeeded)} ${outcomeWord('succeeded')} and ${formatCount(failed)} ${outcomeWord('failed')}`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} barCategoryGap="15%">
          <CartesianGrid vertical={false} stroke={CHART_COLORS.grid} />
          <XAxis dataKey="label" tick={AXIS} tickLine={false} axisLine={false} minTickGap={16} />
          <YAxis allowDecimals={false} tick={AXIS} tickLine={false} axisLine={false} width={48} />
          <Tooltip
            cursor={{ fill: CHART_COLORS.hover }}
            contentStyle={TOOLTIP_STYLE}
            formatter={(v) => formatCount(Number(v))}
          />
          <Legend iconType="circle" wrapperStyle={{ fontSize: 12 }} />
          <Bar
            dataKey="succeeded"
            name={DELIVERY_STATUS_TEXT.succeeded.label}
            stackId="d"
            fill={CHART_COLORS.succeeded}
            isAnimationActive={false}
          />
          <Bar
            dataKey="failed"
            name="Failed"
            stackId="d"
            fill={CHART_COLORS.failed}
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export type DepthSample = { time: string; queued: number; active: number; retry: number };

const DEPTH_SERIES = [
  ['queued', 'Queued'],
  ['active', 'Active'],
  ['retry', 'Retrying'],
] as const;

export function QueueDepthChart({ samples }: { samples: DepthSample[] }) {
  const latest = samples.at(-1);
  if (samples.length < 2) {
    return (
      <p className="flex h-48 items-center justify-center text-sm text-slate-500">
        The chart fills in as this page refreshes.
      </p>
    );
  }
  return (
    <figure
      className="h-48 w-full"
      role="img"
      aria-label={
        latest
          ? `Queue depth now: ${latest.queued} queued, ${latest.active} active, ${latest.retry} waiting to retry`
          : 'Queue depth'
      }
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={samples} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} stroke={CHART_COLORS.grid} />
          <XAxis dataKey="time" tick={AXIS} tickLine={false} axisLine={false} minTickGap={24} />
          <YAxis allowDecimals={false} tick={AXIS} tickLine={false} axisLine={false} width={40} />
          <Tooltip contentStyle={TOOLTIP_STYLE} />
          <Legend iconType="circle" wrapperStyle={{ fontSize: 12 }} />
          {DEPTH_SERIES.map(([key, name]) => (
            <Line
              key={key}
              type="monotone"
              dataKey={key}
              name={name}
              stroke={CHART_COLORS[key]}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

type TrendPoint = { day: string; succeeded: number; failed: number; failure_rate: number | null };

export function FailureTrendChart({ trend }: { trend: TrendPoint[] }) {
  const data = trend.map((d) => ({
    ...d,
    label: new Date(`${d.day}T00:00:00Z`).toLocaleDateString(undefined, {
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    }),
    rate: d.failure_rate === null ? null : Math.round(d.failure_rate * 1000) / 10,
  }));
  const failed = trend.reduce((n, d) => n + d.failed, 0);
  return (
    <figure className="h-64 w-full" role="img" aria-label={`Failures per day: ${formatCount(failed)} in the period`}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} stroke={CHART_COLORS.grid} />
          <XAxis dataKey="label" tick={AXIS} tickLine={false} axisLine={false} minTickGap={12} />
          <YAxis yAxisId="n" allowDecimals={false} tick={AXIS} tickLine={false} axisLine={false} width={48} />
          <YAxis yAxisId="rate" orientation="right" tick={AXIS} tickLine={false} axisLine={false} width={44} unit="%" />
          <Tooltip
            formatter={(value, name) => (name === 'Failure rate' ? `${value}%` : formatCount(Number(value)))}
            cursor={{ fill: CHART_COLORS.hover }}
            contentStyle={TOOLTIP_STYLE}
          />
          <Legend iconType="circle" wrapperStyle={{ fontSize: 12 }} />
          <Bar
            yAxisId="n"
            dataKey="failed"
            name="Failed deliveries"
            fill={CHART_COLORS.failed}
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
          <Line
            yAxisId="rate"
            type="monotone"
            dataKey="rate"
            name="Failure rate"
            stroke={CHART_COLORS.line}
            strokeWidth={2}
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
