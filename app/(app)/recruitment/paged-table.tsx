import { useState } from 'react';

/**
 * Keyset pages can only be walked forward, so the cursors of the pages already seen are kept
 * to step back. Changing a filter must `reset()` to the first page.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    cursor: cursors.at(-1),
    pageNumber: cursors.length + 1,
    next: (cursor: string) => setCursors((c) => [...c, cursor]),
    previous: () => setCursors((c) => c.slice(0, -1)),
    reset: () => setCursors([]),
  };
}

type PagerProps = {
  label: string;
  pageNumber: number;
  pageSize: number;
  shown: number;
  nextCursor: string | null;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
};

export function Pager({ label, pageNumber, pageSize, shown, nextCursor, onNext, onPrevious }: PagerProps) {
  if (pageNumber === 1 && !nextCursor) return null;
  const first = (pageNumber - 1) * pageSize + 1;
  return (
    <nav aria-label={label} className="flex items-center justify-between gap-4 border-t border-slate-200 px-4 py-3">
      <p className="text-sm text-slate-600" aria-live="polite">
        {shown > 0 ? (
          <>
            Showing <span className="font-medium tabular-nums">{first}</span>–
            <span className="font-medium tabular-nums">{first + shown - 1}</span>
          </>
        ) : (
          'No more results'
        )}
      </p>
      <div className="flex gap-2">
        <button type="button" className="btn-secondary" onClick={onPrevious} disabled={pageNumber === 1}>
          Previous
        </button>
        <button
          type="button"
          className="btn-secondary"
          onClick={() => nextCursor && onNext(nextCursor)}
          disabled={!nextCursor}
        >
          Next
        </button>
      </div>
    </nav>
  );
}
