import type { Metadata } from 'next';
import { requireAdminView } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listSources } from '@/lib/sources/service';
import { findSourceSuccessRates } from '@/lib/sources/success-rates';
import { connectorChoices } from '@/lib/sync/connectors/catalog';
import { SourcesClient } from './sources-client';

export const metadata: Metadata = { title: 'Sources' };

export default async function SourcesPage() {
  const actor = await requireAdminView('/sync-admin/sources');
  const db = getDb();
  const [sources, successRates] = await Promise.all([listSources(db, actor), findSourceSuccessRates(db, 7)]);
  return <SourcesClient initialSources={sources} successRates={successRates} connectors={connectorChoices()} />;
}
