import type { PublicAuditEvent } from '@/lib/audit/schemas';

const ACTIONS: Record<string, string> = {
  'auth.signed_in': 'Signed in',
  'auth.sign_in_failed': 'Sign-in failed',
  'user.created': 'User added',
  'user.updated': 'User changed',
  'user.deactivated': 'User deactivated',
  'user.reactivated': 'User reactivated',
  // sso: a user's OpenID Connect account linked on first sign-in, or forgotten by `cli user unlink-sso`.
  'user.sso_linked': 'Single sign-on linked',
  'user.sso_unlinked': 'Single sign-on unlinked',
  'token.created': 'API token created',
  'token.revoked': 'API token revoked',
  'job.created': 'Posting created',
  'job.updated': 'Posting changed',
  'candidate.created': 'Candidate added',
  'candidate.imported': 'Candidates imported',
  'candidate.updated': 'Candidate changed',
  'candidate.stage_changed': 'Candidate moved',
  'candidate.deleted': 'Candidate deleted',
  'sync.started': 'Sync started',
  'sync.cancelled': 'Sync cancelled',
  'sync.retried': 'Failed deliveries retried',
  'source.created': 'Source added',
  'source.updated': 'Source changed',
  'source.activated': 'Source activated',
  'source.deactivated': 'Source deactivated',
  'source.deleted': 'Source deleted',
  'source.tested': 'Source tested',
  'schedule.created': 'Schedule created',
  'schedule.updated': 'Schedule changed',
  'schedule.enabled': 'Schedule enabled',
  'schedule.disabled': 'Schedule disabled',
  'schedule.deleted': 'Schedule deleted',
};

const KINDS: Record<string, string> = {
  auth: 'Sign-ins',
  user: 'Users',
  token: 'API tokens',
  job: 'Postings',
  candidate: 'Candidates',
  sync: 'Syncs',
  source: 'Sources',
  schedule: 'Schedules',
};

const ACRONYMS: Record<string, string> = { url: 'URL', ip: 'IP', id: 'ID', http: 'HTTP' };

const humanize = (text: string) => {
  const spaced = text
    .split(/[._]/)
    .map((word) => ACRONYMS[word] ?? word)
    .join(' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
};

export const actionLabel = (action: string) => ACTIONS[action] ?? humanize(action);
export const kindLabel = (kind: string) => KINDS[kind] ?? humanize(kind);

/** The action filter's options: each kind ("source.*") followed by its actions. */
export function actionGroups(actions: string[]): { kind: string; actions: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const action of actions) {
    const kind = action.split('.')[0];
    groups.set(kind, [...(groups.get(kind) ?? []), action]);
  }
  return [...groups].map(([kind, list]) => ({ kind, actions: list }));
}

const TARGETS: Record<string, { label: string; href?: (id: string) => string }> = {
  sync_run: { label: 'Sync run', href: (id) => `/sync-admin/tasks/${id}` },
  source: { label: 'Source', href: (id) => `/sync-admin/sources/${id}` },
  schedule: { label: 'Schedule', href: (id) => `/sync-admin/schedules/${id}` },
  user: { label: 'User' },
  api_token: { label: 'API token' },
  job_posting: { label: 'Posting' },
  candidate: { label: 'Candidate' },
};

/** What an event is about, named the way people know it (the source's name, the posting's title…). */
export function describeTarget(
  event: PublicAuditEvent,
): { type: string; name: string | null; href: string | null } | null {
  if (!event.target) return null;
  const known = TARGETS[event.target.type];
  const d = event.details;
  const nameOf = (key: string) => (typeof d[key] === 'string' ? (d[key] as string) : null);
  // A sign-in has the user as both actor and target.
  const self = event.target.type === 'user' && event.target.id === event.actor.id ? event.actor.email : null;
  const name = nameOf('name') ?? nameOf('title') ?? nameOf('job') ?? nameOf('job_slug') ?? nameOf('email') ?? self;
  const gone = event.action.endsWith('.deleted');
  return {
    type: known?.label ?? humanize(event.target.type),
    name,
    href: known?.href && event.target.id && !gone ? known.href(event.target.id) : null,
  };
}

/** Who did it: a user's email, the product itself, or, for a failed sign-in, the email that was tried. */
export function describeActor(event: PublicAuditEvent): { label: string; system: boolean } {
  const email = event.actor.email;
  if (email?.startsWith('system:')) return { label: `System (${email.slice(7)})`, system: true };
  if (email) return { label: email, system: false };
  const tried = typeof event.details.email === 'string' ? event.details.email : null;
  return { label: tried ? `${tried} (not signed in)` : 'Anonymous', system: false };
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.length ? value.map(valueText).join(', ') : 'none';
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** Details as readable "key: value" pairs, one level of nesting spelled out (changes.cron: …). */
export function detailEntries(details: Record<string, unknown>): { key: string; value: string }[] {
  const entries: { key: string; value: string }[] = [];
  for (const [key, value] of Object.entries(details)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const inner = Object.entries(value as Record<string, unknown>);
      if (inner.length === 0) entries.push({ key: humanize(key), value: 'none' });
      for (const [k, v] of inner) entries.push({ key: `${humanize(key)} · ${humanize(k)}`, value: valueText(v) });
    } else {
      entries.push({ key: humanize(key), value: valueText(value) });
    }
  }
  return entries;
}
