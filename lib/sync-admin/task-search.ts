import { AppError } from '@/lib/errors';

/**
 * What the tasks list's search box asked for. A task id, whole or its first characters (hyphens
 * where the id has them, or none; any case), becomes a range of ids the primary key answers; anything
 * else is a fragment of a candidate's email.
 */
export type TaskSearch = { kind: 'task'; from: string; to: string } | { kind: 'email'; fragment: string };

const HEX_PREFIX = /^[0-9a-f]{4,32}$/;
const HYPHENS = [8, 13, 18, 23];
/** Never in an email address or a task id: a search containing one cannot match and is refused. */
const NOT_SEARCHABLE = /[\s"(),:;<>[\]\\]/u;
/** Trigrams need three characters; a shorter fragment would read every candidate. */
export const MIN_FRAGMENT = 3;

function invalid(message: string): AppError {
  return new AppError('invalid_query', `q: ${message}`, [{ path: 'q', message }]);
}

function toUuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The hex digits of a task id's beginning, or null when `q` is not one (hyphens only where an id has them). */
function idDigits(q: string): string | null {
  if (q.includes('-')) {
    for (let i = 0; i < q.length; i++) {
      if ((q[i] === '-') !== HYPHENS.includes(i)) return null;
    }
  }
  const hex = q.replaceAll('-', '');
  return HEX_PREFIX.test(hex) ? hex : null;
}

export function parseTaskSearch(raw: string): TaskSearch {
  const q = raw.trim().toLowerCase();
  const bad = q.match(NOT_SEARCHABLE);
  if (bad) {
    const shown = /\s/u.test(bad[0]) ? 'a space' : `"${bad[0]}"`;
    throw invalid(`contains ${shown}, which is neither in a task id nor in an email address`);
  }
  if ([...q].length < MIN_FRAGMENT) throw invalid(`type at least ${MIN_FRAGMENT} characters`);
  const hex = idDigits(q);
  if (hex) {
    return { kind: 'task', from: toUuid(hex.padEnd(32, '0')), to: toUuid(hex.padEnd(32, 'f')) };
  }
  return { kind: 'email', fragment: q };
}
