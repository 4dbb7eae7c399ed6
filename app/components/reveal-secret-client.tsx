'use client';

import { useEffect, useRef, useState } from 'react';
import { Dialog, DialogActions } from './dialog-client';

type RevealSecretProps = {
  id: string;
  label: string;
  value: string;
  /** What was created, said in the warning: "Copy this token now." */
  noun: string;
  /** What to do when it is lost. */
  lost: string;
  children?: React.ReactNode;
  onDone: () => void;
};

/** A secret shown once after it was created: copy button, a fallback for plain http, and a clear warning. */
export function RevealSecret({ id, label, value, noun, lost, children, onDone }: RevealSecretProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const copyRef = useRef<HTMLButtonElement>(null);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'manual'>('idle');

  // The form that had focus is gone; keep focus inside the dialog, on the one thing to do next.
  useEffect(() => copyRef.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
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
        <strong className="font-semibold">Copy this {noun} now.</strong> It won’t be shown again. {lost}
      </div>
      <div>
        <label htmlFor={id} className="label">
          {label}
        </label>
        <div className="flex gap-2">
          <input
            ref={inputRef}
            id={id}
            readOnly
            value={value}
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
      {children}
      <DialogActions>
        <button type="button" className="btn-primary" onClick={onDone}>
          I’ve copied it
        </button>
      </DialogActions>
    </div>
  );
}

/**
 * A dialog that creates something with a secret: the form first, then the secret shown once. The
 * created thing (and so the secret) is forgotten as soon as the dialog closes.
 */
export function CreateWithSecretDialog<T>({
  open,
  onClose,
  title,
  revealTitle,
  description,
  form,
  reveal,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  revealTitle: string;
  description: string;
  form: (onCreated: (created: T) => void, close: () => void) => React.ReactNode;
  reveal: (created: T, close: () => void) => React.ReactNode;
}) {
  const [created, setCreated] = useState<T | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title={created ? revealTitle : title}
      description={created ? undefined : description}
    >
      {created ? reveal(created, close) : form(setCreated, close)}
    </Dialog>
  );
}
