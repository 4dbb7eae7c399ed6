import useSWR from 'swr';
import { apiFetch, swrFetcher } from '@/lib/client/api-fetch';
import type {
  CreatedWebhookEndpoint,
  CreateWebhookInput,
  PublicWebhookDelivery,
  PublicWebhookEndpoint,
} from '@/lib/webhooks/schemas';

const KEY = '/api/v1/webhooks';

type EndpointList = { data: PublicWebhookEndpoint[] };
type DeliveryLog = { endpoint: PublicWebhookEndpoint; data: PublicWebhookDelivery[] };

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

  async function deleteWebhook(id: string): Promise<void> {
    await apiFetch(`${KEY}/${id}`, { method: 'DELETE' });
    await mutate((list) => list && { data: list.data.filter((e) => e.id !== id) }, { revalidate: true });
  }

  async function sendTestEvent(id: string): Promise<void> {
    await apiFetch(`${KEY}/${id}/test`, { method: 'POST' });
  }

  return {
    endpoints: data?.data ?? [],
    error: error as Error | undefined,
    reload: () => mutate(),
    createWebhook,
    deleteWebhook,
    sendTestEvent,
  };
}

/** One endpoint's delivery log, refreshed every few seconds while a delivery is still being tried. */
export function useWebhookDeliveries(id: string | null) {
  const { data, error, mutate } = useSWR<DeliveryLog>(id ? `${KEY}/${id}/deliveries?limit=50` : null, swrFetcher, {
    refreshInterval: (latest) => (latest?.data.some(unfinished) ? 2000 : 0),
  });
  return {
    endpoint: data?.endpoint,
    deliveries: data?.data ?? [],
    error: error as Error | undefined,
    reload: () => mutate(),
  };
}
