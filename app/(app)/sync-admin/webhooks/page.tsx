import type { Metadata } from 'next';
import { requireAdmin } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listWebhooks } from '@/lib/webhooks/service';
import { WebhooksClient } from './webhooks-client';

export const metadata: Metadata = { title: 'Webhooks' };

export default async function WebhooksPage() {
  const actor = await requireAdmin('/sync-admin/webhooks');
  return <WebhooksClient initialEndpoints={await listWebhooks(getDb(), actor)} />;
}
