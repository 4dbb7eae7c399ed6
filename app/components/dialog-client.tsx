'use client';

import { useEffect, useId, useRef } from 'react';

type DialogProps = {
  open: boolean;
  onClose: () => void;
  /**
   * Escape and the × button ask to leave through this instead of onClose, so a dialog can ask
   * first (a secret not yet copied); the dialog stays open unless it ends in onClose.
   */
  onDismiss?: () => void;
  title: string;
  description?: React.ReactNode;
  /** `lg` for dialogs that show lists, such as a sync's progress and failures. */
  size?: 'md' | 'lg';
  children: React.ReactNode;
};

// The last element that had focus: a button that disables itself on click (such as "Sync to
// Sources" while it starts a sync) drops focus to <body> before the dialog it opens can see it.
let lastFocused: WeakRef<HTMLElement> | null = null;
let trackingFocus = false;
function trackFocus() {
  if (trackingFocus) return;
  trackingFocus = true;
  document.addEventListener(
    'focusin',
    (event) => {
      if (event.target instanceof HTMLElement && event.target !== document.body) {
        lastFocused = new WeakRef(event.target);
      }
    },
    true,
  );
}

function openerOf(dialog: HTMLDialogElement): HTMLElement | null {
  const active = document.activeElement;
  const candidate = active instanceof HTMLElement && active !== document.body ? active : lastFocused?.deref();
  return candidate && !dialog.contains(candidate) ? candidate : null;
}

function canTakeFocus(element: HTMLElement | null): element is HTMLElement {
  return !!element && element.isConnected && !element.matches(':disabled') && !element.closest('[inert]');
}

/**
 * Gives focus back to what opened the dialog; when that is gone (its row was deleted) or cannot
 * take focus, to the page's heading, so keyboard users carry on from the top of the page rather
 * than from <body>.
 */
function returnFocus(opener: HTMLElement | null) {
  if (canTakeFocus(opener)) return opener.focus();
  const heading = document.querySelector<HTMLElement>('main h1') ?? document.querySelector<HTMLElement>('h1');
  if (!heading) return;
  if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
  heading.focus();
}

/**
 * A modal on the native <dialog>: the browser traps focus and closes on Escape. On open, focus goes
 * to the element marked `data-autofocus`, else the first field; on close, however it closes, back
 * to the opener (see returnFocus). The content mounts only while open, so every form starts fresh.
 */
export function Dialog({ open, onClose, onDismiss, title, description, size = 'md', children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const openerRef = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(trackFocus, []);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      openerRef.current = openerOf(dialog);
      dialog.showModal();
      const target =
        dialog.querySelector<HTMLElement>('[data-autofocus]') ??
        dialog.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea');
      target?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  const dismiss = onDismiss ?? onClose;

  return (
    <dialog
      ref={ref}
      onCancel={(event) => {
        if (!onDismiss) return;
        event.preventDefault();
        onDismiss();
      }}
      onClose={() => {
        const opener = openerRef.current;
        openerRef.current = null;
        returnFocus(opener);
        onClose();
      }}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      className={`m-auto w-[calc(100%-2rem)] ${size === 'lg' ? 'max-w-2xl' : 'max-w-lg'} rounded-lg bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50`}
    >
      {open && (
        <div className="p-6">
          <div className="flex items-start justify-between gap-4">
            <h2 id={titleId} className="text-lg font-semibold tracking-tight">
              {title}
            </h2>
            <button type="button" onClick={dismiss} className="btn-ghost -mr-2 -mt-1 px-2 py-1" aria-label="Close">
              <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 fill-current">
                <path d="M4.3 4.3a1 1 0 0 1 1.4 0L10 8.6l4.3-4.3a1 1 0 1 1 1.4 1.4L11.4 10l4.3 4.3a1 1 0 0 1-1.4 1.4L10 11.4l-4.3 4.3a1 1 0 0 1-1.4-1.4L8.6 10 4.3 5.7a1 1 0 0 1 0-1.4z" />
              </svg>
            </button>
          </div>
          {description && (
            <div id={descriptionId} className="mt-1 text-sm text-slate-600">
              {description}
            </div>
          )}
          <div className="mt-5">{children}</div>
        </div>
      )}
    </dialog>
  );
}

/** The button row at the bottom of a dialog. */
export function DialogActions({ children }: { children: React.ReactNode }) {
  return <div className="mt-6 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">{children}</div>;
}

type FormActionsProps = {
  onCancel: () => void;
  pending: boolean;
  label: string;
  pendingLabel: string;
  tone?: 'primary' | 'danger';
};

/**
 * Cancel and submit for a dialog's form. A danger form is a confirmation: focus starts on Cancel
 * so that Enter pressed out of habit does not destroy anything.
 */
export function FormActions({ onCancel, pending, label, pendingLabel, tone = 'primary' }: FormActionsProps) {
  return (
    <DialogActions>
      <button
        type="button"
        className="btn-secondary"
        onClick={onCancel}
        data-autofocus={tone === 'danger' || undefined}
      >
        Cancel
      </button>
      <button type="submit" className={tone === 'danger' ? 'btn-danger' : 'btn-primary'} disabled={pending}>
        {pending ? pendingLabel : label}
      </button>
    </DialogActions>
  );
}

/** A form-level error inside a dialog, announced to screen readers. */
export function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
      {message}
    </div>
  );
}
