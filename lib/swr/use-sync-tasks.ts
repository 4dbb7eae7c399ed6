import useSWR, { useSWRConfig } from 'swr';
import { apiFetch, swrFetcher } from '@/lib/client/api-fetch';
import { recruitingQuery } from './use-jobs';
import type {
  BulkResult,
  DeliveryDetail,
  DeliveryRow,
  Page,
  RerunResult,
  TaskDetail,
  TaskRow,
} from '@/lib/sync-admin/schemas';

const KEY = '/api/v1/sync-admin/tasks';

/** The tasks list's filters as the page keeps them (and puts them in its URL). */
export type TaskFilters = {
  status?: string;
  posting?: string;
  source?: string;
  trigger?: string;
  from?: string;
  to?: string;
  q?: string;
};

/** Every cached answer about tasks: an action on one run changes lists, counts and details. */
const isTasksKey = (key: unknown) => typeof key === 'string' && key.startsWith(KEY);

/** One page of runs; `initial` is what the server page loaded for exactly these filters and no cursor. */
export function useSyncTasks(filters: TaskFilters, cursor: string | undefined, initial?: Page<TaskRow>) {
  const { data, error, isLoading, mutate } = useSWR<Page<TaskRow>>(
    `${KEY}${recruitingQuery({ ...filters, cursor })}`,
    swrFetcher,
    { fallbackData: initial, keepPreviousData: true, refreshInterval: 10_000 },
  );
  return {
    tasks: data?.data ?? [],
    nextCursor: data?.next_cursor ?? null,
    error: error as Error | undefined,
    isLoading,
    reload: () => mutate(),
  };
}

export function useSyncTaskCount(filters: TaskFilters, enabled: boolean) {
  const { data } = useSWR<{ count: number; capped: boolean }>(
    enabled ? `${KEY}/count${recruitingQuery({ ...filters })}` : null,
    swrFetcher,
  );
  return data;
}

/** One run; refreshed every 2 s while it is still going. */
export function useSyncTask(id: string, initial?: TaskDetail) {
  const { data, error, mutate } = useSWR<TaskDetail>(`${KEY}/${id}`, swrFetcher, {
    fallbackData: initial,
    // SWR asks before anything is cached (fallbackData is not), so the page's own data decides
    // then: without it a run loaded while running was never polled ("updating live" stood still).
    refreshInterval: (latest = initial) =>
      latest && (latest.status === 'pending' || latest.status === 'running') ? 2000 : 0,
  });
  return { task: data ?? initial, error: error as Error | undefined, reload: () => mutate() };
}

export function useTaskDeliveries(
  id: string,
  filters: { status?: string; source?: string },
  cursor: string | undefined,
  live: boolean,
) {
  const { data, error, isLoading, mutate } = useSWR<Page<DeliveryRow>>(
    `${KEY}/${id}/deliveries${recruitingQuery({ ...filters, cursor })}`,
    swrFetcher,
    { keepPreviousData: true, refreshInterval: live ? 2000 : 0 },
  );
  return {
    deliveries: data?.data ?? [],
    nextCursor: data?.next_cursor ?? null,
    error: error as Error | undefined,
    isLoading,
    reload: () => mutate(),
  };
}

export function useTaskDelivery(id: string, deliveryId: string | null) {
  const { data, error } = useSWR<DeliveryDetail>(
    deliveryId ? `${KEY}/${id}/deliveries/${deliveryId}` : null,
    swrFetcher,
  );
  return { delivery: data, error: error as Error | undefined };
}

/** Retry, cancel, re-run and bulk actions; each refreshes every task answer on screen. */
export function useTaskActions() {
  const { mutate } = useSWRConfig();
  const refresh = () => mutate(isTasksKey);
  async function run<T>(url: string, body?: unknown): Promise<T> {
    const result = await apiFetch<T>(url, { method: 'POST', body });
    await refresh();
    return result;
  }
  return {
    retry: (id: string) => run<{ retried: number }>(`${KEY}/${id}/retry`),
    cancel: (id: string) => run<{ cancelled: number }>(`${KEY}/${id}/cancel`),
    rerun: (id: string) => run<RerunResult>(`${KEY}/${id}/rerun`),
    bulk: (body: unknown) => run<BulkResult>(`${KEY}/bulk`, body),
  };
}
