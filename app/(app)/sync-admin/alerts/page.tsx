import type { Metadata } from 'next';
import { listAlertChannels, listAlertIncidents, listAlertRules, getAlertSettings } from '@/lib/alerts/service';
import { requireAdminView } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getLogger } from '@/lib/logger';
import { listSources } from '@/lib/sources/service';
import type { InitialAlerts } from '@/lib/swr/use-alerts';
import { AlertsClient } from './alerts-client';

export const metadata: Metadata = { title: 'Alerts' };

/** The value, or undefined (logged) when it could not be read: the browser then asks again and shows the error. */
async function orNothing<T>(what: string, read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    getLogger().warn({ err, what }, 'alerts page: could not read on the server');
    return undefined;
  }
}

export default async function AlertsPage() {
  const actor = await requireAdminView('/sync-admin/alerts');
  const db = getDb();
  const [sources, channels, rules, open, resolved, settings] = await Promise.all([
    // The sources name the rules' conditions and fill the rule form's picker.
    orNothing('sources', listSources(db, actor)),
    orNothing('channels', listAlertChannels(db, actor)),
    orNothing('rules', listAlertRules(db, actor)),
    orNothing('open incidents', listAlertIncidents(db, actor, { state: 'open', limit: 50 })),
    orNothing('resolved incidents', listAlertIncidents(db, actor, { state: 'resolved', limit: 50 })),
    orNothing('settings', getAlertSettings(db, actor)),
  ]);
  const initial: InitialAlerts = { channels, rules, open, resolved, settings };
  return <AlertsClient initialSources={sources ?? []} initial={initial} />;
}
