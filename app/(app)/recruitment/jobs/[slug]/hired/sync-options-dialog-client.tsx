'use client';

import { useId, useState } from 'react';
import { Badge } from '@/app/components/badge';
import { Dialog, FormActions, FormAlert } from '@/app/components/dialog-client';
import type { StartSyncInput } from '@/lib/sync/schemas';
import type { SyncStateSource } from '@/lib/sync/sync-state-schemas';
import { type ConnectorNames, connectorLabel, HEALTH_WARNING } from './sync-text';

type Props = {
  open: boolean;
  onClose: () => void;
  sources: SyncStateSource[];
  hired: number;
  selectedIds: string[];
  onStart: (input: Partial<StartSyncInput>) => void;
  connectorNames: ConnectorNames;
};

/** Which sources, which candidates and whether to re-send unchanged ones; the defaults are "everything, once". */
export function SyncOptionsDialog({ open, onClose, sources, hired, selectedIds, onStart, connectorNames }: Props) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Sync options"
      description="Choose where to send and whom. By default every hired candidate goes to every active source."
    >
      <SyncOptionsForm
        sources={sources}
        hired={hired}
        selectedIds={selectedIds}
        onStart={onStart}
        onCancel={onClose}
        connectorNames={connectorNames}
      />
    </Dialog>
  );
}

function SyncOptionsForm({
  sources,
  hired,
  selectedIds,
  onStart,
  onCancel,
  connectorNames,
}: Omit<Props, 'open' | 'onClose'> & { onCancel: () => void }) {
  const [chosen, setChosen] = useState(() => new Set(sources.map((s) => s.id)));
  const [scope, setScope] = useState<'all' | 'selected'>(selectedIds.length > 0 ? 'selected' : 'all');
  const [force, setForce] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const forceHintId = useId();

  function toggle(id: string, on: boolean) {
    setChosen((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (chosen.size === 0) {
      setError('Choose at least one source.');
      return;
    }
    onStart({
      // Leaving the lists out means "all", which also covers sources added meanwhile.
      source_ids: chosen.size === sources.length ? undefined : sources.filter((s) => chosen.has(s.id)).map((s) => s.id),
      candidate_ids: scope === 'selected' ? selectedIds : undefined,
      force,
    });
  }

  return (
    <form method="post" onSubmit={submit} noValidate>
      <FormAlert message={error} />
      <fieldset>
        <legend className="label">Sources</legend>
        <div className="divide-y divide-slate-100 rounded-md border border-slate-200">
          {sources.map((s) => {
            const warning = HEALTH_WARNING[s.health_status];
            return (
              <label key={s.id} className="flex cursor-pointer items-center gap-3 px-3 py-2.5 hover:bg-slate-50">
                <input
                  type="checkbox"
                  className="h-4 w-4 rounded border-slate-300 accent-brand-600"
                  checked={chosen.has(s.id)}
                  onChange={(e) => toggle(s.id, e.target.checked)}
                />
                <span className="min-w-0 flex-1">
                  <span className="block truncate text-sm font-medium text-slate-900">{s.name}</span>
                  <span className="block text-xs text-slate-500">{connectorLabel(connectorNames, s.connector)}</span>
                </span>
                {warning && <Badge tone={warning.tone}>{warning.label}</Badge>}
              </label>
            );
          })}
        </div>
      </fieldset>

      <fieldset className="mt-5">
        <legend className="label">Candidates</legend>
        <div className="space-y-2">
          <label className="flex items-center gap-3 text-sm text-slate-800">
            <input
              type="radio"
              name="scope"
              className="h-4 w-4 accent-brand-600"
              checked={scope === 'all'}
              onChange={() => setScope('all')}
            />
            All hired candidates ({hired})
          </label>
          <label
            className={`flex items-center gap-3 text-sm ${selectedIds.length ? 'text-slate-800' : 'text-slate-500'}`}
          >
            <input
              type="radio"
              name="scope"
              className="h-4 w-4 accent-brand-600"
              checked={scope === 'selected'}
              disabled={selectedIds.length === 0}
              onChange={() => setScope('selected')}
            />
            {selectedIds.length
              ? `Only the ${selectedIds.length} selected in the table`
              : 'Only selected candidates (select them in the table first)'}
          </label>
        </div>
      </fieldset>

      <div className="mt-5 flex items-start gap-3">
        <input
          id={`${forceHintId}-force`}
          type="checkbox"
          className="mt-0.5 h-4 w-4 rounded border-slate-300 accent-brand-600"
          checked={force}
          aria-describedby={forceHintId}
          onChange={(e) => setForce(e.target.checked)}
        />
        <div>
          <label htmlFor={`${forceHintId}-force`} className="text-sm font-medium text-slate-800">
            Re-send unchanged candidates
          </label>
          <p id={forceHintId} className="text-xs text-slate-500">
            Normally a candidate a source already has with the same details is skipped.
          </p>
        </div>
      </div>

      <FormActions onCancel={onCancel} pending={false} label="Start sync" pendingLabel="Starting…" />
    </form>
  );
}
