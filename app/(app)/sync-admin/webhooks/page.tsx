import type { Metadata } from 'next';
import { requireAdminView } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { findHostileInput } from '@/lib/security/hostile-input';
import { listWebhooks } from '@/lib/webhooks/service';
import { LOGGED_EVENT_TYPES, WEBHOOK_DELIVERY_STATUSES } from '@/lib/webhooks/schemas';
import type { LogFilters } from './endpoint-panel-client';
import { WebhooksClient } from './webhooks-client';

export const metadata: Metadata = { title: 'Webhooks' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const FITS: Record<keyof LogFilters | 'endpoint', (v: string) => boolean> = {
  endpoint: (v) => /^[0-9a-f-]{36}$/i.test(v),
  status: (v) => (WEBHOOK_DELIVERY_STATUSES as readonly string[]).includes(v),
  event_type: (v) => (LOGGED_EVENT_TYPES as readonly string[]).includes(v),
  from: (v) => DAY.test(v),
  to: (v) => DAY.test(v),
};

export default async function WebhooksPage({ searchParams }: Props) {
  const actor = await requireAdminView('/sync-admin/webhooks');
  const params = await searchParams;
  // The address selects the endpoint and the log's filters; a value that does not fit (an old
  // link, a typo) is left out rather than failing the page.
  const picked: Partial<Record<keyof typeof FITS, string>> = {};
  for (const key of Object.keys(FITS) as (keyof typeof FITS)[]) {
    const value = params[key];
    if (typeof value === 'string' && findHostileInput({ value }).length === 0 && FITS[key](value)) picked[key] = value;
  }
  const { endpoint, ...filters } = picked;
  return (
    <WebhooksClient
      initialEndpoints={await listWebhooks(getDb(), actor)}
      initialSelected={endpoint ?? null}
      initialFilters={filters}
    />
  );
}
