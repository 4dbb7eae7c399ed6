const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const NUMBER = /^\d{1,2}$/;

function clock(minute: string, hour: string): string | null {
  if (!NUMBER.test(minute) || !NUMBER.test(hour)) return null;
  const m = Number(minute);
  const h = Number(hour);
  if (m > 59 || h > 23) return null;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

function dayOfWeek(field: string): string | null {
  const lower = field.toLowerCase();
  const index = NUMBER.test(lower) ? Number(lower) % 7 : DAY_NAMES.indexOf(lower);
  return index >= 0 && index < 7 ? DAYS[index] : null;
}

/**
 * The common shapes of a five-field cron expression in words ("Weekdays at 08:00"), or null when
 * the expression is anything else and is better shown as it is.
 */
export function describeCron(cron: string): string | null {
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5) return null;
  const [minute, hour, dom, month, dow] = parts;
  if (month !== '*') return null;
  if (hour === '*' && dom === '*' && dow === '*') {
    if (minute === '*') return 'Every minute';
    const every = /^\*\/(\d{1,2})$/.exec(minute);
    if (every) return Number(every[1]) === 1 ? 'Every minute' : `Every ${Number(every[1])} minutes`;
    if (NUMBER.test(minute) && Number(minute) < 60)
      return Number(minute) === 0 ? 'Every hour' : `Every hour at :${minute.padStart(2, '0')}`;
    return null;
  }
  const at = clock(minute, hour);
  if (!at) return null;
  if (dom === '*' && dow === '*') return `Every day at ${at}`;
  if (dom === '*' && /^(1-5|mon-fri)$/i.test(dow)) return `Weekdays at ${at}`;
  if (dom === '*' && /^(0,6|6,0|sat,sun|sun,sat)$/i.test(dow)) return `Weekends at ${at}`;
  if (dom === '*') {
    const day = dayOfWeek(dow);
    return day ? `Every ${day} at ${at}` : null;
  }
  if (dow === '*' && NUMBER.test(dom) && Number(dom) >= 1 && Number(dom) <= 31)
    return `Monthly on day ${Number(dom)} at ${at}`;
  return null;
}
