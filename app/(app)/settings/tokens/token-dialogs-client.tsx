'use client';

import { useState } from 'react';
import { ConfirmDialog } from '@/app/components/confirm-dialog-client';
import { FormActions, FormAlert } from '@/app/components/dialog-client';
import { Field, TextField } from '@/app/components/field';
import { CreateWithSecretDialog, RevealSecret } from '@/app/components/reveal-secret-client';
import { useFormSubmit } from '@/lib/client/use-form-submit';
import { type CreateTokenInput, type PublicToken, createTokenSchema } from '@/lib/tokens/schemas';
import { DEFAULT_EXPIRY, EXPIRY_CHOICES, type ExpiryChoice, dateInputValue, expiresAtFor } from './token-expiry';

export type CreatedToken = { token: string; record: PublicToken };

const CREATE_FIELDS = ['name', 'expires_at'] as const;

export function CreateTokenDialog({
  open,
  onClose,
  onCreate,
}: {
  open: boolean;
  onClose: () => void;
  onCreate: (input: CreateTokenInput) => Promise<CreatedToken>;
}) {
  return (
    <CreateWithSecretDialog<CreatedToken>
      open={open}
      onClose={onClose}
      title="Create API token"
      revealTitle="Copy your new token"
      description="The token acts as you, with your role, until it expires or you revoke it."
      form={(onCreated, close) => (
        <CreateTokenForm onCancel={close} onCreate={async (input) => onCreated(await onCreate(input))} />
      )}
      reveal={(created, close) => <RevealToken created={created} onDone={close} />}
    />
  );
}

type CreateFormProps = { onCancel: () => void; onCreate: (input: CreateTokenInput) => Promise<void> };

function CreateTokenForm({ onCancel, onCreate }: CreateFormProps) {
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState<ExpiryChoice>(DEFAULT_EXPIRY);
  const [date, setDate] = useState('');
  const { pending, errors, setErrors, submitValid, clearFieldError } = useFormSubmit(CREATE_FIELDS);

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const expiresAt = expiresAtFor(expiry, date);
    if ('error' in expiresAt) return setErrors({ fields: { expires_at: expiresAt.error }, message: null });
    submitValid(createTokenSchema, { name, expires_at: expiresAt.value }, onCreate);
  }

  return (
    <form method="post" onChange={clearFieldError} onSubmit={onSubmit} noValidate className="space-y-4">
      <FormAlert message={errors.message} />
      <TextField
        label="Name"
        name="name"
        maxLength={100}
        error={errors.fields.name}
        hint="What uses it, e.g. “Nightly export script”."
        value={name}
        onChange={setName}
      />
      <Field label="Expires" error={expiry === 'custom' ? undefined : errors.fields.expires_at}>
        {(control) => (
          <select
            {...control}
            name="expiry"
            className="input"
            value={expiry}
            onChange={(e) => setExpiry(e.target.value as ExpiryChoice)}
          >
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {expiry === 'custom' && (
        <Field label="Last day it works" error={errors.fields.expires_at}>
          {(control) => (
            <input
              {...control}
              name="expires_on"
              type="date"
              min={dateInputValue(new Date())}
              className="input"
              value={date}
              onChange={(e) => setDate(e.target.value)}
            />
          )}
        </Field>
      )}
      {expiry === 'never' && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
          A token that never expires works until you revoke it. Prefer an expiry for anything you might forget.
        </p>
      )}
      <FormActions onCancel={onCancel} pending={pending} label="Create token" pendingLabel="Creating…" />
    </form>
  );
}

function RevealToken({ created, onDone }: { created: CreatedToken; onDone: () => void }) {
  return (
    <RevealSecret
      id="new-token"
      label={`Token “${created.record.name}”`}
      value={created.token}
      noun="token"
      lost="If you lose it, revoke it and create a new one."
      onDone={onDone}
    >
      <p className="text-sm text-slate-600">
        Send it in the header <code className="rounded bg-slate-100 px-1 py-0.5 text-xs">Authorization: Bearer …</code>
      </p>
    </RevealSecret>
  );
}

/** A yes/no question before revoking: the shared confirmation, with the token's name. */
export function RevokeTokenDialog({
  token,
  onClose,
  onRevoke,
}: {
  token: PublicToken | null;
  onClose: () => void;
  onRevoke: (token: PublicToken) => Promise<void>;
}) {
  return (
    <ConfirmDialog
      open={!!token}
      onClose={onClose}
      title={token ? `Revoke “${token.name}”?` : 'Revoke token?'}
      description="Anything that uses this token loses access at once. This cannot be undone."
      confirmLabel="Revoke token"
      pendingLabel="Revoking…"
      danger
      onConfirm={async () => {
        if (token) await onRevoke(token);
      }}
    />
  );
}
