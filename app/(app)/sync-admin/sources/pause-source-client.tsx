'use client';

import { useState } from 'react';
import { Badge } from '@/app/components/badge';
import { DateTime } from '@/app/components/date-time';
import { Dialog, FormActions, FormAlert } from '@/app/components/dialog-client';
import { TextField } from '@/app/components/field';
import { ApiError } from '@/lib/client/api-fetch';
import type { PublicSource } from '@/lib/sources/schemas';

/** Paused until someone resumes it (by an admin, or for refused credentials); a Retry-After pause ends by itself. */
export const isHeld = (source: PublicSource) => source.pause?.kind === 'admin' || source.pause?.kind === 'auth_failed';

/** The source's pause in force, in words: who paused it, since when and why. Nothing when it is not paused. */
export function PauseState({ source, className = 'text-xs' }: { source: PublicSource; className?: string }) {
  const pause = source.pause;
  if (!pause) return null;
  const who =
    pause.kind === 'auth_failed'
      ? 'Paused: credentials refused'
      : pause.kind === 'admin'
        ? 'Paused by an admin'
        : 'Paused by the target';
  return (
    <div className={`${className} space-y-0.5`} data-testid="source-pause">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={pause.kind === 'auth_failed' ? 'red' : 'amber'}>{who}</Badge>
        <span className="text-slate-600">
          since <DateTime value={pause.since} />
          {pause.until && (
            <>
              {' '}
              until <DateTime value={pause.until} format="time" />
            </>
          )}
        </span>
      </div>
      <p className="break-words text-amber-800">{pause.reason}</p>
    </div>
  );
}

/**
 * Asks before pausing or resuming `source` (by what it is now), saying what happens. Pausing
 * takes an optional reason, shown on the source and in the progress of runs that wait for it.
 */
export function PauseSourceDialog({
  source,
  onClose,
  onPause,
  onResume,
}: {
  source: PublicSource | null;
  onClose: () => void;
  onPause: (source: PublicSource, reason: string | undefined) => Promise<void>;
  onResume: (source: PublicSource) => Promise<void>;
}) {
  const resuming = source ? isHeld(source) : false;
  return (
    <Dialog
      open={!!source}
      onClose={onClose}
      title={source ? `${resuming ? 'Resume' : 'Pause'} ${source.name}?` : 'Pause source'}
      description={
        resuming
          ? 'Deliveries waiting for it are sent now, in the runs they belong to. New deliveries go to it again.'
          : 'New and pending deliveries to it wait: nothing is sent and no attempt is counted. Runs that include it stay running and show its deliveries as paused until you resume it. To stop for good, deactivate it instead.'
      }
    >
      {source && (
        <PauseForm
          key={source.id}
          source={source}
          resuming={resuming}
          onClose={onClose}
          onPause={onPause}
          onResume={onResume}
        />
      )}
    </Dialog>
  );
}

function PauseForm({
  source,
  resuming,
  onClose,
  onPause,
  onResume,
}: {
  source: PublicSource;
  resuming: boolean;
  onClose: () => void;
  onPause: (source: PublicSource, reason: string | undefined) => Promise<void>;
  onResume: (source: PublicSource) => Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setMessage(null);
    try {
      if (resuming) await onResume(source);
      else await onPause(source, reason.trim() || undefined);
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : 'Could not reach the server. Try again.');
    } finally {
      setPending(false);
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4">
      <FormAlert message={message} />
      {resuming ? (
        source.pause && <p className="text-sm text-slate-700">Paused because: {source.pause.reason}</p>
      ) : (
        <TextField
          label="Reason (optional)"
          name="reason"
          value={reason}
          onChange={setReason}
          maxLength={500}
          hint="Shown on the source and in the progress of runs waiting for it."
        />
      )}
      <FormActions
        onCancel={onClose}
        pending={pending}
        label={resuming ? 'Resume source' : 'Pause source'}
        pendingLabel={resuming ? 'Resuming…' : 'Pausing…'}
      />
    </form>
  );
}
