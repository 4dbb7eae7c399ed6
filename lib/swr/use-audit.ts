import useSWR from 'swr';
import { swrFetcher } from '@/lib/client/api-fetch';
import type { AuditPage } from '@/lib/audit/schemas';

const KEY = '/api/v1/audit';

export type AuditFilter = { actor?: string; action?: string; from?: string; to?: string; cursor?: string };

function auditQuery(filter: AuditFilter): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** One page of the audit trail; the previous page stays on screen while the next loads. */
export function useAudit(filter: AuditFilter, initial?: AuditPage) {
  const unfiltered = !filter.actor && !filter.action && !filter.from && !filter.to && !filter.cursor;
  const { data, error, isLoading, isValidating, mutate } = useSWR<AuditPage>(
    `${KEY}${auditQuery(filter)}`,
    swrFetcher,
    {
      fallbackData: unfiltered ? initial : undefined,
      keepPreviousData: true,
    },
  );
  return {
    events: data?.data ?? [],
    nextCursor: data?.next_cursor ?? null,
    error: error as Error | undefined,
    isLoading,
    isValidating,
    reload: () => mutate(),
  };
}

/** Every action recorded so far, for the filter. */
export function useAuditActions(initial?: string[]) {
  const { data } = useSWR<{ data: string[] }>(`${KEY}/actions`, swrFetcher, {
    fallbackData: initial ? { data: initial } : undefined,
  });
  return data?.data ?? [];
}
