import Link from 'next/link';
import { Writes } from '@/app/components/write-access-client';
import type { SourceStats } from '@/lib/sync-admin/schemas';
import { DELIVERY_STATUS_TEXT } from '@/lib/sync/statuses';
import { formatAgo, formatCount, formatMs, HeadRow, HealthBadge, RateText } from './sync-admin-ui';

/** Per source: health, success rate, counts and delivery times; used by the dashboard and the statistics. */
export function SourcesTable({ sources, now }: { sources: SourceStats[]; now: number }) {
  if (sources.length === 0) {
    return (
      <p className="px-5 py-6 text-sm text-slate-600">
        No sources yet.
        <Writes>
          {' '}
          <Link href="/sync-admin/sources/new">Add one</Link> to start delivering hired candidates.
        </Writes>
      </p>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="table" data-testid="sources-table">
        <caption className="sr-only">Sources with health, success rate and delivery times</caption>
        <HeadRow
          columns={[
            'Source',
            'Health',
            ['Success rate', 'right'],
            [DELIVERY_STATUS_TEXT.succeeded.label, 'right'],
            [DELIVERY_STATUS_TEXT.skipped.label, 'right'],
            [DELIVERY_STATUS_TEXT.failed.label, 'right'],
            ['Median', 'right'],
            ['p95', 'right'],
            'Last success',
          ]}
        />
        <tbody className="divide-y divide-slate-100">
          {sources.map((s) => (
            <tr key={s.source_id} className={s.deleted ? 'bg-slate-50/60 text-slate-500' : undefined}>
              <td className="min-w-48">
                {s.deleted ? (
                  <span className="font-medium">{s.name}</span>
                ) : (
                  <Link
                    href={`/sync-admin/sources/${s.source_id}`}
                    className="font-medium text-slate-900 hover:text-brand-700 hover:underline"
                  >
                    {s.name}
                  </Link>
                )}
                <div className="text-xs text-slate-500">
                  {s.deleted ? 'Deleted' : s.is_active ? 'Active' : 'Inactive'}
                  {s.consecutive_failures > 0 && ` · ${s.consecutive_failures} failures in a row`}
                </div>
              </td>
              <td>
                <HealthBadge status={s.health} />
                {s.health_error && s.health !== 'healthy' && (
                  <div className="mt-1 max-w-56 truncate text-xs text-slate-500" title={s.health_error}>
                    {s.health_error}
                  </div>
                )}
              </td>
              <td className="text-right">
                <RateText rate={s.success_rate} />
              </td>
              <td className="text-right tabular-nums">{formatCount(s.succeeded)}</td>
              <td className="text-right tabular-nums text-slate-600">{formatCount(s.skipped)}</td>
              <td className={`text-right tabular-nums ${s.failed ? 'font-medium text-red-700' : 'text-slate-500'}`}>
                {formatCount(s.failed)}
              </td>
              <td className="whitespace-nowrap text-right tabular-nums">{formatMs(s.p50_ms)}</td>
              <td className="whitespace-nowrap text-right tabular-nums">{formatMs(s.p95_ms)}</td>
              <td className="whitespace-nowrap text-sm text-slate-600">{formatAgo(s.last_success_at, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
