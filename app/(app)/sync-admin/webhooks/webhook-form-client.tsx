'use client';

import { useState } from 'react';
import type { SigningMode } from '@/db/types';
import type { ZodType } from 'zod';
import { FormActions, FormAlert } from '@/app/components/dialog-client';
import { Field, FieldError, TextField } from '@/app/components/field';
import type { WebhookEventType } from '@/db/types';
import { useFormSubmit } from '@/lib/client/use-form-submit';
import { WEBHOOK_EVENT_TYPES } from '@/lib/webhooks/schemas';
import { SIGNING_MODE_LABELS } from '../sources/labels';
import { EVENTS } from './labels';

const FIELDS = ['name', 'description', 'url', 'events', 'signing_mode'] as const;

export type WebhookFormValues = {
  name: string;
  description: string;
  url: string;
  events: WebhookEventType[];
  signing_mode: SigningMode;
};

/** The endpoint's fields, for adding one and for editing it; checked with the API's own schema first. */
export function WebhookForm<S extends ZodType>({
  initial,
  schema,
  label,
  pendingLabel,
  onCancel,
  onSubmit,
}: {
  initial: WebhookFormValues;
  schema: S;
  label: string;
  pendingLabel: string;
  onCancel: () => void;
  onSubmit: (input: WebhookFormValues) => Promise<void>;
}) {
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [url, setUrl] = useState(initial.url);
  const [events, setEvents] = useState<WebhookEventType[]>(initial.events);
  const [signingMode, setSigningMode] = useState<SigningMode>(initial.signing_mode);
  const { pending, errors, submitValid, clearFieldError } = useFormSubmit(FIELDS);

  const toggle = (event: WebhookEventType) =>
    setEvents((current) => (current.includes(event) ? current.filter((e) => e !== event) : [...current, event]));

  return (
    <form
      method="post"
      onChange={clearFieldError}
      noValidate
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const values = { name, description, url, events, signing_mode: signingMode };
        submitValid(schema, values, () => onSubmit(values));
      }}
    >
      <FormAlert message={errors.message} />
      <TextField label="Name" name="name" maxLength={200} error={errors.fields.name} value={name} onChange={setName} />
      <TextField
        label="Description (optional)"
        name="description"
        maxLength={1000}
        error={errors.fields.description}
        hint="What receives these events and who to ask about it."
        value={description}
        onChange={setDescription}
      />
      <TextField
        label="URL"
        name="url"
        maxLength={2000}
        error={errors.fields.url}
        hint="https:// in production; the request has a 10 s timeout and redirects are not followed."
        value={url}
        onChange={setUrl}
      />
      <fieldset aria-describedby={errors.fields.events ? 'webhook-events-error' : undefined}>
        <legend className="label">Events</legend>
        <div className="space-y-2">
          {WEBHOOK_EVENT_TYPES.map((event) => (
            <label key={event} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                name="events"
                className="mt-1"
                checked={events.includes(event)}
                onChange={() => toggle(event)}
              />
              <span>
                <span className="font-medium text-slate-900">{EVENTS[event].label}</span>{' '}
                <code className="text-xs text-slate-500">{event}</code>
                <span className="block text-xs text-slate-500">{EVENTS[event].hint}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldError id="webhook-events-error" message={errors.fields.events} />
      </fieldset>
      <Field
        label="Signature scheme"
        hint={
          signingMode === 'standard'
            ? 'webhook-id, webhook-timestamp and webhook-signature, verified by any Standard Webhooks library.'
            : 'X-ATS-Signature: v1=hex HMAC-SHA256 of “timestamp.body”, plus the Standard Webhooks headers keyed with the same secret.'
        }
        error={errors.fields.signing_mode}
      >
        {(control) => (
          <select
            {...control}
            name="signing_mode"
            className="input"
            value={signingMode}
            onChange={(e) => setSigningMode(e.target.value as SigningMode)}
          >
            {Object.entries(SIGNING_MODE_LABELS).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FormActions onCancel={onCancel} pending={pending} label={label} pendingLabel={pendingLabel} />
    </form>
  );
}

/** The receiver's side of the signature, shown with every secret. */
export function SignatureHint({ mode }: { mode: SigningMode }) {
  const code = 'rounded bg-slate-100 px-1 py-0.5 text-xs';
  return (
    <p className="text-sm text-slate-600">
      Requests are signed the Standard Webhooks way (<code className={code}>webhook-id</code>,{' '}
      <code className={code}>webhook-timestamp</code>, <code className={code}>webhook-signature</code>): verify them
      with this secret and any Standard Webhooks library, which also refuses a timestamp more than 5 minutes away.
      {mode === 'legacy' && (
        <>
          {' '}
          This endpoint also gets <code className={code}>X-ATS-Signature: v1=…</code>, the hex HMAC-SHA256 of
          “timestamp.body” with this secret, as before.
        </>
      )}
    </p>
  );
}
