import type { Metadata } from 'next';
import { requireAdminView } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getSyncStats } from '@/lib/sync-admin/service';
import { DashboardClient } from './dashboard-client';

export const metadata: Metadata = { title: 'Sync dashboard' };

export default async function SyncDashboardPage() {
  const actor = await requireAdminView('/sync-admin');
  const stats = await getSyncStats(getDb(), actor, { window: '24h' });
  return <DashboardClient initial={stats} />;
}
