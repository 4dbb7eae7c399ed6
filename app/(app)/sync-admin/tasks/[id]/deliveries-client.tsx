'use client';

import { ExportLinks } from '@/app/components/export-links';
import { Fragment, useState } from 'react';
import { CodeBlock } from '@/app/components/code-block';
import { DateTime } from '@/app/components/date-time';
import { LoadError } from '@/app/components/notice';
import type { DeliveryDetail, DeliveryRow, TaskDetail } from '@/lib/sync-admin/schemas';
import { DELIVERIES_PAGE_SIZE } from '@/lib/sync-admin/schemas';
import { DELIVERY_ACTION_LABEL } from '@/lib/sync/statuses';
import { useTaskDeliveries, useTaskDelivery } from '@/lib/swr/use-sync-tasks';
import { PagedTable, useCursorPages } from '../../../recruitment/paged-table';
import { DELIVERY_STATUS, DeliveryStatusBadge, FilterSelect, formatMs, HeadCells, Panel } from '../../sync-admin-ui';

const COLUMNS = 9;

/** Every delivery of a run, filterable by status and source, each with what was sent and answered. */
export function DeliveriesPanel({ task, live }: { task: TaskDetail; live: boolean }) {
  const [status, setStatus] = useState('');
  const [source, setSource] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const pages = useCursorPages();
  const { deliveries, nextCursor, error, isLoading, reload } = useTaskDeliveries(
    task.task_id,
    { status: status || undefined, source: source || undefined },
    pages.cursor,
    live,
  );

  return (
    <Panel
      title="Every delivery"
      description="One per candidate and source; open one to see the request that was sent and the answer"
      actions={
        <div className="flex flex-wrap gap-2">
          <FilterSelect
            id="delivery-status"
            label="Status"
            hideLabel
            className="w-40"
            value={status}
            onChange={(v) => {
              setStatus(v);
              pages.reset();
            }}
            options={[
              { value: '', label: 'All statuses' },
              ...Object.entries(DELIVERY_STATUS).map(([value, s]) => ({ value, label: s.label })),
            ]}
          />
          <FilterSelect
            id="delivery-source"
            label="Source"
            hideLabel
            className="w-48"
            value={source}
            onChange={(v) => {
              setSource(v);
              pages.reset();
            }}
            options={[
              { value: '', label: 'All sources' },
              ...task.sources.map((s) => ({ value: s.source_id, label: s.name })),
            ]}
          />
          <ExportLinks
            path={`/api/v1/sync-admin/tasks/${task.task_id}/deliveries/export`}
            filters={{ status: status || undefined, source: source || undefined }}
            what="the deliveries matching these filters"
          />
        </div>
      }
    >
      {error && (
        <div className="p-4">
          <LoadError what="deliveries" error={error} onRetry={reload} />
        </div>
      )}
      <div className="-m-px">
        <PagedTable
          caption="Deliveries of this run"
          busy={isLoading}
          empty={
            deliveries.length === 0 && !isLoading ? (
              <p className="px-5 py-8 text-center text-sm text-slate-600">
                {status || source ? 'No delivery matches these filters.' : 'No deliveries yet.'}
              </p>
            ) : null
          }
          head={
            <HeadCells
              columns={[
                'Candidate',
                'Source',
                'Action',
                'Status',
                ['Attempts', 'right'],
                ['HTTP', 'right'],
                ['Time', 'right'],
                'Error / external id',
                ['Details', 'hidden'],
              ]}
            />
          }
          pager={{
            label: 'Deliveries pages',
            pages,
            pageSize: DELIVERIES_PAGE_SIZE,
            shown: deliveries.length,
            nextCursor,
          }}
        >
          {deliveries.map((d) => (
            <Fragment key={d.id}>
              <DeliveryLine delivery={d} open={open === d.id} onToggle={() => setOpen(open === d.id ? null : d.id)} />
              {open === d.id && (
                <tr className="bg-slate-50/70">
                  <td colSpan={COLUMNS} className="px-4 py-4">
                    <DeliveryDetails taskId={task.task_id} deliveryId={d.id} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </PagedTable>
      </div>
    </Panel>
  );
}

function DeliveryLine({ delivery: d, open, onToggle }: { delivery: DeliveryRow; open: boolean; onToggle: () => void }) {
  return (
    <tr className={open ? 'bg-slate-50/70' : undefined}>
      <td className="min-w-48">
        <div className="font-medium">{d.candidate.name}</div>
        <div className="text-xs text-slate-500">{d.candidate.email}</div>
      </td>
      <td className="text-sm">{d.source.name}</td>
      <td className="whitespace-nowrap text-sm">{DELIVERY_ACTION_LABEL[d.action]}</td>
      <td className="whitespace-nowrap">
        <DeliveryStatusBadge status={d.status} attempts={d.attempts} />
        {d.status === 'pending' && d.next_attempt_at && (
          <div className="mt-0.5 text-xs text-slate-500">
            next attempt at <DateTime value={d.next_attempt_at} format="time" />
          </div>
        )}
      </td>
      <td className="text-right tabular-nums">{d.attempts}</td>
      <td className={`text-right tabular-nums ${d.http_status && d.http_status >= 400 ? 'text-red-700' : ''}`}>
        {d.http_status ?? '—'}
      </td>
      <td className="whitespace-nowrap text-right tabular-nums">{formatMs(d.duration_ms)}</td>
      <td className="max-w-sm">
        {d.error_code || (d.error_message && d.status !== 'skipped') ? (
          <div className="text-sm">
            {d.error_code && <code className="mr-1 font-mono text-xs text-red-700">{d.error_code}</code>}
            <span className="line-clamp-2 break-words text-slate-700">{d.error_message}</span>
          </div>
        ) : d.external_id ? (
          <ExternalId id={d.external_id} url={d.record_url} system={d.source.name} />
        ) : (
          <span className="text-slate-500">—</span>
        )}
      </td>
      <td className="text-right">
        <button type="button" className="btn-ghost px-2.5 py-1.5" aria-expanded={open} onClick={onToggle}>
          {open ? 'Hide' : 'Details'}
          <span className="sr-only">
            {' '}
            of the delivery of {d.candidate.name} to {d.source.name}
          </span>
        </button>
      </td>
    </tr>
  );
}

function DeliveryDetails({ taskId, deliveryId }: { taskId: string; deliveryId: string }) {
  const { delivery, error } = useTaskDelivery(taskId, deliveryId);
  if (error) return <p className="text-sm text-red-700">Could not load the delivery: {error.message}</p>;
  if (!delivery) return <p className="text-sm text-slate-500">Loading…</p>;
  return (
    <div className="grid gap-4 lg:grid-cols-2" data-testid="delivery-details">
      <RequestView delivery={delivery} />
      <div className="space-y-3">
        <h3 className="text-sm font-semibold text-slate-900">Answer</h3>
        <CodeBlock label="Answer body" className="max-h-64 whitespace-pre-wrap break-words p-3">
          {delivery.response_excerpt ?? 'No answer recorded (not sent, or the connection failed).'}
        </CodeBlock>
        {delivery.error_message && (
          <p className="text-sm text-red-700">
            {delivery.error_code && <code className="mr-1 font-mono text-xs">{delivery.error_code}</code>}
            {delivery.error_message}
          </p>
        )}
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs">
          <dt className="text-slate-500">Queued</dt>
          <dd>
            <DateTime value={delivery.created_at} />
          </dd>
          <dt className="text-slate-500">Last attempt started</dt>
          <dd>
            <DateTime value={delivery.started_at} />
          </dd>
          <dt className="text-slate-500">Delivered</dt>
          <dd>
            <DateTime value={delivery.delivered_at} />
          </dd>
          <dt className="text-slate-500">External id</dt>
          <dd className="font-mono">
            {delivery.external_id ? (
              <ExternalId id={delivery.external_id} url={delivery.record_url} system={delivery.source.name} />
            ) : (
              '—'
            )}
          </dd>
          <dt className="text-slate-500">Idempotency key</dt>
          <dd className="truncate font-mono" title={delivery.idempotency_key}>
            {delivery.idempotency_key}
          </dd>
        </dl>
      </div>
    </div>
  );
}

function RequestView({ delivery }: { delivery: DeliveryDetail }) {
  const request = delivery.request;
  if (!request) {
    return (
      <div>
        <h3 className="text-sm font-semibold text-slate-900">Request</h3>
        <p className="mt-2 text-sm text-slate-600">Nothing was sent for this delivery.</p>
      </div>
    );
  }
  const body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body, null, 2);
  return (
    <div className="space-y-3">
      <h3 className="text-sm font-semibold text-slate-900">Request</h3>
      <p className="break-all font-mono text-xs">
        <span className="mr-2 rounded bg-brand-50 px-1.5 py-0.5 font-semibold text-brand-700">{request.method}</span>
        {request.url}
      </p>
      {request.headers && (
        <table className="w-full text-xs">
          <caption className="sr-only">Request headers (secrets redacted)</caption>
          <tbody className="divide-y divide-slate-200">
            {Object.entries(request.headers).map(([name, value]) => (
              <tr key={name}>
                <th
                  scope="row"
                  className="py-1 pr-3 text-left font-mono font-medium normal-case tracking-normal text-slate-600"
                >
                  {name}
                </th>
                <td className="break-all py-1 font-mono text-slate-800">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CodeBlock label="Request body" className="max-h-64 p-3">
        {body}
      </CodeBlock>
    </div>
  );
}

/** The id the target system gave the record, linked to its page there when the connector knows one. */
function ExternalId({ id, url, system }: { id: string; url: string | null; system: string }) {
  if (!url) return <span className="font-mono text-xs text-slate-600">{id}</span>;
  return (
    <a
      href={url}
      target="_blank"
      rel="noopener noreferrer"
      className="font-mono text-xs text-brand-700 underline underline-offset-2 hover:text-slate-900"
    >
      {id}
      <span className="sr-only"> (opens the record in {system} in a new tab)</span>
    </a>
  );
}
