import { useEffect, useState } from 'react';

/**
 * The current time, renewed every `everyMs`, so durations of open incidents keep counting; null
 * while rendering on the server and hydrating, whose clocks differ from the browser's.
 */
export function useNow(everyMs: number): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
