import { useCallback } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { swrFetcher } from '@/lib/client/api-fetch';
import type { PostingSyncState } from '@/lib/sync/sync-state-schemas';
import { jobUrl } from './use-jobs';

const syncStatePrefix = (slug: string) => `${jobUrl(slug)}/sync-state`;

/**
 * The posting's sources, latest run and the sync state of the given candidates (the table page
 * on screen). The previous answer stays on screen while another page's state loads.
 */
export function useSyncState(slug: string, candidateIds: string[]) {
  const key = candidateIds.length
    ? `${syncStatePrefix(slug)}?candidate_ids=${candidateIds.join(',')}`
    : syncStatePrefix(slug);
  const { data, error, isLoading, mutate } = useSWR<PostingSyncState>(key, swrFetcher, { keepPreviousData: true });
  return { state: data, error: error as Error | undefined, isLoading, reload: () => mutate() };
}

/** Refreshes every cached sync state of the posting, whichever table page asked for it. */
export function useRefreshSyncState(slug: string) {
  const { mutate } = useSWRConfig();
  const prefix = syncStatePrefix(slug);
  return useCallback(() => mutate((key) => typeof key === 'string' && key.startsWith(prefix)), [mutate, prefix]);
}
