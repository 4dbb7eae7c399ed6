const FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * A timestamp in the reader's locale and time zone. The server renders it in its own zone, so
 * the browser's text may differ at hydration; that difference is expected, not a bug.
 */
export function DateTime({ value, empty = '—' }: { value: string | null; empty?: string }) {
  if (!value) return <span className="text-slate-500">{empty}</span>;
  return (
    <time dateTime={value} title={value} suppressHydrationWarning>
      {FORMAT.format(new Date(value))}
    </time>
  );
}
