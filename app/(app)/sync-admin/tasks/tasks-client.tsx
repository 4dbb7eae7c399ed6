'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { DateTime } from '@/app/components/date-time';
import { Dialog, DialogActions } from '@/app/components/dialog-client';
import { LoadError } from '@/app/components/notice';
import { useCanWrite } from '@/app/components/write-access-client';
import type { BulkResult, FilterOptions, Page, TaskRow } from '@/lib/sync-admin/schemas';
import { MAX_BULK, TASKS_PAGE_SIZE } from '@/lib/sync-admin/schemas';
import { runDurationMs } from '@/lib/sync/statuses';
import { recruitingQuery } from '@/lib/swr/use-jobs';
import { type TaskFilters, useSyncTaskCount, useSyncTasks, useTaskActions } from '@/lib/swr/use-sync-tasks';
import { ActionFeedback, useActionFeedback } from '../../recruitment/action-feedback';
import { PagedTable, useCursorPages } from '../../recruitment/paged-table';
import { SearchField } from '../../recruitment/search-field';
import { useDebouncedValue } from '@/lib/client/use-debounced-value';
import {
  FilterSelect,
  formatCount,
  formatMs,
  HeadCells,
  RUN_STATUS,
  RunStatusBadge,
  shortId,
  TRIGGER_LABEL,
} from '../sync-admin-ui';
import { DeliveryBar } from './delivery-bar';
import { ShortcutsDialog, ShortcutsHint, useTaskShortcuts } from './task-shortcuts-client';
import { PageHeader } from '@/app/components/page-header';
import { ExportLinks } from '@/app/components/export-links';
import { EmptyState } from '@/app/components/empty-state';
import { isAppError } from '@/lib/errors';
import { parseTaskSearch } from '@/lib/sync-admin/task-search';

const STATUS_OPTIONS: { value: string; label: string }[] = [
  { value: '', label: 'All statuses' },
  { value: 'failed,partially_failed', label: 'With failures' },
  { value: 'pending,running', label: 'In progress' },
  ...Object.entries(RUN_STATUS).map(([value, s]) => ({ value, label: s.label })),
];

type Selection = { kind: 'ids'; ids: Set<string> } | { kind: 'filter' };

/** A date input's day as the start of that day in the reader's time zone, and back. */
const dayToIso = (day: string, plusDays = 0) => {
  if (!day) return undefined;
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
};
const isoToDay = (iso: string | undefined, minusDays = 0) => {
  if (!iso) return '';
  const d = new Date(iso);
  d.setDate(d.getDate() - minusDays);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

function durationOf(task: TaskRow): string {
  return task.started_at ? formatMs(runDurationMs(task, Date.now())) : '—';
}

export function TasksClient({
  initialFilters,
  initialPage,
  options,
  ignoredFilters = [],
}: {
  initialFilters: TaskFilters;
  initialPage?: Page<TaskRow>;
  options: FilterOptions;
  /** Filters of the address that did not fit (left out by the page). */
  ignoredFilters?: string[];
}) {
  const pathname = usePathname();
  const [filters, setFilters] = useState<TaskFilters>(initialFilters);
  const [search, setSearch] = useState(initialFilters.q ?? '');
  const typed = useDebouncedValue(search.trim());
  // What the server would refuse (too short, a character no id or email has) is not sent: the box
  // says why instead, and the list stays as it was.
  const searchProblem = useMemo(() => {
    if (!typed) return null;
    try {
      parseTaskSearch(typed);
      return null;
    } catch (err) {
      return isAppError(err) ? err.message.replace(/^q: /, '') : null;
    }
  }, [typed]);
  const q = searchProblem ? '' : typed;
  const effective = useMemo(() => ({ ...filters, q: q || undefined }), [filters, q]);
  const pages = useCursorPages();
  const unchanged =
    JSON.stringify(effective) === JSON.stringify({ ...initialFilters, q: initialFilters.q || undefined });
  const { tasks, nextCursor, error, isLoading, reload } = useSyncTasks(
    effective,
    pages.cursor,
    unchanged && !pages.cursor ? initialPage : undefined,
  );
  const [selection, setSelection] = useState<Selection>({ kind: 'ids', ids: new Set() });
  const canWrite = useCanWrite();
  const [confirming, setConfirming] = useState<'retry' | 'cancel' | null>(null);
  const [lastResult, setLastResult] = useState<BulkResult | null>(null);
  const feedback = useActionFeedback();
  const actions = useTaskActions();
  const count = useSyncTaskCount(effective, selection.kind === 'filter' || confirming !== null);
  const filtered = Object.values(effective).some(Boolean);
  const shortcuts = useTaskShortcuts(
    tasks.map((t) => t.task_id),
    'task-search',
  );

  // The filters live in the address, so a filtered list can be shared and survives a reload. The
  // history entry is replaced directly: a router navigation here would cancel a click on a run
  // that happens while the search is still settling.
  useEffect(() => {
    const next = `${pathname}${recruitingQuery({ ...effective })}`;
    if (next !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, '', next);
  }, [effective, pathname]);

  function update(patch: Partial<TaskFilters>) {
    setFilters((f) => ({ ...f, ...patch }));
    setSelection({ kind: 'ids', ids: new Set() });
    pages.reset();
  }

  const selectedIds = selection.kind === 'ids' ? selection.ids : new Set<string>();
  const allOnPage = tasks.length > 0 && tasks.every((t) => selectedIds.has(t.task_id));
  const selectedCount =
    selection.kind === 'filter'
      ? count
        ? `${formatCount(count.count)}${count.capped ? '+' : ''}`
        : '…'
      : selectedIds.size;
  const hasSelection = selection.kind === 'filter' || selectedIds.size > 0;

  function toggle(id: string) {
    setSelection((s) => {
      const ids = new Set(s.kind === 'ids' ? s.ids : []);
      if (ids.has(id)) ids.delete(id);
      else ids.add(id);
      return { kind: 'ids', ids };
    });
  }

  function togglePage() {
    setSelection(
      allOnPage ? { kind: 'ids', ids: new Set() } : { kind: 'ids', ids: new Set(tasks.map((t) => t.task_id)) },
    );
  }

  async function runBulk(action: 'retry' | 'cancel') {
    setConfirming(null);
    await feedback.attempt(async () => {
      const body =
        selection.kind === 'ids'
          ? { action, task_ids: [...selection.ids] }
          : {
              action,
              filter: {
                status: effective.status?.split(','),
                posting: effective.posting,
                source: effective.source,
                trigger: effective.trigger,
                from: effective.from,
                to: effective.to,
                q: effective.q,
              },
            };
      const result = await actions.bulk(body);
      setLastResult(result);
      setSelection({ kind: 'ids', ids: new Set() });
      return `${action === 'retry' ? 'Retry failed' : 'Cancel'}: ${result.summary}.`;
    });
  }

  return (
    <div className="space-y-6">
      <PageHeader
        title="Sync tasks"
        description="Every run, newest first. Select runs to retry their failures or cancel them."
      >
        <ExportLinks
          path="/api/v1/sync-admin/tasks/export"
          filters={effective}
          what="the runs matching these filters"
        />
      </PageHeader>

      <search
        className="card grid items-end gap-3 p-4 sm:grid-cols-2 lg:grid-cols-4 xl:grid-cols-[minmax(0,1.8fr)_repeat(4,minmax(0,1fr))_150px_150px]"
        aria-label="Filter runs"
      >
        <SearchField
          id="task-search"
          label="Task id or candidate email"
          placeholder="e.g. 3f2a9c1e or ada@example.com"
          className="sm:col-span-2 lg:col-span-4 xl:col-span-1"
          value={search}
          hint={searchProblem ? `Not searched yet: ${searchProblem}.` : null}
          onChange={(value) => {
            setSearch(value);
            setSelection({ kind: 'ids', ids: new Set() });
            pages.reset();
          }}
        />
        <FilterSelect
          id="task-status"
          label="Status"
          value={filters.status ?? ''}
          onChange={(v) => update({ status: v || undefined })}
          options={STATUS_OPTIONS}
        />
        <FilterSelect
          id="task-posting"
          label="Posting"
          value={filters.posting ?? ''}
          onChange={(v) => update({ posting: v || undefined })}
          options={[
            { value: '', label: 'All postings' },
            ...options.postings.map((p) => ({ value: p.slug, label: p.title })),
          ]}
        />
        <FilterSelect
          id="task-source"
          label="Source"
          value={filters.source ?? ''}
          onChange={(v) => update({ source: v || undefined })}
          options={[
            { value: '', label: 'All sources' },
            ...options.sources.map((s) => ({ value: s.id, label: s.deleted ? `${s.name} (deleted)` : s.name })),
          ]}
        />
        <FilterSelect
          id="task-trigger"
          label="Trigger"
          value={filters.trigger ?? ''}
          onChange={(v) => update({ trigger: v || undefined })}
          options={[
            { value: '', label: 'Any trigger' },
            ...Object.entries(TRIGGER_LABEL).map(([value, label]) => ({ value, label })),
          ]}
        />

        <div>
          <label htmlFor="task-from" className="label">
            From
          </label>
          <input
            id="task-from"
            type="date"
            className="input"
            value={isoToDay(filters.from)}
            onChange={(e) => update({ from: dayToIso(e.target.value) })}
          />
        </div>
        <div>
          <label htmlFor="task-to" className="label">
            To
          </label>
          <input
            id="task-to"
            type="date"
            className="input"
            value={isoToDay(filters.to, 1)}
            onChange={(e) => update({ to: dayToIso(e.target.value, 1) })}
          />
        </div>
      </search>
      {ignoredFilters.length > 0 && (
        <p role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
          Left out of the address because their values are not valid: {ignoredFilters.join(', ')}.
        </p>
      )}
      {filters.from && filters.to && Date.parse(filters.from) >= Date.parse(filters.to) && (
        <p role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
          The From date is after the To date, so no run can match: change one of them.
        </p>
      )}

      <ActionFeedback notice={feedback.notice} error={feedback.error} />
      {lastResult?.results.some((r) => r.outcome === 'skipped') && (
        <details className="card px-4 py-3 text-sm">
          <summary className="cursor-pointer font-medium text-slate-700">What happened to each run</summary>
          <ul className="mt-2 max-h-60 divide-y divide-slate-100 overflow-y-auto">
            {lastResult.results.map((r) => (
              <li key={r.task_id} className="flex justify-between gap-4 py-1.5">
                <Link
                  href={`/sync-admin/tasks/${r.task_id}`}
                  className="font-mono text-xs text-brand-700 hover:underline"
                >
                  {shortId(r.task_id)}
                </Link>
                <span className={r.outcome === 'skipped' ? 'text-slate-500' : 'text-emerald-700'}>
                  {r.outcome === 'skipped' ? `Skipped: ${r.message}` : r.message}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {error && <LoadError what="runs" error={error} onRetry={reload} />}
      <div className="-mb-3 flex justify-end">
        <ShortcutsHint onOpen={() => shortcuts.setHelpOpen(true)} />
      </div>

      {canWrite && hasSelection && (
        <div
          className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-brand-100 bg-brand-50 px-4 py-2.5"
          role="region"
          aria-label="Bulk actions"
        >
          <p className="text-sm text-brand-700">
            <span className="font-semibold tabular-nums">{selectedCount}</span>{' '}
            {selection.kind === 'filter' ? 'runs matching the filters' : 'selected'}
            {selection.kind === 'ids' && allOnPage && nextCursor && (
              <>
                {' · '}
                <button
                  type="button"
                  className="font-medium underline"
                  onClick={() => setSelection({ kind: 'filter' })}
                >
                  Select every run matching the filters
                </button>
              </>
            )}
          </p>
          <div className="flex gap-2">
            <button type="button" className="btn-secondary" onClick={() => setConfirming('retry')}>
              Retry failed
            </button>
            <button type="button" className="btn-secondary text-red-700" onClick={() => setConfirming('cancel')}>
              Cancel runs
            </button>
            <button type="button" className="btn-ghost" onClick={() => setSelection({ kind: 'ids', ids: new Set() })}>
              Clear
            </button>
          </div>
        </div>
      )}

      <PagedTable
        caption="Sync runs"
        busy={isLoading}
        empty={
          tasks.length === 0 && !isLoading ? (
            <EmptyState
              title={filtered ? 'No runs match these filters' : 'No sync has run yet'}
              description={
                filtered
                  ? 'Try another status, posting or period.'
                  : 'Runs appear here when someone syncs the hired candidates of a posting, or a schedule does.'
              }
            >
              {filtered && (
                <button
                  type="button"
                  className="btn-secondary"
                  onClick={() => {
                    setSearch('');
                    update({
                      status: undefined,
                      posting: undefined,
                      source: undefined,
                      trigger: undefined,
                      from: undefined,
                      to: undefined,
                    });
                  }}
                >
                  Clear filters
                </button>
              )}
            </EmptyState>
          ) : null
        }
        head={
          <>
            {/* Selecting is for the bulk retry and cancel, which a viewer does not get. */}
            {canWrite && (
              <th scope="col" className="w-10">
                <input
                  type="checkbox"
                  aria-label="Select every run on this page"
                  className="h-4 w-4 rounded border-slate-300"
                  checked={selection.kind === 'filter' || allOnPage}
                  onChange={togglePage}
                />
              </th>
            )}
            <HeadCells columns={['Run', 'Posting', 'Status', 'Deliveries', 'Started', ['Duration', 'right']]} />
          </>
        }
        pager={{ label: 'Runs pages', pages, pageSize: TASKS_PAGE_SIZE, shown: tasks.length, nextCursor }}
      >
        {tasks.map((task) => (
          <tr
            key={task.task_id}
            data-task-row={task.task_id}
            aria-selected={shortcuts.activeId === task.task_id || undefined}
            className={
              shortcuts.activeId === task.task_id
                ? 'bg-brand-50/50 shadow-[inset_3px_0_0_var(--color-brand-600)]'
                : selectedIds.has(task.task_id)
                  ? 'bg-brand-50/50'
                  : undefined
            }
          >
            {canWrite && (
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select run ${shortId(task.task_id)}`}
                  className="h-4 w-4 rounded border-slate-300"
                  checked={selection.kind === 'filter' || selectedIds.has(task.task_id)}
                  disabled={selection.kind === 'filter'}
                  onChange={() => toggle(task.task_id)}
                />
              </td>
            )}
            <td className="whitespace-nowrap">
              <Link
                href={`/sync-admin/tasks/${task.task_id}`}
                className="font-mono text-sm font-medium text-brand-700 hover:underline"
              >
                {shortId(task.task_id)}
              </Link>
              <div className="text-xs text-slate-500">
                {TRIGGER_LABEL[task.trigger]}
                {task.requested_by ? ` · ${task.requested_by.name}` : ''}
                {task.force ? ' · forced' : ''}
              </div>
            </td>
            <td className="min-w-48">
              <div className="font-medium text-slate-900">{task.job.title}</div>
              <div className="font-mono text-xs text-slate-500">{task.job.slug}</div>
            </td>
            <td>
              <RunStatusBadge status={task.status} />
            </td>
            <td className="min-w-52">
              <DeliveryBar task={task} />
            </td>
            <td className="whitespace-nowrap text-sm text-slate-600">
              <DateTime value={task.created_at} />
            </td>
            <td className="whitespace-nowrap text-right text-sm tabular-nums text-slate-600">{durationOf(task)}</td>
          </tr>
        ))}
      </PagedTable>

      <ShortcutsDialog open={shortcuts.helpOpen} onClose={() => shortcuts.setHelpOpen(false)} />

      <Dialog
        open={confirming !== null}
        onClose={() => setConfirming(null)}
        title={confirming === 'cancel' ? 'Cancel runs?' : 'Retry failed deliveries?'}
        description={
          <>
            {confirming === 'cancel'
              ? 'Pending and running runs stop: deliveries not yet sent are cancelled, sends in flight finish.'
              : 'Finished runs with failures send their failed deliveries again, with fresh attempts.'}{' '}
            This applies to{' '}
            <strong>
              {selectedCount} {selection.kind === 'filter' ? 'runs matching the filters' : 'selected runs'}
            </strong>
            {selection.kind === 'filter' && ` (up to ${MAX_BULK} per click)`}; runs it does not apply to are skipped.
          </>
        }
      >
        <DialogActions>
          <button type="button" className="btn-secondary" data-autofocus onClick={() => setConfirming(null)}>
            Back
          </button>
          <button
            type="button"
            className={confirming === 'cancel' ? 'btn-danger' : 'btn-primary'}
            onClick={() => confirming && void runBulk(confirming)}
          >
            {confirming === 'cancel' ? 'Cancel runs' : 'Retry failed'}
          </button>
        </DialogActions>
      </Dialog>
    </div>
  );
}
