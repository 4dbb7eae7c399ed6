import type { Metadata } from 'next';
import { requireAdminView } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listSources } from '@/lib/sources/service';
import { AlertsClient } from './alerts-client';

export const metadata: Metadata = { title: 'Alerts' };

export default async function AlertsPage() {
  const actor = await requireAdminView('/sync-admin/alerts');
  // The sources name the rules' conditions and fill the rule form's picker.
  return <AlertsClient initialSources={await listSources(getDb(), actor)} />;
}
