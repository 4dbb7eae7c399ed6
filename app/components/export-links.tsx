/**
 * Download links for an export route: every row matching the page's filters, not only the page on
 * screen. Plain links, so the browser streams the file to disk under the server's file name with
 * the session cookie (a GET needs no CSRF token).
 */
export function ExportLinks({
  path,
  filters,
  what,
}: {
  path: string;
  filters: Record<string, string | undefined>;
  /** What the file holds, for screen readers: "the runs matching these filters". */
  what: string;
}) {
  const href = (format: 'csv' | 'jsonl') => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) if (value) search.set(key, value);
    search.set('format', format);
    return `${path}?${search}`;
  };
  return (
    <div className="flex items-center gap-2">
      <span className="text-sm text-slate-600" aria-hidden="true">
        Export
      </span>
      <a className="btn-secondary" href={href('csv')} download>
        <span className="sr-only">Download {what} as </span>CSV
      </a>
      <a className="btn-secondary" href={href('jsonl')} download>
        <span className="sr-only">Download {what} as </span>JSON Lines
      </a>
    </div>
  );
}
