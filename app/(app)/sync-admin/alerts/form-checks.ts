import { hasControlCharacter } from '@/lib/security/hostile-input';

/** A whole number typed in a field, or null when the text is not one. */
export function wholeNumber(text: string): number | null {
  return /^\s*\d{1,9}\s*$/.test(text) ? Number(text) : null;
}

/** The message for a whole number outside min..max (with its unit), or undefined when it fits. */
export function rangeError(text: string, min: number, max: number, unit: string): string | undefined {
  const value = wholeNumber(text);
  if (value === null || value < min || value > max) return `Enter a whole number of ${unit} from ${min} to ${max}`;
  return undefined;
}

/** The message for a name that is empty, too long or carries control characters. */
export function nameError(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return 'Required';
  if (trimmed.length > 100) return 'At most 100 characters';
  if (hasControlCharacter(trimmed)) return 'Must not contain control characters';
  return undefined;
}

/** Field errors with the undefined ones left out; empty when the form may be sent. */
export function definedErrors<F extends string>(errors: Record<F, string | undefined>): Partial<Record<F, string>> {
  const result: Partial<Record<F, string>> = {};
  for (const [field, message] of Object.entries(errors) as [F, string | undefined][]) {
    if (message) result[field] = message;
  }
  return result;
}
