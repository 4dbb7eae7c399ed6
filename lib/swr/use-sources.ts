import useSWR, { useSWRConfig } from 'swr';
import { apiFetch, swrFetcher } from '@/lib/client/api-fetch';
import type {
  CreateSourceInput,
  PublicSource,
  TestResult,
  UpdatedSource,
  UpdateSourceInput,
} from '@/lib/sources/schemas';

const KEY = '/api/v1/sources';

type SourceList = { data: PublicSource[] };

/** Every source (admin); `initial` is what the server page already loaded. */
export function useSources(initial?: PublicSource[]) {
  const { data, error, isLoading, mutate } = useSWR<SourceList>(KEY, swrFetcher, {
    fallbackData: initial ? { data: initial } : undefined,
  });

  const replace = (source: PublicSource) =>
    mutate((list) => list && { data: list.data.map((s) => (s.id === source.id ? source : s)) }, { revalidate: true });

  async function updateSource(id: string, input: UpdateSourceInput): Promise<PublicSource> {
    const source = await apiFetch<PublicSource>(`${KEY}/${id}`, { method: 'PATCH', body: input });
    await replace(source);
    return source;
  }

  async function deleteSource(id: string): Promise<void> {
    await apiFetch(`${KEY}/${id}`, { method: 'DELETE' });
    await mutate((list) => list && { data: list.data.filter((s) => s.id !== id) }, { revalidate: true });
  }

  /** Sends a ping; the source's recorded health changes with the answer, so the list is refreshed. */
  async function testSource(id: string): Promise<TestResult> {
    const result = await apiFetch<TestResult>(`${KEY}/${id}/test`, { method: 'POST' });
    await mutate();
    return result;
  }

  return {
    sources: data?.data ?? [],
    error: error as Error | undefined,
    isLoading,
    reload: () => mutate(),
    updateSource,
    deleteSource,
    testSource,
    setPaused: async (id: string, paused: boolean, reason?: string) => {
      await setSourcePaused(id, paused, reason);
      await mutate();
    },
  };
}

/** One source for its edit page; `initial` is what the server page already loaded. */
export function useSource(id: string, initial: PublicSource) {
  const { data, mutate } = useSWR<PublicSource>(`${KEY}/${id}`, swrFetcher, { fallbackData: initial });
  const { mutate: mutateAll } = useSWRConfig();
  const refreshList = () => mutateAll(KEY);

  async function updateSource(input: UpdateSourceInput): Promise<UpdatedSource> {
    const source = await apiFetch<UpdatedSource>(`${KEY}/${id}`, { method: 'PATCH', body: input });
    await mutate(source, { revalidate: false });
    await refreshList();
    return source;
  }

  async function testSource(): Promise<TestResult> {
    const result = await apiFetch<TestResult>(`${KEY}/${id}/test`, { method: 'POST' });
    await mutate();
    await refreshList();
    return result;
  }

  async function setPaused(paused: boolean, reason?: string): Promise<void> {
    await setSourcePaused(id, paused, reason);
    await mutate();
    await refreshList();
  }

  return { source: data ?? initial, updateSource, testSource, setPaused };
}

/** pause (issue 21): pauses (with an optional reason) or resumes a source. */
function setSourcePaused(id: string, paused: boolean, reason?: string): Promise<unknown> {
  return paused
    ? apiFetch(`${KEY}/${id}/pause`, { method: 'POST', body: reason ? { reason } : {} })
    : apiFetch(`${KEY}/${id}/resume`, { method: 'POST' });
}

/** Adding a source, from its own page: the list is refreshed for when the admin goes back to it. */
export function useCreateSource() {
  const { mutate } = useSWRConfig();
  return async function createSource(input: CreateSourceInput): Promise<PublicSource> {
    const source = await apiFetch<PublicSource>(KEY, { method: 'POST', body: input });
    await mutate(KEY);
    return source;
  };
}
