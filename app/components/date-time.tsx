import { type DateTimeFormat, LocalDateTime } from './date-time-client';

/** A timestamp in the reader's locale and time zone, the zone named; the full time in its title. */
export function DateTime({
  value,
  empty = '—',
  format,
}: {
  value: string | null;
  empty?: string;
  format?: DateTimeFormat;
}) {
  if (!value) return <span className="text-slate-500">{empty}</span>;
  return <LocalDateTime value={value} format={format} />;
}
