import type { Metadata } from 'next';
import { getAlertSettings, listAlertChannels, listAlertIncidents, listAlertRules } from '@/lib/alerts/service';
import { requireAdminView } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listSources } from '@/lib/sources/service';
import { AlertsClient } from './alerts-client';

export const metadata: Metadata = { title: 'Alerts' };

export default async function AlertsPage() {
  const actor = await requireAdminView('/sync-admin/alerts');
  const db = getDb();
  const [sources, channels, rules, open, resolved, settings] = await Promise.all([
    // The sources name the rules' conditions and fill the rule form's picker.
    listSources(db, actor),
    listAlertChannels(db, actor),
    listAlertRules(db, actor),
    listAlertIncidents(db, actor, { state: 'open', limit: 50 }),
    listAlertIncidents(db, actor, { state: 'resolved', limit: 50 }),
    getAlertSettings(db, actor),
  ]);
  return <AlertsClient initialSources={sources} initial={{ channels, rules, open, resolved, settings }} />;
}
