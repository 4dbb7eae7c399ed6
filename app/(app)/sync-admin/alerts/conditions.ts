import type { AlertRule, AlertRuleKind, AlertRuleParams } from '@/lib/swr/use-alerts';

/** What each kind of rule watches: its name in the kind picker and a line on when it fires. */
export const RULE_KINDS: Record<AlertRuleKind, { label: string; hint: string }> = {
  source_unhealthy: {
    label: 'Source unhealthy',
    hint: 'A source keeps failing, cannot be reached or refuses our credentials.',
  },
  run_failed: {
    label: 'Run failed',
    hint: 'A sync run ends with at least this share of its deliveries failed.',
  },
  no_worker: {
    label: 'No worker',
    hint: 'No worker process has reported for this long: nothing is being delivered.',
  },
  queue_backlog: {
    label: 'Queue backlog',
    hint: 'A delivery has waited this long to be sent (paused sources and planned retries do not count).',
  },
  webhook_disabled: {
    label: 'Webhook endpoint disabled',
    hint: 'A completion-webhook endpoint was disabled, by an admin or after failing for days.',
  },
};

export const RULE_KIND_ORDER = Object.keys(RULE_KINDS) as AlertRuleKind[];

/** Minutes in the largest unit that divides them: "10 min", "2 h", "90 min". */
export function formatMinutes(minutes: number): string {
  return minutes >= 120 && minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

/** Seconds in the largest unit that divides them: "60 s", "5 min", "1 h". */
export function formatSeconds(seconds: number): string {
  return seconds >= 120 && seconds % 60 === 0 ? formatMinutes(seconds / 60) : `${seconds} s`;
}

/** "A", "A or B", "A, B or C"; beyond three, how many. */
function sourcesInWords(ids: string[], names: ReadonlyMap<string, string>): string {
  if (ids.length > 3) return `one of ${ids.length} chosen sources`;
  const words = ids.map((id) => names.get(id) ?? 'a deleted source');
  return words.length <= 1 ? (words[0] ?? 'no source') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The rule's condition as a sentence: "A run fails for 10 % or more of its deliveries". */
export function describeCondition(
  rule: { kind: AlertRuleKind; params: AlertRuleParams },
  sourceNames: ReadonlyMap<string, string>,
): string {
  const { params } = rule;
  const ids = params.source_ids ?? null;
  switch (rule.kind) {
    case 'source_unhealthy':
      return ids ? `${capital(sourcesInWords(ids, sourceNames))} is unhealthy` : 'A source is unhealthy';
    case 'run_failed': {
      const share = `A run fails for ${params.failure_percent ?? 10} % or more of its deliveries`;
      return ids ? `${share} to ${sourcesInWords(ids, sourceNames)}` : share;
    }
    case 'no_worker':
      return `No worker for ${formatSeconds(params.seconds ?? 60)}`;
    case 'queue_backlog':
      return `Deliveries wait more than ${formatMinutes(params.minutes ?? 10)}`;
    case 'webhook_disabled':
      return 'A webhook endpoint is disabled';
  }
}

/** The quiet period as the table shows it. */
export function describeQuietPeriod(minutes: number): string {
  return minutes === 0 ? 'None' : formatMinutes(minutes);
}

/** When a firing rule started firing: its oldest open incident, else when it last sent. */
export function firingSince(
  rule: Pick<AlertRule, 'id' | 'last_notified_at'>,
  openIncidents: readonly { rule_id: string | null; opened_at: string }[],
): string | null {
  const opened = openIncidents
    .filter((i) => i.rule_id === rule.id)
    .map((i) => i.opened_at)
    .sort();
  return opened[0] ?? rule.last_notified_at;
}
