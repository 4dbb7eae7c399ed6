import { type FormEvent, useState } from 'react';
import type { ZodType, z } from 'zod';
import { type FormErrors, NO_ERRORS, formErrorsFromApi, formErrorsFromZod } from './form-errors';

/**
 * Pending and error state for a form that calls the API: `submit` runs the action and maps a
 * failure onto the form's fields (see formErrorsFromApi).
 */
export function useFormSubmit<F extends string>(fields: readonly F[], fieldForCode: Partial<Record<string, F>> = {}) {
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<FormErrors<F>>(NO_ERRORS);

  async function submit(action: () => Promise<void>): Promise<void> {
    setPending(true);
    setErrors(NO_ERRORS);
    try {
      await action();
    } catch (err) {
      setErrors(formErrorsFromApi(err, fields, fieldForCode));
    } finally {
      setPending(false);
    }
  }

  /** Checks the input with the API's own schema first, so that field errors show without a round-trip. */
  function submitValid<S extends ZodType>(schema: S, input: unknown, action: (data: z.output<S>) => Promise<void>) {
    const parsed = schema.safeParse(input);
    if (!parsed.success) return setErrors(formErrorsFromZod(parsed.error, fields));
    void submit(() => action(parsed.data));
  }

  /**
   * For the form's onChange (change events bubble): editing a field removes that field's error, so
   * a "Required" does not stay next to a name that has since been typed. Fields match by `name`.
   */
  function clearFieldError(event: FormEvent<HTMLFormElement>) {
    const name = (event.target as { name?: unknown }).name;
    if (typeof name !== 'string') return;
    setErrors((current) => {
      if (!(name in current.fields)) return current;
      const fields = { ...current.fields };
      delete fields[name as F];
      return { ...current, fields };
    });
  }

  return { pending, errors, setErrors, submit, submitValid, clearFieldError };
}
