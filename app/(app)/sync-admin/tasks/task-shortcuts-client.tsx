'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { Dialog, DialogActions } from '@/app/components/dialog-client';

export const SHORTCUTS: { keys: string[]; action: string }[] = [
  { keys: ['j'], action: 'Next run' },
  { keys: ['k'], action: 'Previous run' },
  { keys: ['Enter'], action: 'Open the selected run' },
  { keys: ['/'], action: 'Search by task id or candidate email' },
  { keys: ['?'], action: 'Show these shortcuts' },
];

/** Where a typed letter belongs to the control, not to a shortcut. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

// Enter on these already does something of its own.
const ACTS_ON_ENTER = 'a, button, summary, input, select, textarea';

/**
 * j/k move a selection through the runs of the page (focusing the run's link, so Enter opens it
 * and screen readers follow), Enter opens the selected run, / goes to the search field, ? lists
 * the shortcuts. Nothing happens while typing, with a modifier held, or under an open dialog.
 */
export function useTaskShortcuts(taskIds: string[], searchId: string) {
  const router = useRouter();
  const [activeId, setActiveId] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  // The listener is registered once; these refs give it the current rows and selection.
  const ids = useRef(taskIds);
  const active = useRef(activeId);
  ids.current = taskIds;
  active.current = activeId;

  useEffect(() => {
    function select(id: string) {
      setActiveId(id);
      const link = document.querySelector<HTMLElement>(`[data-task-row="${id}"] a[href]`);
      link?.focus();
      link?.closest('tr')?.scrollIntoView({ block: 'nearest' });
    }

    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
      const list = ids.current;
      const index = active.current ? list.indexOf(active.current) : -1;
      if (event.key === 'j' || event.key === 'k') {
        if (list.length === 0) return;
        event.preventDefault();
        const next =
          index === -1 ? 0 : event.key === 'j' ? Math.min(index + 1, list.length - 1) : Math.max(index - 1, 0);
        select(list[next]);
      } else if (event.key === 'Enter') {
        if (index === -1 || (event.target instanceof Element && event.target.closest(ACTS_ON_ENTER))) return;
        event.preventDefault();
        router.push(`/sync-admin/tasks/${list[index]}`);
      } else if (event.key === '/') {
        event.preventDefault();
        document.getElementById(searchId)?.focus();
      } else if (event.key === '?') {
        event.preventDefault();
        setHelpOpen(true);
      }
    }

    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [router, searchId]);

  return { activeId: activeId && taskIds.includes(activeId) ? activeId : null, helpOpen, setHelpOpen };
}

/** The visible pointer to the shortcuts, a button for those who would rather click. */
export function ShortcutsHint({ onOpen }: { onOpen: () => void }) {
  return (
    <button
      type="button"
      className="rounded py-1 text-xs leading-5 text-slate-600 hover:text-slate-900"
      onClick={onOpen}
    >
      Press <kbd className="rounded border border-slate-300 bg-white px-1.5 py-0.5 font-mono text-slate-700">?</kbd> for
      keyboard shortcuts
    </button>
  );
}

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts" description="On the list of sync runs.">
      <dl className="divide-y divide-slate-100 text-sm">
        {SHORTCUTS.map((s) => (
          <div key={s.action} className="flex items-center justify-between gap-4 py-2">
            <dt className="text-slate-700">{s.action}</dt>
            <dd>
              {s.keys.map((k) => (
                <kbd
                  key={k}
                  className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs text-slate-800"
                >
                  {k}
                </kbd>
              ))}
            </dd>
          </div>
        ))}
      </dl>
      <DialogActions>
        <button type="button" className="btn-secondary" data-autofocus onClick={onClose}>
          Close
        </button>
      </DialogActions>
    </Dialog>
  );
}
