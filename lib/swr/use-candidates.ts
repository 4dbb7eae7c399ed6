import useSWR, { useSWRConfig } from 'swr';
import { apiFetch, swrFetcher } from '@/lib/client/api-fetch';
import type {
  CandidateStage,
  CreateCandidateInput,
  ImportCandidatesInput,
  ImportResult,
  Page,
  PublicCandidate,
  UpdateCandidateInput,
} from '@/lib/recruiting/schemas';
import { isRecruitingKey, jobUrl, recruitingQuery } from './use-jobs';

export type CandidatesFilter = { stage?: CandidateStage; q?: string; cursor?: string; limit?: number };

/** One page of a posting's candidates; the previous page stays on screen while the next loads. */
export function useCandidates(slug: string, filter: CandidatesFilter) {
  const { data, error, isLoading, mutate } = useSWR<Page<PublicCandidate>>(
    `${jobUrl(slug)}/candidates${recruitingQuery(filter)}`,
    swrFetcher,
    { keepPreviousData: true },
  );
  return {
    candidates: data?.data ?? [],
    nextCursor: data?.next_cursor ?? null,
    error: error as Error | undefined,
    isLoading,
    reload: () => mutate(),
  };
}

/** Changes to candidates; each one refreshes the lists and the counts per stage. */
export function useCandidateActions(slug: string) {
  const { mutate } = useSWRConfig();
  const refresh = () => mutate(isRecruitingKey);

  async function createCandidate(input: CreateCandidateInput): Promise<PublicCandidate> {
    const candidate = await apiFetch<PublicCandidate>(`${jobUrl(slug)}/candidates`, { method: 'POST', body: input });
    await refresh();
    return candidate;
  }

  async function importCandidates(input: ImportCandidatesInput): Promise<ImportResult> {
    const result = await apiFetch<ImportResult>(`${jobUrl(slug)}/candidates/import`, { method: 'POST', body: input });
    await refresh();
    return result;
  }

  async function updateCandidate(id: string, input: UpdateCandidateInput): Promise<PublicCandidate> {
    const candidate = await apiFetch<PublicCandidate>(`/api/v1/candidates/${id}`, { method: 'PATCH', body: input });
    await refresh();
    return candidate;
  }

  async function deleteCandidate(id: string): Promise<void> {
    await apiFetch(`/api/v1/candidates/${id}`, { method: 'DELETE' });
    await refresh();
  }

  return { createCandidate, importCandidates, updateCandidate, deleteCandidate };
}
