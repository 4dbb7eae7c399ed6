'use client';

import { useEffect, useRef, useState } from 'react';
import { DateTime } from '@/app/components/date-time';
import { LoadError } from '@/app/components/notice';
import type { PublicCandidate, PublicJob } from '@/lib/recruiting/schemas';
import { useCandidates } from '@/lib/swr/use-candidates';
import { useJob } from '@/lib/swr/use-jobs';
import { useSyncState } from '@/lib/swr/use-sync-state';
import type { CandidateSourceState } from '@/lib/sync/sync-state-schemas';
import { ActionFeedback } from '../../../action-feedback';
import { PagedTable, useCursorPages } from '../../../paged-table';
import { fullName } from '../../../labels';
import { JobHeader } from '../job-header';
import { SyncActions } from './sync-actions-client';
import { SyncStateCell } from './sync-state-cell';
import type { ConnectorNames } from './sync-text';
import { EmptyState } from '@/app/components/empty-state';

const PAGE_SIZE = 50;

// The selection box and the name stay in view while the source columns scroll under them; the
// box column is exactly w-12 (a 1rem box in 2rem of padding) so the name can stick right after it.
const STICKY_SELECT = 'sticky left-0 z-10 w-12 min-w-12';
const STICKY_NAME = 'sticky left-12 z-10 shadow-[inset_-1px_0_0_var(--color-slate-200)]';

export function HiredClient({
  initialJob,
  isAdmin,
  connectorNames,
}: {
  initialJob: PublicJob;
  isAdmin: boolean;
  connectorNames: ConnectorNames;
}) {
  const { job = initialJob } = useJob(initialJob.slug, initialJob);
  const pages = useCursorPages();
  const { candidates, nextCursor, error, isLoading, reload } = useCandidates(job.slug, {
    stage: 'hired',
    cursor: pages.cursor,
    limit: PAGE_SIZE,
  });
  const {
    state: syncState,
    error: syncStateError,
    reload: reloadSyncState,
  } = useSyncState(
    job.slug,
    candidates.map((c) => c.id),
  );
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [syncError, setSyncError] = useState<string | null>(null);

  const sources = syncState?.sources ?? [];
  const statesOf = new Map(
    (syncState?.candidates ?? []).map((c) => [c.candidate_id, new Map(c.sources.map((s) => [s.source_id, s]))]),
  );
  const stateAt = (candidateId: string, sourceId: string): CandidateSourceState | undefined =>
    statesOf.get(candidateId)?.get(sourceId);

  // The sticky cells need an opaque background of their own to hide the columns under them.
  const rowBg = (id: string) => (selected.has(id) ? 'bg-brand-50' : 'bg-white');

  function toggle(ids: string[], on: boolean) {
    setSelected((prev) => {
      const next = new Set(prev);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  }

  return (
    <div className="space-y-6">
      <JobHeader job={job} current="hired">
        <div id="sync-actions" className="flex flex-wrap items-center gap-2">
          <SyncActions
            slug={job.slug}
            hired={job.counts.hired}
            state={syncState}
            selectedIds={[...selected]}
            isAdmin={isAdmin}
            onError={setSyncError}
            connectorNames={connectorNames}
          />
        </div>
      </JobHeader>

      <ActionFeedback notice={null} error={syncError} />
      {error && <LoadError what="hired candidates" error={error} onRetry={reload} />}
      {syncStateError && <LoadError what="sync state" error={syncStateError} onRetry={reloadSyncState} />}

      {selected.size > 0 && (
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-brand-100 bg-brand-50 px-3 py-2 text-sm text-brand-700">
          <span>
            <span className="font-semibold tabular-nums">{selected.size}</span> selected — Sync to Sources sends only
            {selected.size === 1 ? ' this candidate' : ' these candidates'}.
          </span>
          <button type="button" className="btn-ghost px-2 py-1 text-brand-700" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        </div>
      )}

      <PagedTable
        caption={`Hired candidates for ${job.title}`}
        busy={isLoading}
        empty={candidates.length === 0 ? <HiredEmptyState loading={isLoading} /> : null}
        head={
          <>
            <th scope="col" className={`${STICKY_SELECT} bg-slate-50`}>
              <SelectAll candidates={candidates} selected={selected} onToggle={toggle} />
            </th>
            <th scope="col" className={`${STICKY_NAME} bg-slate-50`}>
              Name
            </th>
            <th scope="col">Email</th>
            <th scope="col">Phone</th>
            <th scope="col">Hired</th>
            {sources.map((s) => (
              <th key={s.id} scope="col" className="whitespace-nowrap">
                {s.name}
              </th>
            ))}
          </>
        }
        pager={{ label: 'Hired candidate pages', pages, pageSize: PAGE_SIZE, shown: candidates.length, nextCursor }}
        stickyStart
      >
        {candidates.map((candidate) => (
          <tr key={candidate.id} className={rowBg(candidate.id)}>
            <td className={`${STICKY_SELECT} ${rowBg(candidate.id)}`}>
              <input
                type="checkbox"
                aria-label={`Select ${fullName(candidate)}`}
                className="h-4 w-4 rounded border-slate-300 accent-brand-600"
                checked={selected.has(candidate.id)}
                onChange={(e) => toggle([candidate.id], e.target.checked)}
              />
            </td>
            <td className={`${STICKY_NAME} ${rowBg(candidate.id)} whitespace-nowrap font-medium text-slate-900`}>
              {fullName(candidate)}
            </td>
            <td className="whitespace-nowrap text-slate-700">{candidate.email}</td>
            <td className="whitespace-nowrap text-slate-700">
              {candidate.phone ?? <span className="text-slate-500">—</span>}
            </td>
            <td className="whitespace-nowrap text-slate-700">
              <DateTime value={candidate.hired_at} />
            </td>
            {sources.map((s) => (
              <td key={s.id}>
                <SyncStateCell
                  state={stateAt(candidate.id, s.id)}
                  loaded={statesOf.has(candidate.id)}
                  timeoutMs={s.timeout_ms}
                />
              </td>
            ))}
          </tr>
        ))}
      </PagedTable>
    </div>
  );
}

/** Selects or clears every candidate on this page; mixed when only some are selected. */
function SelectAll({
  candidates,
  selected,
  onToggle,
}: {
  candidates: PublicCandidate[];
  selected: Set<string>;
  onToggle: (ids: string[], on: boolean) => void;
}) {
  const ref = useRef<HTMLInputElement>(null);
  const ids = candidates.map((c) => c.id);
  const count = ids.filter((id) => selected.has(id)).length;
  const all = ids.length > 0 && count === ids.length;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = count > 0 && !all;
  }, [count, all]);
  return (
    <input
      ref={ref}
      type="checkbox"
      aria-label="Select all candidates on this page"
      className="h-4 w-4 rounded border-slate-300 accent-brand-600"
      checked={all}
      disabled={ids.length === 0}
      onChange={(e) => onToggle(ids, e.target.checked)}
    />
  );
}

function HiredEmptyState({ loading }: { loading: boolean }) {
  if (loading) return <p className="px-6 py-14 text-center text-sm text-slate-500">Loading hired candidates…</p>;
  return (
    <EmptyState
      title="No one has been hired yet"
      description="Move a candidate to the Hired stage on the Candidates page and they show up here."
    />
  );
}
