'use client';

import { useId, useState } from 'react';
import { ConfirmDialog } from '@/app/components/confirm-dialog-client';
import { DateTime } from '@/app/components/date-time';
import { FormActions, FormAlert } from '@/app/components/dialog-client';
import { Field, FieldError, TextField } from '@/app/components/field';
import { CreateWithSecretDialog, RevealSecret } from '@/app/components/reveal-secret-client';
import type { UserRole } from '@/db/types';
import { useFormSubmit } from '@/lib/client/use-form-submit';
import { type CreateTokenInput, type PublicToken, createTokenSchema } from '@/lib/tokens/schemas';
import { SCOPES, SCOPE_PRESETS, type Scope } from '@/lib/tokens/scopes';
import {
  DEFAULT_EXPIRY,
  EXPIRY_CHOICES,
  type ExpiryChoice,
  dateInputValue,
  expiresAtFor,
  latestExpiryDate,
} from './token-expiry';
import { includedByWrite, presetLabel, presetScopes, scopeGroups, toggleScope } from './token-scopes';

export type CreatedToken = { token: string; record: PublicToken };

const CREATE_FIELDS = ['name', 'scopes', 'expires_at'] as const;

export function CreateTokenDialog({
  open,
  onClose,
  onCreate,
  role,
}: {
  open: boolean;
  onClose: () => void;
  onCreate: (input: CreateTokenInput) => Promise<CreatedToken>;
  role: UserRole;
}) {
  return (
    <CreateWithSecretDialog<CreatedToken>
      open={open}
      onClose={onClose}
      title="Create API token"
      revealTitle="Copy your new token"
      description="The token acts as you, limited to the scopes you choose and never beyond your role, until it expires or you revoke it."
      form={(onCreated, close) => (
        <CreateTokenForm role={role} onCancel={close} onCreate={async (input) => onCreated(await onCreate(input))} />
      )}
      reveal={(created, close) => <RevealToken created={created} onDone={close} />}
    />
  );
}

type CreateFormProps = { role: UserRole; onCancel: () => void; onCreate: (input: CreateTokenInput) => Promise<void> };

function CreateTokenForm({ role, onCancel, onCreate }: CreateFormProps) {
  const [name, setName] = useState('');
  // Least privilege first: a new token starts read only.
  const [scopes, setScopes] = useState<Scope[]>(() => presetScopes('read', role));
  const [expiry, setExpiry] = useState<ExpiryChoice>(DEFAULT_EXPIRY);
  const [date, setDate] = useState('');
  const { pending, errors, setErrors, submitValid, clearFieldError } = useFormSubmit(CREATE_FIELDS);

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const expiresAt = expiresAtFor(expiry, date);
    if ('error' in expiresAt) return setErrors({ fields: { expires_at: expiresAt.error }, message: null });
    submitValid(createTokenSchema, { name, scopes, expires_at: expiresAt.value }, onCreate);
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
      <ScopePicker role={role} scopes={scopes} error={errors.fields.scopes} onChange={setScopes} />
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
              max={latestExpiryDate()}
              className="input"
              value={date}
              onChange={(e) => setDate(e.target.value)}
            />
          )}
        </Field>
      )}
      <FormActions onCancel={onCancel} pending={pending} label="Create token" pendingLabel="Creating…" />
    </form>
  );
}

/** Scopes by group as checkboxes, with the two presets; a write scope checks and locks its read scope. */
function ScopePicker({
  role,
  scopes,
  error,
  onChange,
}: {
  role: UserRole;
  scopes: Scope[];
  error: string | undefined;
  onChange: (scopes: Scope[]) => void;
}) {
  const id = useId();
  const preset = presetLabel(scopes, role);
  return (
    <fieldset aria-describedby={`${id}-hint`}>
      <legend className="label">Scopes</legend>
      <p id={`${id}-hint`} className="-mt-1 mb-2 text-xs text-slate-500">
        What the token may do. Write includes read. Your role ({role}) decides which scopes you can give.
      </p>
      <div className="mb-3 flex flex-wrap gap-2">
        {SCOPE_PRESETS.map((p) => (
          <button
            key={p.value}
            type="button"
            // The chosen preset looks chosen, as the stage filter on a posting does.
            className={`${preset === p.label ? 'btn bg-slate-900 text-white shadow-sm hover:bg-slate-800' : 'btn-secondary'} px-3 py-1 text-xs`}
            aria-pressed={preset === p.label}
            onClick={() => onChange(presetScopes(p.value, role))}
          >
            {p.label}
          </button>
        ))}
      </div>
      <div className="max-h-72 space-y-3 overflow-y-auto rounded-md border border-slate-200 p-3">
        {scopeGroups(role).map(({ group, scopes: inGroup }) => (
          <fieldset key={group}>
            <legend className="text-xs font-semibold uppercase tracking-wide text-slate-600">{group}</legend>
            <ul className="mt-1 space-y-1">
              {inGroup.map((scope) => {
                const locked = includedByWrite(scopes, scope);
                return (
                  <li key={scope}>
                    <label className="flex items-start gap-2 text-sm text-slate-800">
                      <input
                        type="checkbox"
                        name="scopes"
                        value={scope}
                        className="mt-0.5 h-4 w-4 rounded border-slate-300 accent-brand-600"
                        checked={scopes.includes(scope)}
                        disabled={locked}
                        onChange={(e) => onChange(toggleScope(scopes, scope, e.target.checked))}
                      />
                      <span className="min-w-0">
                        <code className="font-mono text-xs text-slate-900">{scope}</code>{' '}
                        <span className="text-slate-600">
                          {SCOPES[scope].label}
                          {locked && ' (included in write)'}
                        </span>
                      </span>
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
        ))}
      </div>
      <FieldError message={error} />
    </fieldset>
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
        Scopes: {created.record.scopes.join(', ')}. Expires <DateTime value={created.record.expires_at} empty="never" />
        .
      </p>
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
