'use client';

import { useFormSubmit } from '@/lib/client/use-form-submit';
import { Dialog, DialogActions, FormAlert } from './dialog-client';

/** A yes/no question before something that cannot simply be undone. Focus starts on Cancel. */
export function ConfirmDialog({
  open,
  title,
  description,
  confirmLabel,
  pendingLabel,
  danger = false,
  onClose,
  onConfirm,
}: {
  open: boolean;
  title: string;
  description: React.ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  danger?: boolean;
  onClose: () => void;
  onConfirm: () => Promise<void>;
}) {
  return (
    <Dialog open={open} onClose={onClose} title={title} description={description}>
      <ConfirmForm
        confirmLabel={confirmLabel}
        pendingLabel={pendingLabel}
        danger={danger}
        onClose={onClose}
        onConfirm={onConfirm}
      />
    </Dialog>
  );
}

function ConfirmForm({
  confirmLabel,
  pendingLabel,
  danger,
  onClose,
  onConfirm,
}: {
  confirmLabel: string;
  pendingLabel: string;
  danger: boolean;
  onClose: () => void;
  onConfirm: () => Promise<void>;
}) {
  const { pending, errors, submit } = useFormSubmit([]);
  return (
    <form
      method="post"
      onSubmit={(event) => {
        event.preventDefault();
        void submit(onConfirm);
      }}
    >
      <FormAlert message={errors.message} />
      <DialogActions>
        <button type="button" className="btn-secondary" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button type="submit" className={danger ? 'btn-danger' : 'btn-primary'} disabled={pending}>
          {pending ? pendingLabel : confirmLabel}
        </button>
      </DialogActions>
    </form>
  );
}
