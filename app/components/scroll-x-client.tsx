'use client';

import { useCallback, useEffect, useRef, useState } from 'react';

type Props = {
  /** Names the scrolling region for screen readers, e.g. the table's caption. */
  label: string;
  /** The visible words of the "more" button, e.g. "More columns". */
  cue: string;
  /** The colour under the box, so the fades blend into it. */
  surface?: 'card' | 'page';
  /** Where the "more" button sits: at the top for a table (its middle may be off screen), centred for a strip. */
  cuePosition?: 'top' | 'center';
  /** A fade on the left edge too; off where the first column stays put (sticky), as it would cover it. */
  fadeStart?: boolean;
  /** Runs once the box has its size, e.g. to bring the current tab into view. */
  onReady?: (box: HTMLDivElement) => void;
  children: React.ReactNode;
};

const FADE = { card: 'from-white', page: 'from-slate-50' } as const;

/**
 * A box that scrolls sideways inside itself, so a wide table or a long tab strip never widens the
 * page. While more lies beyond an edge, a fade on that edge and a "more" button say so: phones
 * hide scrollbars, and a column cut off at a cell border looks like the last one.
 */
export function ScrollX({
  label,
  cue,
  surface = 'card',
  cuePosition = 'top',
  fadeStart = true,
  onReady,
  children,
}: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [edges, setEdges] = useState({ start: false, end: false });

  const measure = useCallback(() => {
    const box = ref.current;
    if (!box) return;
    // One pixel of slack: zoomed layouts leave fractional scroll positions.
    const start = box.scrollLeft > 1;
    const end = box.scrollLeft + box.clientWidth < box.scrollWidth - 1;
    setEdges((prev) => (prev.start === start && prev.end === end ? prev : { start, end }));
  }, []);

  // Columns arrive after the first paint (a posting's sources load on their own), so the content's
  // size is watched too, not only the box's.
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    for (const child of Array.from(box.children)) observer.observe(child);
    measure();
    return () => observer.disconnect();
  }, [measure]);

  useEffect(() => {
    if (ref.current) onReady?.(ref.current);
  }, [onReady]);

  const scrollable = edges.start || edges.end;
  const fade = FADE[surface];
  return (
    <div className="relative">
      <div
        ref={ref}
        onScroll={measure}
        // Positioned, so absolutely placed content (screen-reader-only text) scrolls and clips with the rest.
        className="relative overflow-x-auto"
        // A box that scrolls must be reachable by keyboard to be scrolled with the arrow keys, and
        // then it needs a name.
        {...(scrollable ? { role: 'region', 'aria-label': label, tabIndex: 0 } : {})}
      >
        {children}
      </div>
      {fadeStart && edges.start && (
        <div
          aria-hidden="true"
          className={`pointer-events-none absolute inset-y-0 left-0 z-20 w-8 bg-gradient-to-r ${fade} to-transparent`}
        />
      )}
      {edges.end && (
        <>
          <div
            aria-hidden="true"
            className={`pointer-events-none absolute inset-y-0 right-0 z-20 w-16 bg-gradient-to-l ${fade} to-transparent`}
          />
          <button
            type="button"
            onClick={() => ref.current?.scrollBy({ left: ref.current.clientWidth * 0.8, behavior: 'smooth' })}
            className={`absolute right-1.5 z-20 inline-flex items-center gap-1 rounded-full bg-white px-2.5 py-1 text-xs font-medium text-brand-700 shadow-sm ring-1 ring-slate-200 hover:bg-slate-50 ${
              cuePosition === 'top' ? 'top-1.5' : 'top-1/2 -translate-y-1/2'
            }`}
          >
            {cue}
            <span aria-hidden="true">→</span>
          </button>
        </>
      )}
    </div>
  );
}
