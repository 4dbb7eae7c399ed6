import useSWR, { useSWRConfig } from 'swr';
import { apiFetch, swrFetcher } from '@/lib/client/api-fetch';
import type {
  CreateScheduleInput,
  PublicSchedule,
  SchedulePreview,
  UpdateScheduleInput,
} from '@/lib/schedules/schemas';

const KEY = '/api/v1/schedules';

type ScheduleList = { data: PublicSchedule[] };

/** Every schedule, refreshed every half minute so next and last runs stay current; `initial` is the server's load. */
export function useSchedules(initial?: PublicSchedule[]) {
  const { data, error, isLoading, mutate } = useSWR<ScheduleList>(KEY, swrFetcher, {
    fallbackData: initial ? { data: initial } : undefined,
    refreshInterval: 30_000,
  });

  async function updateSchedule(id: string, input: UpdateScheduleInput): Promise<PublicSchedule> {
    const schedule = await apiFetch<PublicSchedule>(`${KEY}/${id}`, { method: 'PATCH', body: input });
    await mutate((list) => list && { data: list.data.map((s) => (s.id === id ? schedule : s)) }, { revalidate: true });
    return schedule;
  }

  async function deleteSchedule(id: string): Promise<void> {
    await apiFetch(`${KEY}/${id}`, { method: 'DELETE' });
    await mutate((list) => list && { data: list.data.filter((s) => s.id !== id) }, { revalidate: true });
  }

  return {
    schedules: data?.data ?? [],
    error: error as Error | undefined,
    isLoading,
    reload: () => mutate(),
    updateSchedule,
    deleteSchedule,
  };
}

/** Saving from the add and edit pages: the list is refreshed for when the admin goes back to it. */
export function useScheduleActions() {
  const { mutate } = useSWRConfig();

  async function createSchedule(input: CreateScheduleInput): Promise<PublicSchedule> {
    const schedule = await apiFetch<PublicSchedule>(KEY, { method: 'POST', body: input });
    await mutate(KEY);
    return schedule;
  }

  async function updateSchedule(id: string, input: UpdateScheduleInput): Promise<PublicSchedule> {
    const schedule = await apiFetch<PublicSchedule>(`${KEY}/${id}`, { method: 'PATCH', body: input });
    await mutate(KEY);
    return schedule;
  }

  return { createSchedule, updateSchedule };
}

/** The next run times of an expression as pg-boss computes them; null input asks for nothing. */
export function useSchedulePreview(input: { cron: string; timezone: string } | null) {
  const key = input
    ? `${KEY}/preview?${new URLSearchParams({ cron: input.cron, tz: input.timezone }).toString()}`
    : null;
  const { data, error, isLoading } = useSWR<SchedulePreview>(key, swrFetcher, {
    keepPreviousData: true,
    shouldRetryOnError: false,
    revalidateOnFocus: false,
  });
  return { preview: error ? undefined : data, error: error as Error | undefined, isLoading };
}
