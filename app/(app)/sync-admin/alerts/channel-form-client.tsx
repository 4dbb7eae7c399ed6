'use client';

import { useId, useState } from 'react';
import { Dialog, FormActions, FormAlert } from '@/app/components/dialog-client';
import { Field, TextField } from '@/app/components/field';
import { useFormSubmit } from '@/lib/client/use-form-submit';
import { Choice } from '../sources/form-section';
import type { AlertChannel, AlertSettings, ChannelBody } from '@/lib/swr/use-alerts';
import {
  CHANNEL_FIELDS,
  type ChannelFormState,
  channelBody,
  checkChannelForm,
  initialChannelForm,
  MAX_ADDRESSES,
} from './channel-form';

/** How to turn email on, said wherever email is offered while the server cannot send it. */
export const EMAIL_SETUP =
  'Set SMTP_URL (such as smtps://user:password@smtp.example.com:465) and ALERT_EMAIL_FROM in the server’s environment and restart it.';

/** Adding a channel (`channel` null) or editing one, in a dialog. */
export function ChannelDialog({
  open,
  channel,
  email,
  onClose,
  onSave,
}: {
  open: boolean;
  channel: AlertChannel | null;
  /** Whether the server can send email; undefined while not known. */
  email: AlertSettings['email'] | undefined;
  onClose: () => void;
  onSave: (body: ChannelBody) => Promise<void>;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={channel ? `Edit ${channel.name}` : 'Add alert channel'}
      description="Where alert rules send their messages: email addresses or a Slack channel."
    >
      <ChannelForm channel={channel} email={email} onCancel={onClose} onSave={onSave} />
    </Dialog>
  );
}

function ChannelForm({
  channel,
  email,
  onCancel,
  onSave,
}: {
  channel: AlertChannel | null;
  email: AlertSettings['email'] | undefined;
  onCancel: () => void;
  onSave: (body: ChannelBody) => Promise<void>;
}) {
  const editing = !!channel;
  const emailOff = email?.configured === false;
  const [state, setState] = useState<ChannelFormState>(() => initialChannelForm(channel ?? undefined));
  const { pending, errors, setErrors, submit, clearFieldError } = useFormSubmit(CHANNEL_FIELDS, {
    name_taken: 'name',
    email_not_configured: 'kind',
  });
  const set = (patch: Partial<ChannelFormState>) => setState((s) => ({ ...s, ...patch }));
  const kindHintId = useId();

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const fields = checkChannelForm(state, editing);
    if (Object.keys(fields).length > 0) return setErrors({ fields, message: null });
    void submit(() => onSave(channelBody(state, editing)));
  }

  return (
    <form method="post" noValidate onChange={clearFieldError} onSubmit={onSubmit} className="space-y-5">
      <FormAlert message={errors.message} />
      <TextField
        label="Name"
        name="name"
        maxLength={100}
        error={errors.fields.name}
        hint="How rules and the page name it, such as “#alerts” or “On-call email”."
        value={state.name}
        onChange={(name) => set({ name })}
      />

      {!editing && (
        <fieldset aria-describedby={emailOff ? kindHintId : undefined}>
          <legend className="label">Type</legend>
          <div className="space-y-2">
            <Choice
              type="radio"
              name="kind"
              label="Slack"
              hint="An incoming webhook posts to one Slack channel."
              checked={state.kind === 'slack'}
              onChange={() => set({ kind: 'slack' })}
            />
            <Choice
              type="radio"
              name="kind"
              label="Email"
              hint={
                emailOff
                  ? 'Not available: email is not set up on this server.'
                  : 'Plain-text email to a list of addresses.'
              }
              disabled={emailOff}
              checked={state.kind === 'email'}
              onChange={() => set({ kind: 'email' })}
            />
          </div>
          {emailOff && (
            <p id={kindHintId} className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-800">
              To send alerts by email: {EMAIL_SETUP}
            </p>
          )}
          {errors.fields.kind && (
            <p role="alert" className="field-error">
              {errors.fields.kind}
            </p>
          )}
        </fieldset>
      )}

      {state.kind === 'email' ? (
        <Field
          label="Addresses"
          error={errors.fields.email_to}
          hint={`Up to ${MAX_ADDRESSES}, separated by commas or on separate lines.${
            email?.configured && email.from ? ` Sent from ${email.from}.` : ''
          }${editing && emailOff ? ` Email is not set up on this server: ${EMAIL_SETUP}` : ''}`}
        >
          {(control) => (
            <textarea
              {...control}
              name="email_to"
              rows={3}
              autoComplete="off"
              className="input"
              value={state.addresses}
              onChange={(e) => set({ addresses: e.target.value })}
            />
          )}
        </Field>
      ) : (
        <TextField
          label={editing ? 'New webhook URL (optional)' : 'Webhook URL'}
          name="slack_webhook_url"
          maxLength={2000}
          error={errors.fields.slack_webhook_url}
          hint={
            editing
              ? `Saved: ${channel?.slack_webhook_url ?? 'none'}. The URL is a secret and cannot be shown again: leave this empty to keep it, or paste a new one to replace it.`
              : 'In Slack: Apps → Incoming Webhooks → Add to Slack, pick the channel, copy the URL (https://hooks.slack.com/services/…). It is stored encrypted and shown masked afterwards.'
          }
          value={state.slack_webhook_url}
          onChange={(slack_webhook_url) => set({ slack_webhook_url })}
        />
      )}

      <FormActions
        onCancel={onCancel}
        pending={pending}
        label={editing ? 'Save channel' : 'Add channel'}
        pendingLabel="Saving…"
      />
    </form>
  );
}
