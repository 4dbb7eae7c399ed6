import useSWR, { mutate as revalidate } from 'swr';
import { apiFetch, swrFetcher } from '@/lib/client/api-fetch';
import type {
  CreatedWebhookEndpoint,
  CreateWebhookInput,
  PublicWebhookDelivery,
  PublicWebhookEndpoint,
  UpdatedWebhookEndpoint,
  UpdateWebhookInput,
  WebhookDeliveryPage,
} from '@/lib/webhooks/schemas';

const KEY = '/api/v1/webhooks';

type EndpointList = { data: PublicWebhookEndpoint[] };

const unfinished = (d: PublicWebhookDelivery) => d.status === 'pending' || d.status === 'retrying';

/** Every completion-webhook endpoint (admin); `initial` is what the server page already loaded. */
export function useWebhooks(initial?: PublicWebhookEndpoint[]) {
  const { data, error, mutate } = useSWR<EndpointList>(KEY, swrFetcher, {
    fallbackData: initial ? { data: initial } : undefined,
  });

  async function createWebhook(input: CreateWebhookInput): Promise<CreatedWebhookEndpoint> {
    const created = await apiFetch<CreatedWebhookEndpoint>(KEY, { method: 'POST', body: input });
    await mutate();
    return created;
  }

  async function updateWebhook(id: string, input: UpdateWebhookInput): Promise<UpdatedWebhookEndpoint> {
    const updated = await apiFetch<UpdatedWebhookEndpoint>(`${KEY}/${id}`, { method: 'PATCH', body: input });
    await mutate();
    return updated;
  }

  async function rotateSecret(id: string, keepPreviousHours: number): Promise<CreatedWebhookEndpoint> {
    const rotated = await apiFetch<CreatedWebhookEndpoint>(`${KEY}/${id}/rotate-secret`, {
      method: 'POST',
      body: { keep_previous_hours: keepPreviousHours },
    });
    await mutate();
    return rotated;
  }

  async function deleteWebhook(id: string): Promise<void> {
    await apiFetch(`${KEY}/${id}`, { method: 'DELETE' });
    await mutate((list) => list && { data: list.data.filter((e) => e.id !== id) }, { revalidate: true });
  }

  async function sendTestEvent(id: string): Promise<void> {
    await apiFetch(`${KEY}/${id}/test`, { method: 'POST' });
    // Its delivery shows in the log at once, whatever page and filter of the log is open.
    await revalidate((key) => typeof key === 'string' && key.startsWith(`${KEY}/${id}/deliveries`));
  }

  async function redeliver(id: string, deliveryId: string): Promise<void> {
    await apiFetch(`${KEY}/${id}/deliveries/${deliveryId}/redeliver`, { method: 'POST' });
  }

  async function recover(id: string, since: string): Promise<{ redelivered: number; more: boolean }> {
    return apiFetch(`${KEY}/${id}/recover`, { method: 'POST', body: { since } });
  }

  return {
    endpoints: data?.data ?? [],
    error: error as Error | undefined,
    reload: () => mutate(),
    createWebhook,
    updateWebhook,
    rotateSecret,
    deleteWebhook,
    sendTestEvent,
    redeliver,
    recover,
  };
}

export type DeliveryFilter = { status?: string; event_type?: string; from?: string; to?: string };

/** The query string of the given values, empty ones left out. */
export function deliveryQuery(filter: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * One page of an endpoint's delivery log, refreshed every few seconds while a delivery on it is
 * still being tried; the previous page stays on screen while the next loads.
 */
export function useWebhookDeliveries(id: string | null, filter: DeliveryFilter, cursor: string | undefined) {
  const { data, error, isLoading, mutate } = useSWR<WebhookDeliveryPage>(
    id ? `${KEY}/${id}/deliveries${deliveryQuery({ ...filter, cursor })}` : null,
    swrFetcher,
    {
      refreshInterval: (latest) => (latest?.data.some(unfinished) ? 2000 : 0),
      keepPreviousData: true,
      // An attempt moves the endpoint's state too (failing since, retrying, disabled): refresh the list with it.
      onSuccess: () => void revalidate(KEY),
    },
  );
  return {
    endpoint: data?.endpoint,
    deliveries: data?.data ?? [],
    nextCursor: data?.next_cursor ?? null,
    error: error as Error | undefined,
    isLoading,
    reload: () => mutate(),
  };
}
