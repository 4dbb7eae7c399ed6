'use client';

import Link from 'next/link';
import { useState } from 'react';
import { Dialog, FormActions, FormAlert } from '@/app/components/dialog-client';
import { RowAction } from '@/app/components/row-action';
import { useCanWrite } from '@/app/components/write-access-client';
import { ApiError } from '@/lib/client/api-fetch';

/**
 * Edit, switch on or off, and delete: the actions of a row in the sources and schedules lists. A
 * viewer gets only a View link to the same page, read only, and none of the writing `children`.
 */
export function ManageRowActions({
  name,
  editHref,
  toggleLabel,
  onToggle,
  onDelete,
  children,
}: {
  name: string;
  editHref: string;
  toggleLabel: string;
  onToggle: () => void;
  onDelete: () => void;
  children?: React.ReactNode;
}) {
  if (!useCanWrite()) {
    return (
      <div className="flex justify-end gap-1 whitespace-nowrap">
        <Link href={editHref} className="btn-ghost px-2.5 py-1.5">
          View<span className="sr-only"> {name}</span>
        </Link>
      </div>
    );
  }
  return (
    <div className="flex justify-end gap-1 whitespace-nowrap">
      {children}
      <Link href={editHref} className="btn-ghost px-2.5 py-1.5">
        Edit<span className="sr-only"> {name}</span>
      </Link>
      <RowAction label={toggleLabel} subject={name} onClick={onToggle} />
      <RowAction label="Delete" subject={name} danger onClick={onDelete} />
    </div>
  );
}

/** Asks before deleting `item`; focus starts on Cancel, and a failure is shown in the dialog. */
export function ConfirmDeleteDialog<T extends { name: string }>({
  item,
  what,
  description,
  onClose,
  onDelete,
}: {
  item: T | null;
  what: string;
  description: string;
  onClose: () => void;
  onDelete: (item: T) => Promise<void>;
}) {
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    if (!item) return;
    setPending(true);
    setMessage(null);
    try {
      await onDelete(item);
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : 'Could not reach the server. Try again.');
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog
      open={!!item}
      onClose={onClose}
      title={item ? `Delete ${item.name}?` : `Delete ${what}`}
      description={description}
    >
      <form method="post" onSubmit={onSubmit}>
        <FormAlert message={message} />
        <FormActions
          onCancel={onClose}
          pending={pending}
          label={`Delete ${what}`}
          pendingLabel="Deleting…"
          tone="danger"
        />
      </form>
    </Dialog>
  );
}
