import type { Metadata } from 'next';
import { requireAdminView } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getSyncReport } from '@/lib/sync-admin/service';
import { StatisticsClient } from './statistics-client';

export const metadata: Metadata = { title: 'Sync statistics' };

export default async function SyncStatisticsPage() {
  const actor = await requireAdminView('/sync-admin/sync-dashboard');
  const report = await getSyncReport(getDb(), actor, { window: '7d' });
  return <StatisticsClient initial={report} />;
}
