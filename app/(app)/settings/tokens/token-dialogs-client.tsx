'use client';

import { useEffect, useRef, useState } from 'react';
import { Dialog, DialogActions, FormActions, FormAlert } from '@/app/components/dialog-client';
import { Field, TextField } from '@/app/components/field';
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
  const [created, setCreated] = useState<CreatedToken | null>(null);
  // Forget the clear token as soon as the dialog closes: it is shown once.
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title={created ? 'Copy your new token' : 'Create API token'}
      description={created ? undefined : 'The token acts as you, with your role, until it expires or you revoke it.'}
    >
      {created ? (
        <RevealToken created={created} onDone={close} />
      ) : (
        <CreateTokenForm onCancel={close} onCreate={async (input) => setCreated(await onCreate(input))} />
      )}
    </Dialog>
  );
}

type CreateFormProps = { onCancel: () => void; onCreate: (input: CreateTokenInput) => Promise<void> };

function CreateTokenForm({ onCancel, onCreate }: CreateFormProps) {
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState<ExpiryChoice>(DEFAULT_EXPIRY);
  const [date, setDate] = useState('');
  const { pending, errors, setErrors, submitValid } = useFormSubmit(CREATE_FIELDS);

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const expiresAt = expiresAtFor(expiry, date);
    if ('error' in expiresAt) return setErrors({ fields: { expires_at: expiresAt.error }, message: null });
    submitValid(createTokenSchema, { name, expires_at: expiresAt.value }, onCreate);
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
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
  const inputRef = useRef<HTMLInputElement>(null);
  const copyRef = useRef<HTMLButtonElement>(null);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'manual'>('idle');

  // The form that had focus is gone; keep focus inside the dialog, on the one thing to do next.
  useEffect(() => copyRef.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopyState('copied');
    } catch {
      // The clipboard API needs a secure context; over plain http the user copies by hand.
      inputRef.current?.select();
      setCopyState('manual');
    }
  }

  return (
    <div className="space-y-4">
      <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        <strong className="font-semibold">Copy this token now.</strong> It won’t be shown again. If you lose it, revoke
        it and create a new one.
      </div>
      <div>
        <label htmlFor="new-token" className="label">
          Token “{created.record.name}”
        </label>
        <div className="flex gap-2">
          <input
            ref={inputRef}
            id="new-token"
            readOnly
            value={created.token}
            onFocus={(e) => e.currentTarget.select()}
            className="input font-mono text-xs"
            spellCheck={false}
          />
          <button ref={copyRef} type="button" className="btn-secondary shrink-0" onClick={copy}>
            {copyState === 'copied' ? 'Copied' : 'Copy'}
          </button>
        </div>
        <p className="mt-1 text-xs text-slate-500" aria-live="polite">
          {copyState === 'copied' && 'Copied to the clipboard.'}
          {copyState === 'manual' && 'Selected: press Ctrl+C (⌘C on a Mac) to copy.'}
        </p>
      </div>
      <p className="text-sm text-slate-600">
        Send it in the header <code className="rounded bg-slate-100 px-1 py-0.5 text-xs">Authorization: Bearer …</code>
      </p>
      <DialogActions>
        <button type="button" className="btn-primary" onClick={onDone}>
          I’ve copied it
        </button>
      </DialogActions>
    </div>
  );
}

type RevokeProps<T> = { token: T; onClose: () => void; onRevoke: (token: PublicToken) => Promise<void> };

export function RevokeTokenDialog({ token, onClose, onRevoke }: RevokeProps<PublicToken | null>) {
  return (
    <Dialog
      open={!!token}
      onClose={onClose}
      title={token ? `Revoke “${token.name}”?` : 'Revoke token?'}
      description="Anything that uses this token loses access at once. This cannot be undone."
    >
      {token && <RevokeTokenForm token={token} onClose={onClose} onRevoke={onRevoke} />}
    </Dialog>
  );
}

function RevokeTokenForm({ token, onClose, onRevoke }: RevokeProps<PublicToken>) {
  const { pending, errors, submit } = useFormSubmit([]);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit(() => onRevoke(token));
      }}
    >
      <FormAlert message={errors.message} />
      <FormActions onCancel={onClose} pending={pending} label="Revoke token" pendingLabel="Revoking…" tone="danger" />
    </form>
  );
}
