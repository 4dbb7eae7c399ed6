'use client';

import { DateRangeFields } from '@/app/components/date-range-fields';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { usePathname } from 'next/navigation';
import { DateTime } from '@/app/components/date-time';
import { LoadError } from '@/app/components/notice';
import { AUDIT_PAGE_SIZE, type AuditPage, type PublicAuditEvent } from '@/lib/audit/schemas';
import { useAudit, useAuditActions } from '@/lib/swr/use-audit';
import { useUsers } from '@/lib/swr/use-users';
import { PagedTable, useCursorPages } from '../../recruitment/paged-table';
import { useDebouncedValue } from '@/lib/client/use-debounced-value';
import { actionGroups, actionLabel, describeActor, describeTarget, detailEntries, kindLabel } from './audit-text';
import { PageHeader } from '@/app/components/page-header';
import { ExportLinks } from '@/app/components/export-links';
import { EmptyState } from '@/app/components/empty-state';

export type AuditFilters = { actor: string; action: string; from: string; to: string };
type Filters = AuditFilters;
const NO_FILTERS: Filters = { actor: '', action: '', from: '', to: '' };

// Dates are picked in the reader's zone: a day runs from its local midnight to the next.
const startOfDay = (date: string) => (date ? new Date(`${date}T00:00:00`).toISOString() : undefined);
function endOfDay(date: string): string | undefined {
  if (!date) return undefined;
  const next = new Date(`${date}T00:00:00`);
  next.setDate(next.getDate() + 1);
  return next.toISOString();
}

export function AuditClient({
  initialPage,
  initialActions,
  initialFilters = NO_FILTERS,
}: {
  initialPage: AuditPage;
  initialActions: string[];
  initialFilters?: AuditFilters;
}) {
  const [filters, setFilters] = useState<Filters>(initialFilters);
  const pathname = usePathname();
  // The filters live in the address, as on the tasks list and the webhook log.
  useEffect(() => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) if (value) search.set(key, value);
    const text = search.toString();
    const next = `${pathname}${text ? `?${text}` : ''}`;
    if (next !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, '', next);
  }, [filters, pathname]);
  const pages = useCursorPages();
  const actor = useDebouncedValue(filters.actor.trim());
  const filtered = Object.values(filters).some(Boolean);
  const rangeInvalid = !!filters.from && !!filters.to && filters.from > filters.to;
  const query = {
    actor: actor || undefined,
    action: filters.action || undefined,
    from: startOfDay(filters.from),
    to: rangeInvalid ? undefined : endOfDay(filters.to),
  };
  const { events, nextCursor, error, isLoading, isValidating, reload } = useAudit(
    { ...query, cursor: pages.cursor },
    initialPage,
  );
  const actions = useAuditActions(initialActions);
  const { users } = useUsers();

  const change = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    pages.reset();
  };

  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit trail"
        description="Who did what, when and from where: sign-ins, syncs, sources, schedules and tokens."
      >
        <div className="flex flex-wrap items-center gap-4">
          <ExportLinks path="/api/v1/audit/export" filters={query} what="the events matching these filters" />
          <button type="button" className="btn-secondary" onClick={reload} disabled={isValidating}>
            {isValidating ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      </PageHeader>

      {error && <LoadError what="audit trail" error={error} onRetry={reload} />}

      <search className="card grid gap-4 p-4 sm:grid-cols-2 lg:grid-cols-[2fr_2fr_1fr_1fr_auto] lg:items-end">
        <div>
          <label htmlFor="audit-actor" className="label">
            Actor
          </label>
          <input
            id="audit-actor"
            type="search"
            className="input"
            list="audit-actors"
            placeholder="Email, or “system”"
            value={filters.actor}
            onChange={(e) => change({ actor: e.target.value })}
          />
          <datalist id="audit-actors">
            <option value="system">The product itself (scheduler, CLI)</option>
            {users.map((u) => (
              <option key={u.id} value={u.email}>
                {u.name}
              </option>
            ))}
          </datalist>
        </div>
        <div>
          <label htmlFor="audit-action" className="label">
            Action
          </label>
          <select
            id="audit-action"
            className="input"
            value={filters.action}
            onChange={(e) => change({ action: e.target.value })}
          >
            <option value="">All actions</option>
            {actionGroups(actions).map((group) => (
              <optgroup key={group.kind} label={kindLabel(group.kind)}>
                <option value={`${group.kind}.*`}>All {kindLabel(group.kind).toLowerCase()}</option>
                {group.actions.map((action) => (
                  <option key={action} value={action}>
                    {actionLabel(action)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <DateRangeFields
          idPrefix="audit"
          from={filters.from}
          to={filters.to}
          invalid={rangeInvalid}
          onFrom={(from) => change({ from })}
          onTo={(to) => change({ to })}
        />
        <button type="button" className="btn-ghost" disabled={!filtered} onClick={() => change(NO_FILTERS)}>
          Clear
        </button>
      </search>
      {rangeInvalid && (
        <p role="alert" className="field-error">
          “From” must not be after “To”.
        </p>
      )}

      <PagedTable
        caption="Audit events, newest first"
        busy={isLoading}
        empty={
          events.length === 0 && !isLoading ? (
            <EmptyState
              title={filtered ? 'No events match these filters' : 'Nothing recorded yet'}
              description={filtered ? 'Try another actor, action or date range.' : 'Sign-ins and changes show up here.'}
            />
          ) : null
        }
        head={
          <>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Details</th>
            <th scope="col">IP</th>
          </>
        }
        pager={{ label: 'Audit trail pages', pages, pageSize: AUDIT_PAGE_SIZE, shown: events.length, nextCursor }}
      >
        {events.map((event) => (
          <AuditRow key={event.id} event={event} />
        ))}
      </PagedTable>
    </div>
  );
}

function AuditRow({ event }: { event: PublicAuditEvent }) {
  const who = describeActor(event);
  const target = describeTarget(event);
  const entries = detailEntries(event.details);
  return (
    <tr className="align-top">
      <td className="whitespace-nowrap text-slate-700">
        <DateTime value={event.created_at} />
      </td>
      <td className="max-w-56 break-words">
        <span className={who.system ? 'text-slate-500 italic' : 'text-slate-900'}>{who.label}</span>
      </td>
      <td className="whitespace-nowrap">
        <div className="font-medium text-slate-900">{actionLabel(event.action)}</div>
        <code className="text-xs text-slate-500">{event.action}</code>
      </td>
      <td className="max-w-56">
        {target ? (
          <>
            <div className="text-xs uppercase tracking-wide text-slate-500">{target.type}</div>
            {target.href ? (
              <Link href={target.href} className="break-words text-brand-700 hover:underline">
                {target.name ?? event.target?.id}
              </Link>
            ) : (
              <span className="break-words text-slate-900">{target.name ?? event.target?.id ?? '—'}</span>
            )}
          </>
        ) : (
          <span className="text-slate-500">—</span>
        )}
      </td>
      <td className="min-w-64 max-w-md">
        {entries.length === 0 ? (
          <span className="text-slate-500">—</span>
        ) : (
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
            {entries.slice(0, 8).map((entry) => (
              <div key={entry.key} className="contents">
                <dt className="text-slate-500">{entry.key}</dt>
                <dd className="line-clamp-2 break-all text-slate-800" title={entry.value}>
                  {entry.value}
                </dd>
              </div>
            ))}
            {entries.length > 8 && <div className="col-span-2 text-slate-500">and {entries.length - 8} more</div>}
          </dl>
        )}
      </td>
      <td className="whitespace-nowrap font-mono text-xs text-slate-600">{event.ip ?? '—'}</td>
    </tr>
  );
}
