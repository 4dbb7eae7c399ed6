'use client';

import { ConfirmDialog } from '@/app/components/confirm-dialog-client';

/** Closing a posting turns away new candidates at once, so it is asked for, naming the posting. */
export function ClosePostingDialog({
  title,
  onClose,
  onConfirm,
}: {
  /** The posting's title; null while the dialog is closed. */
  title: string | null;
  onClose: () => void;
  onConfirm: () => Promise<void>;
}) {
  return (
    <ConfirmDialog
      open={title !== null}
      title={title ? `Close “${title}”?` : ''}
      description="No new candidates can be added to it, by hand or by CSV, until it is reopened. Candidates already on it can still move between stages."
      confirmLabel="Close posting"
      pendingLabel="Closing…"
      danger
      onClose={onClose}
      onConfirm={onConfirm}
    />
  );
}
