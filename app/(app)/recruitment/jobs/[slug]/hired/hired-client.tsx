'use client';

import { DateTime } from '@/app/components/date-time';
import { LoadError } from '@/app/components/notice';
import type { PublicJob } from '@/lib/recruiting/schemas';
import { useCandidates } from '@/lib/swr/use-candidates';
import { useJob } from '@/lib/swr/use-jobs';
import { PagedTable, useCursorPages } from '../../../paged-table';
import { fullName } from '../../../labels';
import { JobHeader } from '../job-header';

const PAGE_SIZE = 50;

export function HiredClient({ initialJob }: { initialJob: PublicJob }) {
  const { job = initialJob } = useJob(initialJob.slug, initialJob);
  const pages = useCursorPages();
  const { candidates, nextCursor, error, isLoading, reload } = useCandidates(job.slug, {
    stage: 'hired',
    cursor: pages.cursor,
    limit: PAGE_SIZE,
  });

  return (
    <div className="space-y-6">
      <JobHeader job={job} current="hired">
        {/* Reserved for the sync feature: its "Sync to Sources" button and sync status mount here. */}
        <div id="sync-actions" className="flex flex-wrap items-center gap-2" />
      </JobHeader>

      {error && <LoadError what="hired candidates" error={error} onRetry={reload} />}

      <PagedTable
        caption={`Hired candidates for ${job.title}`}
        busy={isLoading}
        empty={candidates.length === 0 ? <HiredEmptyState loading={isLoading} /> : null}
        head={
          <>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Phone</th>
            <th scope="col">Hired</th>
            {/* Per-source sync state columns go after this one (added with the sync feature). */}
          </>
        }
        pager={{ label: 'Hired candidate pages', pages, pageSize: PAGE_SIZE, shown: candidates.length, nextCursor }}
      >
        {candidates.map((candidate) => (
          <tr key={candidate.id}>
            <td className="whitespace-nowrap font-medium text-slate-900">{fullName(candidate)}</td>
            <td className="whitespace-nowrap text-slate-700">{candidate.email}</td>
            <td className="whitespace-nowrap text-slate-700">
              {candidate.phone ?? <span className="text-slate-400">—</span>}
            </td>
            <td className="whitespace-nowrap text-slate-700">
              <DateTime value={candidate.hired_at} />
            </td>
          </tr>
        ))}
      </PagedTable>
    </div>
  );
}

function HiredEmptyState({ loading }: { loading: boolean }) {
  return (
    <div className="px-6 py-14 text-center">
      {loading ? (
        <p className="text-sm text-slate-500">Loading hired candidates…</p>
      ) : (
        <>
          <h2 className="text-base font-semibold text-slate-900">No one has been hired yet</h2>
          <p className="mx-auto mt-1 max-w-sm text-sm text-slate-600">
            Move a candidate to the Hired stage on the Candidates page and they show up here.
          </p>
        </>
      )}
    </div>
  );
}
