'use client';

import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { Dialog, DialogActions } from './dialog-client';

/**
 * Whether leaving the dialog that shows a secret needs a second thought: set by
 * CreateWithSecretDialog, read by RevealSecret, which asks the question in place of its buttons.
 */
type SecretGuard = {
  asking: boolean;
  copied: () => void;
  goBack: () => void;
  leave: () => void;
};
const SecretGuardContext = createContext<SecretGuard | null>(null);

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
  const goBackRef = useRef<HTMLButtonElement>(null);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'manual'>('idle');
  const guard = useContext(SecretGuardContext);
  const asking = guard?.asking ?? false;

  // The form that had focus is gone; keep focus inside the dialog, on the one thing to do next.
  useEffect(() => copyRef.current?.focus(), []);
  // The question replaces the buttons that had focus, and going back removes it again: keep focus
  // on something that is there, "Go back" being the safe answer to Enter.
  const askedRef = useRef(false);
  useEffect(() => {
    if (asking) goBackRef.current?.focus();
    else if (askedRef.current) copyRef.current?.focus();
    askedRef.current = asking;
  }, [asking]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopyState('copied');
      guard?.copied();
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
      {asking && guard ? (
        <div role="alertdialog" aria-labelledby={`${id}-ask`} aria-describedby={`${id}-ask-more`}>
          <div className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            <p id={`${id}-ask`} className="font-semibold">
              Have you copied it?
            </p>
            <p id={`${id}-ask-more`}>It will not be shown again.</p>
          </div>
          <DialogActions>
            <button ref={goBackRef} type="button" className="btn-secondary" onClick={guard.goBack}>
              Go back
            </button>
            <button type="button" className="btn-danger" onClick={guard.leave}>
              Close anyway
            </button>
          </DialogActions>
        </div>
      ) : (
        <DialogActions>
          <button type="button" className="btn-primary" onClick={onDone}>
            I’ve copied it
          </button>
        </DialogActions>
      )}
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
  const [copied, setCopied] = useState(false);
  const [asking, setAsking] = useState(false);
  const close = () => {
    setCreated(null);
    setCopied(false);
    setAsking(false);
    onClose();
  };
  // Escape or × while the secret is shown and was not copied would lose it for good: ask first.
  const dismiss = () => (created && !copied ? setAsking(true) : close());
  const guard: SecretGuard = {
    asking,
    copied: () => setCopied(true),
    goBack: () => setAsking(false),
    leave: close,
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      onDismiss={dismiss}
      title={created ? revealTitle : title}
      description={created ? undefined : description}
    >
      <SecretGuardContext value={guard}>
        {created ? reveal(created, close) : form(setCreated, close)}
      </SecretGuardContext>
    </Dialog>
  );
}
