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
// A moment minutes away (a retry, the end of a pause): the time to the second, the zone named.
const TIME_PARTS: Intl.DateTimeFormatOptions = {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
};
export type DateTimeFormat = 'date-time' | 'time';
const LOCAL: Record<DateTimeFormat, Intl.DateTimeFormat> = {
  'date-time': new Intl.DateTimeFormat(undefined, PARTS),
  time: new Intl.DateTimeFormat(undefined, TIME_PARTS),
};
const SERVER: Record<DateTimeFormat, Intl.DateTimeFormat> = {
  'date-time': new Intl.DateTimeFormat('en-GB', { ...PARTS, timeZone: 'UTC' }),
  time: new Intl.DateTimeFormat('en-GB', { ...TIME_PARTS, timeZone: 'UTC' }),
};

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
 * A timestamp in the reader's time zone (`format="time"`: the time of day to the second, for moments
 * minutes away), with the zone named ("6 Dec 2026, 16:05 CET" or
 * "Dec 6, 2026, 04:05 PM GMT+1" as the locale writes it). Only the browser knows that zone, so the
 * server's render holds the text's place invisibly instead of showing the server's zone first.
 */
export function LocalDateTime({ value, format = 'date-time' }: { value: string; format?: DateTimeFormat }) {
  const inBrowser = useInBrowser();
  const date = new Date(value);
  if (!inBrowser) {
    return (
      <time dateTime={value} title={value} className="invisible">
        {SERVER[format].format(date)}
      </time>
    );
  }
  const zone = LOCAL[format].resolvedOptions().timeZone;
  return (
    <time dateTime={value} title={`${value} (shown in ${zone.replace(/_/g, ' ')})`}>
      {LOCAL[format].format(date)}
    </time>
  );
}
