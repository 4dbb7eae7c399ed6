import { ApiError } from '@/lib/client/api-fetch';
import type { AlertRule, AlertRuleKind, AlertRuleParams, RuleBody } from '@/lib/swr/use-alerts';
import { definedErrors, nameError, rangeError, wholeNumber } from './form-checks';

export const RULE_FIELDS = [
  'name',
  'kind',
  'source_ids',
  'failure_percent',
  'seconds',
  'minutes',
  'channel_ids',
  'quiet_period_minutes',
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

/** The rule form as typed: numbers stay text until they are checked. */
export type RuleFormState = {
  name: string;
  kind: AlertRuleKind;
  allSources: boolean;
  source_ids: string[];
  failure_percent: string;
  seconds: string;
  minutes: string;
  channel_ids: string[];
  quiet_period_minutes: string;
  enabled: boolean;
};

/** The contract's defaults for a new rule; an existing rule's own values when editing. */
export function initialRuleForm(rule?: AlertRule, channelIds: string[] = []): RuleFormState {
  const p = rule?.params ?? {};
  return {
    name: rule?.name ?? '',
    kind: rule?.kind ?? 'source_unhealthy',
    allSources: !p.source_ids,
    source_ids: p.source_ids ?? [],
    failure_percent: String(p.failure_percent ?? 10),
    seconds: String(p.seconds ?? 60),
    minutes: String(p.minutes ?? 10),
    channel_ids: rule?.channel_ids ?? channelIds,
    quiet_period_minutes: String(rule?.quiet_period_minutes ?? 60),
    enabled: rule?.enabled ?? true,
  };
}

type ThresholdField = 'failure_percent' | 'seconds' | 'minutes';

/** The one number some kinds have: its field, range (the API's) and unit. */
export const THRESHOLDS: Partial<
  Record<AlertRuleKind, { field: ThresholdField; min: number; max: number; unit: string; label: string; hint: string }>
> = {
  run_failed: {
    field: 'failure_percent',
    min: 1,
    max: 100,
    unit: 'percent',
    label: 'Failed deliveries (% of the run)',
    hint: 'A run with at least this share of its deliveries failed after every retry fires.',
  },
  no_worker: {
    field: 'seconds',
    min: 30,
    max: 3600,
    unit: 'seconds',
    label: 'No worker for (seconds)',
    hint: 'Workers report every few seconds; 60 s rides out a restart.',
  },
  queue_backlog: {
    field: 'minutes',
    min: 1,
    max: 1440,
    unit: 'minutes',
    label: 'Waiting longer than (minutes)',
    hint: 'How long the oldest delivery may wait to be sent.',
  },
};

const usesSources = (kind: AlertRuleKind) => kind === 'source_unhealthy' || kind === 'run_failed';

/** What is wrong with the form, per field; empty when it may be sent. */
export function checkRuleForm(state: RuleFormState): Partial<Record<RuleField, string>> {
  const { kind } = state;
  const threshold = THRESHOLDS[kind];
  const thresholdError = (field: ThresholdField) =>
    threshold?.field === field ? rangeError(state[field], threshold.min, threshold.max, threshold.unit) : undefined;
  return definedErrors<RuleField>({
    name: nameError(state.name),
    kind: undefined,
    source_ids:
      usesSources(kind) && !state.allSources && state.source_ids.length === 0
        ? 'Choose at least one source, or every source'
        : undefined,
    failure_percent: thresholdError('failure_percent'),
    seconds: thresholdError('seconds'),
    minutes: thresholdError('minutes'),
    channel_ids: state.channel_ids.length === 0 ? 'Choose at least one channel to notify' : undefined,
    quiet_period_minutes: rangeError(state.quiet_period_minutes, 0, 1440, 'minutes'),
  });
}

function paramsOf(state: RuleFormState): AlertRuleParams {
  const source_ids = state.allSources ? null : state.source_ids;
  switch (state.kind) {
    case 'source_unhealthy':
      return { source_ids };
    case 'run_failed':
      return { failure_percent: wholeNumber(state.failure_percent) ?? 0, source_ids };
    case 'no_worker':
      return { seconds: wholeNumber(state.seconds) ?? 0 };
    case 'queue_backlog':
      return { minutes: wholeNumber(state.minutes) ?? 0 };
    case 'webhook_disabled':
      return {};
  }
}

/**
 * The request body of a checked form: only the chosen kind's parameters; a kind only when the rule
 * is new (it cannot change afterwards), enabled only then too (the table switches it).
 */
export function ruleBody(state: RuleFormState, editing: boolean): RuleBody {
  const body: RuleBody = {
    name: state.name.trim(),
    params: paramsOf(state),
    channel_ids: state.channel_ids,
    quiet_period_minutes: wholeNumber(state.quiet_period_minutes) ?? 0,
  };
  return editing ? body : { ...body, kind: state.kind, enabled: state.enabled };
}

/**
 * The API names a parameter's error `params.seconds`; the form has a field per parameter, so the
 * error moves to that field ("params.source_ids.0" to source_ids).
 */
export function placeParamErrors(err: unknown): unknown {
  if (!(err instanceof ApiError) || !Array.isArray(err.details)) return err;
  const details = (err.details as unknown[]).map((d) => {
    if (!d || typeof d !== 'object' || typeof (d as { path?: unknown }).path !== 'string') return d;
    const issue = d as { path: string; message: string };
    return issue.path.startsWith('params.') ? { ...issue, path: issue.path.slice('params.'.length) } : issue;
  });
  return new ApiError(err.status, err.code, err.message, details);
}
