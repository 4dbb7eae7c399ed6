import type { AlertIncident } from '@/lib/swr/use-alerts';

/** Open incidents first, newest first; then resolved ones, most recently resolved first. */
export function orderIncidents(open: readonly AlertIncident[], resolved: readonly AlertIncident[]): AlertIncident[] {
  const byOpened = (a: AlertIncident, b: AlertIncident) => b.opened_at.localeCompare(a.opened_at);
  const byResolved = (a: AlertIncident, b: AlertIncident) => (b.resolved_at ?? '').localeCompare(a.resolved_at ?? '');
  // An incident resolved between the two requests comes back in both lists: it is resolved.
  const resolvedIds = new Set(resolved.map((i) => i.id));
  return [...open.filter((i) => !resolvedIds.has(i.id)).sort(byOpened), ...[...resolved].sort(byResolved)];
}

/** A length of time in its two largest units: "45 s", "12 min", "2 h 5 min", "3 d 4 h". */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** How long the incident lasted, or has lasted until `now` while open. */
export function incidentDuration(incident: Pick<AlertIncident, 'opened_at' | 'resolved_at'>, now: number): string {
  const end = incident.resolved_at ? Date.parse(incident.resolved_at) : now;
  return formatElapsed(end - Date.parse(incident.opened_at));
}

/** "2 sent · 1 failed · 1 sending"; "None sent" when the quiet period held them back (or no channel was set). */
export function notificationSummary(incident: Pick<AlertIncident, 'notifications'>): string {
  const count = (ok: boolean | null) => incident.notifications.filter((n) => n.ok === ok).length;
  const parts = [
    [count(true), 'sent'],
    [count(false), 'failed'],
    [count(null), 'sending'],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, word]) => `${n} ${word}`);
  return said.length > 0 ? said.join(' · ') : 'None sent';
}
