'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { DateTime } from '@/app/components/date-time';
import { LoadError } from '@/app/components/notice';
import type { StatsWindow, SyncStats } from '@/lib/sync-admin/schemas';
import { outcomeWord } from '@/lib/sync/statuses';
import { STATS_REFRESH_MS, useSyncStats } from '@/lib/swr/use-sync-stats';
import { DeliveriesChart, type DepthSample, QueueDepthChart } from './charts-client';
import { SourcesTable } from './sources-table';
import { WebhookHealth } from './webhook-health-client';
import {
  formatAgo,
  formatCount,
  formatRate,
  HeadRow,
  Panel,
  RUN_STATUS,
  RunStatusBadge,
  Stat,
  WINDOW_LABEL,
  WindowPicker,
} from './sync-admin-ui';
import { PageHeader } from '@/app/components/page-header';

const MAX_SAMPLES = 120;
const FAILED_RUNS = '/sync-admin/tasks?status=failed,partially_failed';

/** Queue depth as sampled by this page at each refresh: pg-boss keeps no history of its own here. */
function useDepthSamples(stats: SyncStats | undefined): DepthSample[] {
  const [samples, setSamples] = useState<(DepthSample & { at: string })[]>([]);
  useEffect(() => {
    if (!stats) return;
    setSamples((previous) => {
      if (previous.at(-1)?.at === stats.to) return previous;
      const time = new Date(stats.to).toLocaleTimeString(undefined, {
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
      const next = {
        at: stats.to,
        time,
        queued: stats.queue.queued,
        active: stats.queue.active,
        retry: stats.queue.retry,
      };
      return [...previous, next].slice(-MAX_SAMPLES);
    });
  }, [stats]);
  return samples;
}

export function DashboardClient({ initial }: { initial: SyncStats }) {
  const [window, setWindow] = useState<StatsWindow>(initial.window);
  const { stats, error, reload } = useSyncStats(window, initial);
  const samples = useDepthSamples(stats);
  const [now, setNow] = useState(() => Date.parse(initial.to));
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!stats) return null;

  const { runs, deliveries, queue, workers } = stats;
  const sent = deliveries.succeeded + deliveries.failed;
  const slots = workers.reduce((n, w) => n + w.concurrency, 0);
  const rate = stats.success_rate;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Sync dashboard"
        description={
          <>
            Runs and deliveries of the {WINDOW_LABEL[stats.window]}, queues and workers right now.{' '}
            <span className="whitespace-nowrap text-slate-500" data-testid="updated-at">
              <span
                className="mr-1 inline-block h-2 w-2 animate-pulse rounded-full bg-emerald-500"
                aria-hidden="true"
              />
              Live · updated {formatAgo(stats.to, now)}, every {STATS_REFRESH_MS / 1000} s
            </span>
          </>
        }
      >
        <WindowPicker value={window} onChange={setWindow} />
      </PageHeader>

      {error && <LoadError what="statistics" error={error} onRetry={reload} />}

      <dl className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Stat
          label="Success rate"
          testId="stat-success-rate"
          value={formatRate(rate)}
          tone={rate === null ? 'default' : rate >= 0.98 ? 'good' : rate >= 0.9 ? 'warn' : 'bad'}
          detail={
            sent ? `${formatCount(deliveries.succeeded)} of ${formatCount(sent)} sent deliveries` : 'Nothing sent yet'
          }
        />
        <Stat
          label="Deliveries"
          testId="stat-deliveries"
          value={formatCount(deliveries.total)}
          detail={
            <>
              <span className="text-emerald-700">
                {formatCount(deliveries.succeeded)} {outcomeWord('succeeded')}
              </span>{' '}
              · {/* A link to the failed runs only when there is one to see; no alarm colour for none. */}
              {deliveries.failed > 0 ? (
                <Link href={FAILED_RUNS} className="text-red-700 underline underline-offset-2">
                  {formatCount(deliveries.failed)} {outcomeWord('failed')}
                </Link>
              ) : (
                <span>
                  {formatCount(0)} {outcomeWord('failed')}
                </span>
              )}{' '}
              · {formatCount(deliveries.skipped)} {outcomeWord('skipped')}
            </>
          }
        />
        <Stat
          label="Runs"
          testId="stat-runs"
          value={formatCount(runs.total)}
          detail={`${formatCount(runs.running + runs.pending)} in progress · ${formatCount(runs.failed + runs.partially_failed)} with failures`}
        />
        <Stat
          label="Workers alive"
          testId="stat-workers"
          value={workers.length}
          tone={workers.length === 0 ? 'bad' : 'default'}
          detail={workers.length ? `${slots} job slots` : 'No worker is running: nothing is being sent'}
        />
      </dl>

      <div className="grid gap-6 lg:grid-cols-3">
        <Panel
          className="lg:col-span-2"
          title="Deliveries"
          description={`Delivered and failed, by when their run queued them (${WINDOW_LABEL[stats.window]})`}
        >
          <div className="px-3 py-4">
            <DeliveriesChart points={stats.timeseries} window={stats.window} />
          </div>
        </Panel>
        <Panel title="Runs by status" description={`Started in the ${WINDOW_LABEL[stats.window]}`}>
          <ul className="divide-y divide-slate-100" data-testid="runs-by-status">
            {(Object.keys(RUN_STATUS) as (keyof typeof RUN_STATUS)[]).map((status) => (
              <li key={status} className="flex items-center justify-between px-5 py-2.5">
                <Link href={`/sync-admin/tasks?status=${status}`} className="hover:underline">
                  <RunStatusBadge status={status} />
                </Link>
                <span className="font-medium tabular-nums" data-status={status}>
                  {formatCount(runs[status])}
                </span>
              </li>
            ))}
            <li className="flex items-center justify-between bg-slate-50 px-5 py-2.5 text-sm font-semibold">
              <span>Total</span>
              <span className="tabular-nums">{formatCount(runs.total)}</span>
            </li>
          </ul>
        </Panel>
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <Panel
          className="lg:col-span-2"
          title="Queues"
          description="Jobs in pg-boss right now; the chart samples them while this page is open"
        >
          <dl
            className="grid grid-cols-2 gap-px border-b border-slate-100 bg-slate-100 sm:grid-cols-4"
            data-testid="queue"
          >
            {(
              [
                ['Queued', queue.queued, 'Ready to run now'],
                ['Active', queue.active, 'Being worked on'],
                ['Retrying', queue.retry, 'Waiting for a later attempt'],
                ['Failed', queue.failed, 'Gave up (kept 7 days)'],
              ] as const
            ).map(([label, value, hint]) => (
              <div key={label} className="bg-white px-5 py-3">
                <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
                <dd className="text-2xl font-semibold tabular-nums">{formatCount(value)}</dd>
                <dd className="text-xs text-slate-500">{hint}</dd>
              </div>
            ))}
          </dl>
          <div className="px-3 py-4">
            <QueueDepthChart samples={samples} />
          </div>
          {queue.by_queue.length > 0 && (
            <div className="overflow-x-auto border-t border-slate-100">
              <table className="table">
                <caption className="sr-only">Jobs per queue</caption>
                <HeadRow
                  columns={[
                    'Queue',
                    ['Queued', 'right'],
                    ['Active', 'right'],
                    ['Retrying', 'right'],
                    ['Failed', 'right'],
                  ]}
                />
                <tbody className="divide-y divide-slate-100">
                  {queue.by_queue.map((q) => (
                    <tr key={q.name}>
                      <td>
                        <div className="font-medium">{q.label}</div>
                        <div className="font-mono text-xs text-slate-500">{q.name}</div>
                      </td>
                      <td className="text-right tabular-nums">{formatCount(q.queued)}</td>
                      <td className="text-right tabular-nums">{formatCount(q.active)}</td>
                      <td className="text-right tabular-nums">{formatCount(q.retry)}</td>
                      <td className={`text-right tabular-nums ${q.failed ? 'text-red-700' : ''}`}>
                        {formatCount(q.failed)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
        <Panel title="Workers" description="Heartbeat within the last 30 seconds">
          {workers.length === 0 ? (
            <p className="px-5 py-6 text-sm text-red-700">
              No worker is alive. Runs stay pending until one starts (<code className="font-mono">npm run worker</code>
              ).
            </p>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="workers">
              {workers.map((w) => (
                <li key={w.id} className="flex items-center justify-between gap-3 px-5 py-3">
                  <div className="min-w-0">
                    <div className="flex items-center gap-2 font-medium">
                      <span className="h-2 w-2 rounded-full bg-emerald-500" aria-hidden="true" />
                      <span className="truncate">{w.host}</span>
                    </div>
                    <div className="text-xs text-slate-500">
                      pid {w.pid} · up since <DateTime value={w.started_at} />
                    </div>
                  </div>
                  <div className="text-right text-sm">
                    <div className="font-medium tabular-nums">{w.concurrency} slots</div>
                    <div className="text-xs text-slate-500">seen {formatAgo(w.last_seen, now)}</div>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>

      <Panel
        title="Sources"
        description={`Health now; deliveries and times of the ${WINDOW_LABEL[stats.window]}`}
        actions={
          <Link href="/sync-admin/sources" className="btn-secondary">
            Manage sources
          </Link>
        }
      >
        <SourcesTable sources={stats.by_source} now={now} />
      </Panel>

      <WebhookHealth refreshMs={STATS_REFRESH_MS} />
    </div>
  );
}
