import useSWR from 'swr';
import { swrFetcher } from '@/lib/client/api-fetch';
import type { StatsWindow, SyncReport, SyncStats } from '@/lib/sync-admin/schemas';

/** How often the dashboard asks again; the stats API answers from the day cache in milliseconds. */
export const STATS_REFRESH_MS = 5000;

/** The dashboard's numbers, refreshed every few seconds; the previous window stays while another loads. */
export function useSyncStats(window: StatsWindow, initial?: SyncStats) {
  const { data, error, isLoading, isValidating, mutate } = useSWR<SyncStats>(
    `/api/v1/sync-admin/sync-stats?window=${window}`,
    swrFetcher,
    {
      fallbackData: initial?.window === window ? initial : undefined,
      keepPreviousData: true,
      refreshInterval: STATS_REFRESH_MS,
      revalidateOnFocus: true,
    },
  );
  return { stats: data, error: error as Error | undefined, isLoading, isValidating, reload: () => mutate() };
}

/** The detailed statistics page; heavier, so refreshed only on demand and on focus. */
export function useSyncReport(window: StatsWindow, initial?: SyncReport) {
  const { data, error, isLoading, mutate } = useSWR<SyncReport>(
    `/api/v1/sync-admin/sync-stats/report?window=${window}`,
    swrFetcher,
    { fallbackData: initial?.window === window ? initial : undefined, keepPreviousData: true },
  );
  return { report: data, error: error as Error | undefined, isLoading, reload: () => mutate() };
}
