/**
 * Rules every piece of user text obeys, shared by the route wrapper (web) and the payload builder
 * (worker). Pure functions: no Next, no database.
 */

/**
 * C0 controls other than tab, line feed and carriage return, and DEL. PostgreSQL cannot store
 * U+0000 at all (a 500 deep in a query), and the rest are invisible in every view we render, so a
 * name can look like another; tab and line breaks are ordinary text in a CSV file or a message.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** `__proto__` as a key assigns a prototype; the other two reach one by walking a path. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

export const CONTROL_CHARACTER_MESSAGE =
  'must not contain control characters (U+0000 to U+001F other than tab and line breaks, or U+007F)';

export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

export type InputIssue = { path: string; message: string };

// Enough to name every problem of a form; a hostile body with thousands gets a short answer.
const MAX_ISSUES = 20;

/**
 * Every string value and object key in parsed JSON (or a query or params object) that holds a
 * control character, and every `__proto__` key, with the dotted path to it. JSON.parse keeps a
 * `__proto__` key as an own property, but any later `{...}` copy or `obj[key] = value` turns it
 * into a prototype, so it is refused where it enters rather than trusted to every copy after.
 */
export function findHostileInput(value: unknown): InputIssue[] {
  const issues: InputIssue[] = [];
  const visit = (v: unknown, path: string[]) => {
    if (issues.length >= MAX_ISSUES) return;
    if (typeof v === 'string') {
      if (hasControlCharacter(v)) issues.push({ path: path.join('.'), message: CONTROL_CHARACTER_MESSAGE });
      return;
    }
    if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) visit(item, [...path, String(i)]);
      return;
    }
    if (v === null || typeof v !== 'object') return;
    for (const key of Object.keys(v)) {
      const at = [...path, key];
      if (key === '__proto__') issues.push({ path: at.join('.'), message: 'is not allowed as a key' });
      else if (hasControlCharacter(key)) {
        issues.push({ path: [...path, JSON.stringify(key)].join('.'), message: `key ${CONTROL_CHARACTER_MESSAGE}` });
      } else visit((v as Record<string, unknown>)[key], at);
    }
  };
  visit(value, []);
  return issues.slice(0, MAX_ISSUES);
}
