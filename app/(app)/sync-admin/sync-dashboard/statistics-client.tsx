'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { DateTime } from '@/app/components/date-time';
import { LoadError } from '@/app/components/notice';
import type { StatsWindow, SyncReport } from '@/lib/sync-admin/schemas';
import { DELIVERY_STATUS_TEXT } from '@/lib/sync/statuses';
import { useSyncReport } from '@/lib/swr/use-sync-stats';
import { FailureTrendChart } from '../charts-client';
import { SourcesTable } from '../sources-table';
import {
  DeliveryStatusBadge,
  formatCount,
  formatMs,
  formatRate,
  HeadRow,
  Panel,
  RateText,
  shortId,
  WINDOW_LABEL,
  WindowPicker,
} from '../sync-admin-ui';
import { PageHeader } from '@/app/components/page-header';

const taskLink = (id: string) => `/sync-admin/tasks/${id}`;

export function StatisticsClient({ initial }: { initial: SyncReport }) {
  const [window, setWindow] = useState<StatsWindow>(initial.window);
  const { report, error, isLoading, reload } = useSyncReport(window, initial);
  const [now, setNow] = useState(() => Date.parse(initial.to));
  useEffect(() => setNow(Date.now()), []);
  if (!report) return null;
  const failed = report.trend.reduce((n, d) => n + d.failed, 0);
  const sent = report.trend.reduce((n, d) => n + d.succeeded + d.failed, 0);

  return (
    <div className="space-y-6" aria-busy={isLoading}>
      <PageHeader
        title="Sync statistics"
        description={<>Where deliveries fail and what takes long, over the {WINDOW_LABEL[report.window]}.</>}
      >
        <div className="flex items-center gap-3">
          <button type="button" className="btn-ghost" onClick={reload}>
            Refresh
          </button>
          <WindowPicker value={window} onChange={setWindow} />
        </div>
      </PageHeader>

      {error && <LoadError what="statistics" error={error} onRetry={reload} />}

      <Panel
        title="Failure trend"
        description={`${formatCount(failed)} failed of ${formatCount(sent)} sent (${formatRate(sent ? failed / sent : null)}), per UTC day`}
      >
        <div className="px-3 py-4">
          <FailureTrendChart trend={report.trend} />
        </div>
      </Panel>

      <Panel
        title="Per source"
        description="Success rate is delivered ÷ (delivered + failed); times are of delivered ones"
      >
        <SourcesTable sources={report.by_source} now={now} />
      </Panel>

      <Panel title="Per posting" description="From the runs' own counters; the 50 postings with the most runs">
        {report.by_posting.length === 0 ? (
          <p className="px-5 py-6 text-sm text-slate-600">No runs in this period.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="table" data-testid="postings-table">
              <caption className="sr-only">Runs and deliveries per job posting</caption>
              <HeadRow
                columns={[
                  'Posting',
                  ['Runs', 'right'],
                  ['With failures', 'right'],
                  [DELIVERY_STATUS_TEXT.succeeded.label, 'right'],
                  [DELIVERY_STATUS_TEXT.skipped.label, 'right'],
                  [DELIVERY_STATUS_TEXT.failed.label, 'right'],
                  ['Success rate', 'right'],
                  'Last run',
                ]}
              />
              <tbody className="divide-y divide-slate-100">
                {report.by_posting.map((p) => (
                  <tr key={p.job.id}>
                    <td className="min-w-56">
                      <Link
                        href={`/sync-admin/tasks?posting=${encodeURIComponent(p.job.slug)}`}
                        className="font-medium text-slate-900 hover:text-brand-700 hover:underline"
                      >
                        {p.job.title}
                      </Link>
                      <div className="font-mono text-xs text-slate-500">{p.job.slug}</div>
                    </td>
                    <td className="text-right tabular-nums">{formatCount(p.runs)}</td>
                    <td className="text-right tabular-nums">
                      {p.failed_runs ? (
                        <Link
                          href={`/sync-admin/tasks?posting=${encodeURIComponent(p.job.slug)}&status=failed,partially_failed`}
                          className="text-red-700 hover:underline"
                        >
                          {formatCount(p.failed_runs)}
                        </Link>
                      ) : (
                        <span className="text-slate-500">0</span>
                      )}
                    </td>
                    <td className="text-right tabular-nums">{formatCount(p.succeeded)}</td>
                    <td className="text-right tabular-nums text-slate-600">{formatCount(p.skipped)}</td>
                    <td className={`text-right tabular-nums ${p.failed ? 'text-red-700' : 'text-slate-500'}`}>
                      {formatCount(p.failed)}
                    </td>
                    <td className="text-right">
                      <RateText rate={p.success_rate} />
                    </td>
                    <td className="whitespace-nowrap text-sm text-slate-600">
                      <DateTime value={p.last_run_at} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>

      <div className="grid gap-6">
        <Panel title="Most common errors" description="Failed deliveries grouped by code and message">
          {report.errors.length === 0 ? (
            <p className="px-5 py-6 text-sm text-slate-600">No failed deliveries in this period.</p>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="errors">
              {report.errors.map((e) => (
                <li key={`${e.error_code}:${e.message}`} className="flex items-start justify-between gap-4 px-5 py-3">
                  <div className="min-w-0">
                    <div className="flex flex-wrap items-center gap-2">
                      <code className="rounded bg-red-50 px-1.5 py-0.5 font-mono text-xs text-red-700">
                        {e.error_code ?? 'error'}
                      </code>
                      <span className="text-xs text-slate-500">{e.sources.join(', ')}</span>
                    </div>
                    <p className="mt-1 break-words text-sm text-slate-800">{e.message || 'No message'}</p>
                    <p className="mt-0.5 text-xs text-slate-500">
                      Last <DateTime value={e.last_seen} /> ·{' '}
                      <Link href={taskLink(e.example_task_id)} className="text-brand-700 underline underline-offset-2">
                        example run {shortId(e.example_task_id)}
                      </Link>
                    </p>
                  </div>
                  <span className="shrink-0 text-lg font-semibold tabular-nums text-red-700">
                    {formatCount(e.count)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Panel>

        <Panel title="Slowest deliveries" description="Longest last attempts, delivered or failed">
          {report.slowest.length === 0 ? (
            <p className="px-5 py-6 text-sm text-slate-600">Nothing was sent in this period.</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="table" data-testid="slowest">
                <caption className="sr-only">Slowest deliveries</caption>
                <HeadRow columns={[['Time', 'right'], 'Candidate', 'Source', 'Status', 'Run']} />
                <tbody className="divide-y divide-slate-100">
                  {report.slowest.map((d) => (
                    <tr key={d.delivery_id}>
                      <td className="whitespace-nowrap text-right font-medium tabular-nums">
                        {formatMs(d.duration_ms)}
                      </td>
                      <td>
                        <div className="font-medium">{d.candidate.name}</div>
                        <div className="text-xs text-slate-500">{d.candidate.email}</div>
                      </td>
                      <td className="text-sm">{d.source.name}</td>
                      <td>
                        <DeliveryStatusBadge status={d.status} />
                      </td>
                      <td>
                        <Link href={taskLink(d.task_id)} className="font-mono text-xs text-brand-700 hover:underline">
                          {shortId(d.task_id)}
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      </div>
    </div>
  );
}
