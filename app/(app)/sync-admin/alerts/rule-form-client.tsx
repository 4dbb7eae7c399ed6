'use client';

import { useState } from 'react';
import { Dialog, FormActions, FormAlert } from '@/app/components/dialog-client';
import { FieldError, NumberField, TextField } from '@/app/components/field';
import { useFormSubmit } from '@/lib/client/use-form-submit';
import type { PublicSource } from '@/lib/sources/schemas';
import type { AlertChannel, AlertRule, AlertRuleKind, RuleBody } from '@/lib/swr/use-alerts';
import { Choice } from '../sources/form-section';
import { CHANNEL_KINDS } from './channel-form';
import { RULE_KIND_ORDER, RULE_KINDS } from './conditions';
import {
  checkRuleForm,
  initialRuleForm,
  placeParamErrors,
  RULE_FIELDS,
  type RuleFormState,
  ruleBody,
  THRESHOLDS,
} from './rule-form';

/** Adding a rule (`rule` null) or editing one, in a dialog. */
export function RuleDialog({
  open,
  rule,
  channels,
  sources,
  onClose,
  onSave,
}: {
  open: boolean;
  rule: AlertRule | null;
  channels: AlertChannel[];
  sources: PublicSource[];
  onClose: () => void;
  onSave: (body: RuleBody) => Promise<void>;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title={rule ? `Edit ${rule.name}` : 'New alert rule'}
      description="When the condition holds, each chosen channel gets one message, and another when it ends."
    >
      <RuleForm rule={rule} channels={channels} sources={sources} onCancel={onClose} onSave={onSave} />
    </Dialog>
  );
}

function RuleForm({
  rule,
  channels,
  sources,
  onCancel,
  onSave,
}: {
  rule: AlertRule | null;
  channels: AlertChannel[];
  sources: PublicSource[];
  onCancel: () => void;
  onSave: (body: RuleBody) => Promise<void>;
}) {
  // A new rule notifies every enabled channel unless told otherwise: usually there are one or two.
  const [state, setState] = useState<RuleFormState>(() => {
    const initial = initialRuleForm(
      rule ?? undefined,
      channels.filter((c) => c.enabled).map((c) => c.id),
    );
    return rule ? initial : { ...initial, name: RULE_KINDS[initial.kind].label };
  });
  const [nameTouched, setNameTouched] = useState(!!rule);
  const { pending, errors, setErrors, submit, clearFieldError } = useFormSubmit(RULE_FIELDS, { name_taken: 'name' });
  const set = (patch: Partial<RuleFormState>) => setState((s) => ({ ...s, ...patch }));
  const editing = !!rule;

  function chooseKind(kind: AlertRuleKind) {
    // Until a name is typed, the rule is named after what it watches.
    set(nameTouched ? { kind } : { kind, name: RULE_KINDS[kind].label });
  }

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const fields = checkRuleForm(state);
    if (Object.keys(fields).length > 0) return setErrors({ fields, message: null });
    void submit(async () => {
      try {
        await onSave(ruleBody(state, editing));
      } catch (err) {
        throw placeParamErrors(err);
      }
    });
  }

  const toggle = (list: string[], id: string, on: boolean) => (on ? [...list, id] : list.filter((x) => x !== id));
  const withSources = state.kind === 'source_unhealthy' || state.kind === 'run_failed';
  const threshold = THRESHOLDS[state.kind];

  return (
    <form method="post" noValidate onChange={clearFieldError} onSubmit={onSubmit} className="space-y-5">
      <FormAlert message={errors.message} />
      <TextField
        label="Name"
        name="name"
        maxLength={100}
        error={errors.fields.name}
        hint="Shown in every message, such as “Payroll source down”."
        value={state.name}
        onChange={(name) => {
          setNameTouched(true);
          set({ name });
        }}
      />

      {editing ? (
        <div>
          <p className="label">Alert when</p>
          <p className="text-sm text-slate-700">
            {RULE_KINDS[state.kind].label}: {RULE_KINDS[state.kind].hint}
          </p>
          <p className="mt-1 text-xs text-slate-500">The kind of a rule cannot change; add another rule instead.</p>
        </div>
      ) : (
        <fieldset>
          <legend className="label">Alert when</legend>
          <div className="space-y-2">
            {RULE_KIND_ORDER.map((kind) => (
              <Choice
                key={kind}
                type="radio"
                name="kind"
                label={RULE_KINDS[kind].label}
                hint={RULE_KINDS[kind].hint}
                checked={state.kind === kind}
                onChange={() => chooseKind(kind)}
              />
            ))}
          </div>
        </fieldset>
      )}

      {threshold && (
        <NumberField
          narrow
          label={threshold.label}
          name={threshold.field}
          min={threshold.min}
          max={threshold.max}
          value={state[threshold.field]}
          error={errors.fields[threshold.field]}
          hint={`${threshold.min} to ${threshold.max}. ${threshold.hint}`}
          onChange={(value) => set({ [threshold.field]: value })}
        />
      )}

      {withSources && (
        <fieldset>
          <legend className="label">Sources</legend>
          <div className="space-y-2">
            <Choice
              type="radio"
              name="sources"
              label="Every source"
              hint="Including sources added later."
              checked={state.allSources}
              onChange={() => set({ allSources: true })}
            />
            <Choice
              type="radio"
              name="sources"
              label="Chosen sources"
              checked={!state.allSources}
              onChange={() => set({ allSources: false })}
            />
          </div>
          {!state.allSources && (
            <div className="mt-3 space-y-2 pl-7">
              {sources.length === 0 && <p className="text-sm text-slate-500">There are no sources yet.</p>}
              {sources.map((source) => (
                <Choice
                  key={source.id}
                  name="source_ids"
                  label={source.is_active ? source.name : `${source.name} (inactive)`}
                  checked={state.source_ids.includes(source.id)}
                  onChange={(on) => set({ source_ids: toggle(state.source_ids, source.id, on) })}
                />
              ))}
              <FieldError message={errors.fields.source_ids} />
            </div>
          )}
        </fieldset>
      )}

      <fieldset>
        <legend className="label">Notify</legend>
        {channels.length === 0 ? (
          <p className="text-sm text-slate-600">
            There are no channels yet: add an email or Slack channel under Channels first.
          </p>
        ) : (
          <div className="space-y-2">
            {channels.map((channel) => (
              <Choice
                key={channel.id}
                name="channel_ids"
                label={`${channel.name} (${CHANNEL_KINDS[channel.kind]}${channel.enabled ? '' : ', disabled'})`}
                checked={state.channel_ids.includes(channel.id)}
                onChange={(on) => set({ channel_ids: toggle(state.channel_ids, channel.id, on) })}
              />
            ))}
          </div>
        )}
        <FieldError message={errors.fields.channel_ids} />
      </fieldset>

      <NumberField
        narrow
        label="Quiet period (minutes)"
        name="quiet_period_minutes"
        min={0}
        max={1440}
        value={state.quiet_period_minutes}
        error={errors.fields.quiet_period_minutes}
        hint="One outage sends one message, and a recovery message when it ends. If the same problem comes back within this many minutes of the last message, it counts as the same outage and sends nothing new, so a flapping source does not flood the channel. 0 to 1440; 0 sends every time."
        onChange={(quiet_period_minutes) => set({ quiet_period_minutes })}
      />

      {!editing && (
        <Choice
          name="enabled"
          label="Enabled"
          hint="A disabled rule is kept but not checked."
          checked={state.enabled}
          onChange={(enabled) => set({ enabled })}
        />
      )}

      <FormActions
        onCancel={onCancel}
        pending={pending}
        label={editing ? 'Save rule' : 'Add rule'}
        pendingLabel="Saving…"
      />
    </form>
  );
}
