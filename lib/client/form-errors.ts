import type { ZodError } from 'zod';
import { ApiError } from './api-fetch';

/** What a form shows after a failed submit: messages next to fields, and one for the form itself. */
export type FormErrors<F extends string = string> = { fields: Partial<Record<F, string>>; message: string | null };

export const NO_ERRORS: FormErrors<never> = { fields: {}, message: null };

// Schema messages are written to follow a field name ("name: is required"); under a label they read as sentences.
const sentence = (text: string) => (text === 'is required' ? 'Required' : text.charAt(0).toUpperCase() + text.slice(1));

function collect<F extends string>(
  issues: { path: string; message: string }[],
  fields: readonly F[],
  fallback: string,
): FormErrors<F> {
  const result: FormErrors<F> = { fields: {}, message: null };
  const unplaced: string[] = [];
  for (const issue of issues) {
    const field = fields.find((f) => f === issue.path.split('.')[0]);
    if (!field) unplaced.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
    else result.fields[field] ??= sentence(issue.message);
  }
  if (unplaced.length > 0) result.message = sentence(unplaced.join('; '));
  else if (Object.keys(result.fields).length === 0) result.message = fallback;
  return result;
}

/** Client-side check with the API's own schema, before a round-trip. */
export function formErrorsFromZod<F extends string>(error: ZodError, fields: readonly F[]): FormErrors<F> {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  return collect(issues, fields, 'Check the form and try again.');
}

/**
 * Maps an API error onto the form: validation details go next to their fields, codes listed in
 * `fieldForCode` (such as email_taken) next to that field, anything else to the form message.
 */
export function formErrorsFromApi<F extends string>(
  err: unknown,
  fields: readonly F[],
  fieldForCode: Partial<Record<string, F>> = {},
): FormErrors<F> {
  if (!(err instanceof ApiError)) {
    return { fields: {}, message: 'Could not reach the server. Check your connection and try again.' };
  }
  if (err.code === 'validation_failed' && Array.isArray(err.details)) {
    return collect(err.details as { path: string; message: string }[], fields, sentence(err.message));
  }
  const field = fieldForCode[err.code];
  if (field) return { fields: { [field]: sentence(err.message) } as Partial<Record<F, string>>, message: null };
  return { fields: {}, message: sentence(err.message) };
}
