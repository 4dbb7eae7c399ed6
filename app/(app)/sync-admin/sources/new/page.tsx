import type { Metadata } from 'next';
import { requireAdmin } from '@/lib/auth/session';
import { connectorChoices } from '@/lib/sync/connectors/catalog';
import { NewSourceClient } from './new-source-client';

export const metadata: Metadata = { title: 'Add source' };

export default async function NewSourcePage() {
  await requireAdmin('/sync-admin/sources/new');
  return <NewSourceClient connectors={connectorChoices()} />;
}
