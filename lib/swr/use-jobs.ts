import useSWR, { useSWRConfig } from 'swr';
import { apiFetch, swrFetcher } from '@/lib/client/api-fetch';
import type { CreateJobInput, JobStatus, Page, PublicJob, UpdateJobInput } from '@/lib/recruiting/schemas';

const KEY = '/api/v1/jobs';

export type JobsFilter = { status?: JobStatus; q?: string; cursor?: string };

/** `?a=1&b=2` from the values that are set, or '' when none is. */
export function recruitingQuery(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function jobUrl(slug: string): string {
  return `${KEY}/${encodeURIComponent(slug)}`;
}

/** Every cached answer about postings and their candidates (counts move whenever a candidate does). */
export function isRecruitingKey(key: unknown): boolean {
  return typeof key === 'string' && key.startsWith(KEY);
}

/**
 * One page of postings; `initial` is the unfiltered first page the server already loaded.
 * The previous page stays on screen while the next one loads, so paging and typing do not flash.
 */
export function useJobs(filter: JobsFilter, initial?: Page<PublicJob>) {
  const unfiltered = !filter.status && !filter.q && !filter.cursor;
  const { data, error, isLoading, mutate } = useSWR<Page<PublicJob>>(
    `${KEY}${recruitingQuery({ status: filter.status, q: filter.q, cursor: filter.cursor })}`,
    swrFetcher,
    { fallbackData: unfiltered ? initial : undefined, keepPreviousData: true },
  );
  const { mutate: mutateAll } = useSWRConfig();

  async function createJob(input: CreateJobInput): Promise<PublicJob> {
    const job = await apiFetch<PublicJob>(KEY, { method: 'POST', body: input });
    await mutateAll(isRecruitingKey);
    return job;
  }

  async function updateJob(slug: string, input: UpdateJobInput): Promise<PublicJob> {
    const job = await apiFetch<PublicJob>(jobUrl(slug), { method: 'PATCH', body: input });
    await mutateAll(isRecruitingKey);
    return job;
  }

  return {
    jobs: data?.data ?? [],
    nextCursor: data?.next_cursor ?? null,
    error: error as Error | undefined,
    isLoading,
    reload: () => mutate(),
    createJob,
    updateJob,
  };
}

/** One posting with its counts per stage; `initial` is what the server page already loaded. */
export function useJob(slug: string, initial?: PublicJob) {
  const { data, error, mutate } = useSWR<PublicJob>(jobUrl(slug), swrFetcher, { fallbackData: initial });
  const { mutate: mutateAll } = useSWRConfig();

  async function updateJob(input: UpdateJobInput): Promise<PublicJob> {
    const job = await apiFetch<PublicJob>(jobUrl(slug), { method: 'PATCH', body: input });
    await mutateAll(isRecruitingKey);
    return job;
  }

  return { job: data ?? initial, error: error as Error | undefined, reload: () => mutate(), updateJob };
}
