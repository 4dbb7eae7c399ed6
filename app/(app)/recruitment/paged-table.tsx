import { useState } from 'react';
import { ScrollX } from '@/app/components/scroll-x-client';

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

export type PagerProps = {
  label: string;
  pages: ReturnType<typeof useCursorPages>;
  pageSize: number;
  shown: number;
  nextCursor: string | null;
};

function Pager({ label, pages, pageSize, shown, nextCursor }: PagerProps) {
  const { pageNumber } = pages;
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
        <button type="button" className="btn-secondary" onClick={pages.previous} disabled={pageNumber === 1}>
          Previous
        </button>
        <button
          type="button"
          className="btn-secondary"
          onClick={() => nextCursor && pages.next(nextCursor)}
          disabled={!nextCursor}
        >
          Next
        </button>
      </div>
    </nav>
  );
}

/**
 * A page of a list as a table in a card, with the pager under it. `empty` replaces the table
 * when there is nothing to show (loading, no rows, no match). A table wider than the card scrolls
 * inside it; `stickyStart` says its first columns stay put (they carry the `sticky` cells).
 */
export function PagedTable({
  caption,
  busy,
  empty,
  head,
  children,
  pager,
  stickyStart = false,
}: {
  caption: string;
  busy: boolean;
  empty: React.ReactNode;
  head: React.ReactNode;
  children: React.ReactNode;
  pager: PagerProps;
  stickyStart?: boolean;
}) {
  return (
    <div className="card overflow-hidden">
      {empty ?? (
        <ScrollX label={caption} cue="More columns" fadeStart={!stickyStart}>
          <table className="table" aria-busy={busy}>
            <caption className="sr-only">{caption}</caption>
            <thead className="bg-slate-50">
              <tr>{head}</tr>
            </thead>
            <tbody className="divide-y divide-slate-100">{children}</tbody>
          </table>
        </ScrollX>
      )}
      <Pager {...pager} />
    </div>
  );
}
