'use client';

import { useSyncExternalStore } from 'react';

// timeZoneName cannot be combined with dateStyle/timeStyle, hence the parts one by one.
const PARTS: Intl.DateTimeFormatOptions = {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
};
const LOCAL = new Intl.DateTimeFormat(undefined, PARTS);
const SERVER = new Intl.DateTimeFormat('en-GB', { ...PARTS, timeZone: 'UTC' });

const noSubscription = () => () => {};

/** False while rendering on the server and hydrating, true in the browser after that. */
function useInBrowser(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/**
 * A timestamp in the reader's time zone, with the zone named ("6 Dec 2026, 16:05 CET" or
 * "Dec 6, 2026, 04:05 PM GMT+1" as the locale writes it). Only the browser knows that zone, so the
 * server's render holds the text's place invisibly instead of showing the server's zone first.
 */
export function LocalDateTime({ value }: { value: string }) {
  const inBrowser = useInBrowser();
  const date = new Date(value);
  if (!inBrowser) {
    return (
      <time dateTime={value} title={value} className="invisible">
        {SERVER.format(date)}
      </time>
    );
  }
  const zone = LOCAL.resolvedOptions().timeZone;
  return (
    <time dateTime={value} title={`${value} (shown in ${zone.replace(/_/g, ' ')})`}>
      {LOCAL.format(date)}
    </time>
  );
}
