import type { BadgeTone } from '@/app/components/badge';
import type { WebhookDeliveryStatus, WebhookEventType } from '@/db/types';

export const EVENTS: Record<WebhookEventType, { label: string; hint: string }> = {
  'sync.completed': { label: 'Sync completed', hint: 'Every candidate reached every source (or had nothing new).' },
  'sync.partially_failed': { label: 'Sync partially failed', hint: 'Some deliveries failed after their retries.' },
  'sync.failed': { label: 'Sync failed', hint: 'Nothing was delivered.' },
  'source.unhealthy': {
    label: 'Source unhealthy',
    hint: 'A source keeps failing or refuses our credentials; sent once when it turns.',
  },
  'webhook.endpoint_disabled': {
    label: 'Endpoint disabled',
    hint: 'Another of these endpoints was disabled, by an admin or after failing for days.',
  },
};

export const DELIVERY_STATUS: Record<WebhookDeliveryStatus, { label: string; tone: BadgeTone }> = {
  pending: { label: 'Queued', tone: 'gray' },
  retrying: { label: 'Retrying', tone: 'amber' },
  succeeded: { label: 'Delivered', tone: 'green' },
  failed: { label: 'Failed', tone: 'red' },
};
