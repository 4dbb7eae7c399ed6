'use client';

import Link from 'next/link';
import { useState } from 'react';
import { DateTime } from '@/app/components/date-time';
import { LoadError } from '@/app/components/notice';
import { useCanWrite, Writes } from '@/app/components/write-access-client';
import {
  CANDIDATE_STAGES,
  type CandidateStage,
  type CreateCandidateInput,
  type ImportResult,
  type PublicCandidate,
  type PublicJob,
  type UpdateCandidateInput,
} from '@/lib/recruiting/schemas';
import { useCandidateActions, useCandidates } from '@/lib/swr/use-candidates';
import { useJob } from '@/lib/swr/use-jobs';
import { PagedTable, useCursorPages } from '../../paged-table';
import { ActionFeedback, useActionFeedback } from '../../action-feedback';
import { fullName, STAGE_LABELS } from '../../labels';
import { SearchField } from '../../search-field';
import { useDebouncedValue } from '@/lib/client/use-debounced-value';
import { ConfirmDialog } from '@/app/components/confirm-dialog-client';
import { AddCandidateDialog, EditCandidateDialog } from './candidate-dialogs-client';
import { ClosePostingDialog } from '../close-posting-dialog-client';
import { ImportDialog } from './import-dialog-client';
import { JobHeader } from './job-header';
import { EmptyState } from '@/app/components/empty-state';

const PAGE_SIZE = 50;

type OpenDialog =
  | { kind: 'add' | 'import' | 'close' }
  | { kind: 'edit' | 'delete'; candidate: PublicCandidate }
  | { kind: 'unhire'; candidate: PublicCandidate; to: CandidateStage }
  | null;

function importNotice(result: ImportResult): string {
  const created = `Imported ${result.created} ${result.created === 1 ? 'candidate' : 'candidates'}`;
  const skipped = result.skipped.length;
  return skipped === 0
    ? `${created}.`
    : `${created}; skipped ${skipped} ${skipped === 1 ? 'row' : 'rows'} with errors.`;
}

export function JobClient({ initialJob }: { initialJob: PublicJob }) {
  const slug = initialJob.slug;
  const { job = initialJob, updateJob } = useJob(slug, initialJob);
  const [stage, setStage] = useState<CandidateStage | ''>('');
  const canWrite = useCanWrite();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const pages = useCursorPages();
  const { candidates, nextCursor, error, isLoading, reload } = useCandidates(slug, {
    stage: stage || undefined,
    q: q || undefined,
    cursor: pages.cursor,
    limit: PAGE_SIZE,
  });
  const actions = useCandidateActions(slug);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const { notice, error: actionError, setNotice, clear, attempt } = useActionFeedback();
  // The stage a row is moving to, shown at once while the change is saved.
  const [moving, setMoving] = useState<Record<string, CandidateStage>>({});
  const closed = job.status === 'closed';
  const filtered = stage !== '' || q !== '';

  const open = (next: OpenDialog) => {
    clear();
    setDialog(next);
  };
  const close = () => setDialog(null);
  const candidateFor = (kind: 'edit' | 'delete') => (dialog?.kind === kind ? dialog.candidate : null);

  async function moveTo(candidate: PublicCandidate, to: CandidateStage) {
    setMoving((m) => ({ ...m, [candidate.id]: to }));
    try {
      await actions.updateCandidate(candidate.id, { stage: to });
    } finally {
      setMoving(({ [candidate.id]: _, ...rest }) => rest);
    }
    return `Moved ${fullName(candidate)} to ${STAGE_LABELS[to]}.`;
  }

  function onStageChange(candidate: PublicCandidate, to: CandidateStage) {
    // Leaving "hired" forgets the hire date, and other systems may already have the person: ask first.
    if (candidate.stage === 'hired' && to !== 'hired') return open({ kind: 'unhire', candidate, to });
    void attempt(() => moveTo(candidate, to));
  }

  async function onCreate(input: CreateCandidateInput) {
    const candidate = await actions.createCandidate(input);
    close();
    setNotice(`${fullName(candidate)} was added.`);
  }

  async function onImport(input: { csv: string; skip_invalid?: boolean }) {
    const result = await actions.importCandidates(input);
    close();
    setNotice(importNotice(result));
    return result;
  }

  async function onUpdate(candidate: PublicCandidate, input: UpdateCandidateInput) {
    const updated = await actions.updateCandidate(candidate.id, input);
    close();
    setNotice(`Saved changes to ${fullName(updated)}.`);
  }

  return (
    <div className="space-y-6">
      <JobHeader job={job} current="candidates">
        <Writes>
          <button
            type="button"
            className="btn-ghost"
            onClick={() =>
              closed
                ? attempt(async () => {
                    await updateJob({ status: 'open' });
                    return 'The posting is open again.';
                  })
                : open({ kind: 'close' })
            }
          >
            {closed ? 'Reopen posting' : 'Close posting'}
          </button>
          <button type="button" className="btn-secondary" disabled={closed} onClick={() => open({ kind: 'import' })}>
            Import CSV
          </button>
          <button type="button" className="btn-primary" disabled={closed} onClick={() => open({ kind: 'add' })}>
            Add candidate
          </button>
        </Writes>
      </JobHeader>

      {closed && (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
          This posting is closed: candidates can still move between stages, but new ones cannot be added until it is
          reopened.
        </p>
      )}
      <ActionFeedback notice={notice} error={actionError} />
      {error && <LoadError what="candidates" error={error} onRetry={reload} />}

      <div className="flex flex-wrap items-end justify-between gap-4">
        <div role="group" aria-label="Filter by stage" className="flex flex-wrap gap-1.5">
          {(['', ...CANDIDATE_STAGES] as const).map((s) => (
            <button
              key={s || 'all'}
              type="button"
              aria-pressed={stage === s}
              onClick={() => {
                setStage(s);
                pages.reset();
              }}
              className={`btn px-3 py-1.5 ${
                stage === s
                  ? 'bg-slate-900 text-white hover:bg-slate-800'
                  : 'border border-slate-300 bg-white text-slate-700 hover:bg-slate-50'
              }`}
            >
              {s ? STAGE_LABELS[s] : 'All'}
              <span className={`tabular-nums ${stage === s ? 'text-slate-300' : 'text-slate-500'}`}>
                {s ? job.counts[s] : job.counts.total}
              </span>
            </button>
          ))}
        </div>
        <SearchField
          id="candidate-search"
          label="Search candidates"
          placeholder="Name or email"
          className="w-full sm:w-72"
          value={search}
          onChange={(value) => {
            setSearch(value);
            pages.reset();
          }}
        />
      </div>

      <PagedTable
        caption={`Candidates for ${job.title}`}
        busy={isLoading}
        empty={
          candidates.length === 0 ? <CandidatesEmpty loading={isLoading} filtered={filtered} closed={closed} /> : null
        }
        head={
          <>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Phone</th>
            <th scope="col">Stage</th>
            <th scope="col">Added</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </>
        }
        pager={{ label: 'Candidate pages', pages, pageSize: PAGE_SIZE, shown: candidates.length, nextCursor }}
      >
        {candidates.map((candidate) => {
          const name = fullName(candidate);
          const pending = moving[candidate.id];
          return (
            <tr key={candidate.id}>
              <td className="whitespace-nowrap font-medium text-slate-900">
                <Link href={`/recruitment/candidates/${candidate.id}`} className="hover:underline">
                  {name}
                </Link>
              </td>
              <td className="whitespace-nowrap text-slate-700">{candidate.email}</td>
              <td className="whitespace-nowrap text-slate-700">
                {candidate.phone ?? <span className="text-slate-500">—</span>}
              </td>
              <td className="min-w-40">
                {canWrite ? (
                  <select
                    aria-label={`Stage of ${name}`}
                    className="input py-1.5"
                    value={pending ?? candidate.stage}
                    aria-busy={!!pending}
                    onChange={(e) => onStageChange(candidate, e.target.value as CandidateStage)}
                  >
                    {CANDIDATE_STAGES.map((s) => (
                      <option key={s} value={s}>
                        {STAGE_LABELS[s]}
                      </option>
                    ))}
                  </select>
                ) : (
                  <span className="text-sm text-slate-700">{STAGE_LABELS[candidate.stage]}</span>
                )}
                {candidate.hired_at && !pending && (
                  <div className="mt-1 text-xs text-emerald-700">
                    Hired <DateTime value={candidate.hired_at} />
                  </div>
                )}
                {candidate.stage === 'hired' && !pending && !canWrite && candidate.start_date && (
                  <div className="mt-0.5 text-xs text-slate-600">Starts {candidate.start_date}</div>
                )}
                {candidate.stage === 'hired' && !pending && canWrite && (
                  // Where a hire happens, its start date is one click away (HR systems ask for it).
                  <button
                    type="button"
                    className="mt-0.5 text-xs text-slate-600 underline decoration-dotted hover:text-brand-700"
                    onClick={() => open({ kind: 'edit', candidate })}
                  >
                    {candidate.start_date ? `Starts ${candidate.start_date}` : 'Set start date'}
                    <span className="sr-only"> of {name}</span>
                  </button>
                )}
              </td>
              <td className="whitespace-nowrap text-slate-600">
                <DateTime value={candidate.created_at} />
              </td>
              <td>
                <Writes>
                  <div className="flex justify-end gap-1 whitespace-nowrap">
                    <button
                      type="button"
                      className="btn-ghost px-2.5 py-1.5"
                      onClick={() => open({ kind: 'edit', candidate })}
                    >
                      Edit<span className="sr-only"> {name}</span>
                    </button>
                    <button
                      type="button"
                      className="btn-ghost px-2.5 py-1.5 text-red-700 hover:bg-red-50 hover:text-red-800"
                      onClick={() => open({ kind: 'delete', candidate })}
                    >
                      Delete<span className="sr-only"> {name}</span>
                    </button>
                  </div>
                </Writes>
              </td>
            </tr>
          );
        })}
      </PagedTable>

      <AddCandidateDialog open={dialog?.kind === 'add'} onClose={close} onCreate={onCreate} />
      <ImportDialog open={dialog?.kind === 'import'} onClose={close} onImport={onImport} />
      <EditCandidateDialog candidate={candidateFor('edit')} onClose={close} onUpdate={onUpdate} />
      <ClosePostingDialog
        title={dialog?.kind === 'close' ? job.title : null}
        onClose={close}
        onConfirm={async () => {
          await updateJob({ status: 'closed' });
          close();
          setNotice('The posting is closed.');
        }}
      />
      <ConfirmDialog
        open={dialog?.kind === 'delete'}
        title={dialog?.kind === 'delete' ? `Delete ${fullName(dialog.candidate)}?` : ''}
        description="The candidate and their stage history on this posting are removed. This cannot be undone."
        confirmLabel="Delete candidate"
        pendingLabel="Deleting…"
        danger
        onClose={close}
        onConfirm={async () => {
          if (dialog?.kind !== 'delete') return;
          await actions.deleteCandidate(dialog.candidate.id);
          close();
          setNotice(`${fullName(dialog.candidate)} was deleted.`);
        }}
      />
      <ConfirmDialog
        open={dialog?.kind === 'unhire'}
        title={dialog?.kind === 'unhire' ? `Move ${fullName(dialog.candidate)} out of Hired?` : ''}
        description={
          dialog?.kind === 'unhire'
            ? `They move to ${STAGE_LABELS[dialog.to]} and their hire date is cleared. Sources that sync on hire are told at once and end their record there; other sources keep it.`
            : ''
        }
        confirmLabel="Move out of Hired"
        pendingLabel="Moving…"
        onClose={close}
        onConfirm={async () => {
          if (dialog?.kind !== 'unhire') return;
          setNotice(await moveTo(dialog.candidate, dialog.to));
          close();
        }}
      />
    </div>
  );
}

function CandidatesEmpty({ loading, filtered, closed }: { loading: boolean; filtered: boolean; closed: boolean }) {
  if (loading) return <p className="px-6 py-14 text-center text-sm text-slate-500">Loading candidates…</p>;
  return (
    <EmptyState
      title={filtered ? 'No candidates match' : 'No candidates yet'}
      description={
        filtered
          ? 'Try another stage or search.'
          : closed
            ? 'Reopen the posting to add candidates.'
            : 'Add candidates one by one, or import a CSV file, with the buttons above.'
      }
    />
  );
}
