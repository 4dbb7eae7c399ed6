'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Badge } from '@/app/components/badge';
import { LoadError } from '@/app/components/notice';
import { Writes } from '@/app/components/write-access-client';
import {
  CANDIDATE_STAGES,
  type CreateJobInput,
  DEFAULT_PAGE_SIZE,
  type JobStatus,
  type Page,
  type PublicJob,
} from '@/lib/recruiting/schemas';
import { useJobs } from '@/lib/swr/use-jobs';
import { PagedTable, useCursorPages } from '../paged-table';
import { ActionFeedback, useActionFeedback } from '../action-feedback';
import { STAGE_LABELS } from '../labels';
import { SearchField } from '../search-field';
import { useDebouncedValue } from '@/lib/client/use-debounced-value';
import { ClosePostingDialog } from './close-posting-dialog-client';
import { CreateJobDialog } from './create-job-dialog-client';
import { PageHeader } from '@/app/components/page-header';
import { EmptyState } from '@/app/components/empty-state';

export function JobsClient({ initialPage }: { initialPage: Page<PublicJob> }) {
  const router = useRouter();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<JobStatus | ''>('');
  const [creating, setCreating] = useState(false);
  const [closing, setClosing] = useState<PublicJob | null>(null);
  const feedback = useActionFeedback();
  const pages = useCursorPages();
  const q = useDebouncedValue(search.trim());
  const { jobs, nextCursor, error, isLoading, reload, createJob, updateJob } = useJobs(
    { q, status: status || undefined, cursor: pages.cursor },
    initialPage,
  );
  const filtered = q !== '' || status !== '';

  async function onCreate(input: CreateJobInput) {
    const job = await createJob(input);
    setCreating(false);
    router.push(`/recruitment/jobs/${job.slug}`);
  }

  function reopen(job: PublicJob) {
    void feedback.attempt(async () => {
      await updateJob(job.slug, { status: 'open' });
      return `${job.title} is open again.`;
    });
  }

  async function close(job: PublicJob) {
    feedback.clear();
    await updateJob(job.slug, { status: 'closed' });
    setClosing(null);
    feedback.setNotice(`${job.title} is closed.`);
  }

  return (
    <div className="space-y-6">
      <PageHeader title="Job postings" description="Open roles and where their candidates stand.">
        <Writes>
          <button type="button" className="btn-primary" onClick={() => setCreating(true)}>
            New posting
          </button>
        </Writes>
      </PageHeader>

      <ActionFeedback notice={feedback.notice} error={feedback.error} />
      {error && <LoadError what="job postings" error={error} onRetry={reload} />}

      <search className="flex flex-wrap items-end gap-3">
        <SearchField
          id="job-search"
          label="Search by title"
          placeholder="e.g. Engineer"
          className="w-full sm:w-80"
          value={search}
          onChange={(value) => {
            setSearch(value);
            pages.reset();
          }}
        />
        <div className="w-40">
          <label htmlFor="job-status" className="label">
            Status
          </label>
          <select
            id="job-status"
            className="input"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as JobStatus | '');
              pages.reset();
            }}
          >
            <option value="">All</option>
            <option value="open">Open</option>
            <option value="closed">Closed</option>
          </select>
        </div>
      </search>

      <PagedTable
        caption="Job postings with candidate counts per stage"
        busy={isLoading}
        empty={
          jobs.length === 0 && !isLoading ? (
            <PostingsEmpty
              filtered={filtered}
              onCreate={() => setCreating(true)}
              onClear={() => {
                setSearch('');
                setStatus('');
                pages.reset();
              }}
            />
          ) : null
        }
        head={
          <>
            <th scope="col">Posting</th>
            <th scope="col">Status</th>
            {CANDIDATE_STAGES.map((stage) => (
              <th key={stage} scope="col" className="text-right!">
                {STAGE_LABELS[stage]}
              </th>
            ))}
            <th scope="col" className="text-right!">
              Total
            </th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </>
        }
        pager={{ label: 'Job postings pages', pages, pageSize: DEFAULT_PAGE_SIZE, shown: jobs.length, nextCursor }}
      >
        {jobs.map((job) => (
          <tr key={job.id} className={job.status === 'closed' ? 'bg-slate-50/60' : undefined}>
            <td className="min-w-56">
              <Link
                href={`/recruitment/jobs/${job.slug}`}
                className="font-medium text-slate-900 hover:text-brand-700 hover:underline"
              >
                {job.title}
              </Link>
              <div className="mt-0.5 text-xs text-slate-500">
                {[job.department, job.location].filter(Boolean).join(' · ') || job.slug}
              </div>
            </td>
            <td>
              <Badge tone={job.status === 'open' ? 'green' : 'gray'}>{job.status === 'open' ? 'Open' : 'Closed'}</Badge>
            </td>
            {CANDIDATE_STAGES.map((stage) => (
              <td
                key={stage}
                className={`text-right tabular-nums ${
                  job.counts[stage] === 0
                    ? 'text-slate-300'
                    : stage === 'hired'
                      ? 'font-semibold text-emerald-700'
                      : 'text-slate-700'
                }`}
              >
                {job.counts[stage]}
              </td>
            ))}
            <td className="text-right font-medium tabular-nums">{job.counts.total}</td>
            <td className="text-right">
              <Writes>
                <button
                  type="button"
                  className="btn-ghost px-2.5 py-1.5"
                  onClick={() => (job.status === 'open' ? setClosing(job) : reopen(job))}
                >
                  {job.status === 'open' ? 'Close' : 'Reopen'}
                  <span className="sr-only"> {job.title}</span>
                </button>
              </Writes>
            </td>
          </tr>
        ))}
      </PagedTable>

      <CreateJobDialog open={creating} onClose={() => setCreating(false)} onCreate={onCreate} />
      <ClosePostingDialog
        title={closing?.title ?? null}
        onClose={() => setClosing(null)}
        onConfirm={async () => {
          if (closing) await close(closing);
        }}
      />
    </div>
  );
}

function PostingsEmpty({
  filtered,
  onCreate,
  onClear,
}: {
  filtered: boolean;
  onCreate: () => void;
  onClear: () => void;
}) {
  return (
    <EmptyState
      title={filtered ? 'No postings match these filters' : 'No job postings yet'}
      description={
        filtered
          ? 'Try another title or status.'
          : 'Create a posting to start collecting candidates, then hire them and sync them onwards.'
      }
    >
      {filtered ? (
        <button type="button" className="btn-secondary" onClick={onClear}>
          Clear filters
        </button>
      ) : (
        <Writes>
          <button type="button" className="btn-primary" onClick={onCreate}>
            Create a posting
          </button>
        </Writes>
      )}
    </EmptyState>
  );
}
