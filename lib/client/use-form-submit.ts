import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { ZodType, z } from 'zod';
import { type FormErrors, NO_ERRORS, formErrorsFromApi, formErrorsFromZod } from './form-errors';

// The form whose submit event is being handled. Errors set while a form submits move focus;
// errors set while typing (clearing a field's error) must not pull focus away from the field.
let submittingForm: HTMLFormElement | null = null;
// Installed as this module loads in the browser, before React hydrates the form, not in an effect:
// a submit that comes after the form hydrated but before its effects ran (a quick click on a page
// still loading, on a busy machine: React hydrates the clicked form at once to handle the event,
// its effects later) was not seen, so its errors showed without taking focus.
if (typeof document !== 'undefined') {
  document.addEventListener(
    'submit',
    (event) => {
      if (!(event.target instanceof HTMLFormElement)) return;
      submittingForm = event.target;
      // A task, not a microtask: microtasks run between the listeners of one event, React's included.
      setTimeout(() => {
        submittingForm = null;
      });
    },
    true,
  );
}

/**
 * The first place a keyboard or screen-reader user must go to fix the form: the first field marked
 * invalid, else the first control beside a field error that has no single field (a group of
 * checkboxes).
 */
function firstInvalid(form: HTMLFormElement): HTMLElement | null {
  const first = form.querySelector<HTMLElement>('[aria-invalid="true"], .field-error');
  if (!first?.classList.contains('field-error')) return first;
  return (
    first.parentElement?.querySelector<HTMLElement>('input:not([type=hidden]):not(:disabled), select, textarea') ?? null
  );
}

/**
 * Pending and error state for a form that calls the API: `submit` runs the action and maps a
 * failure onto the form's fields (see formErrorsFromApi). When a submit ends in field errors,
 * focus moves to the first invalid field, whose error (role=alert, see FieldError) is announced.
 */
export function useFormSubmit<F extends string>(fields: readonly F[], fieldForCode: Partial<Record<string, F>> = {}) {
  const [pending, setPending] = useState(false);
  const [errors, setErrorState] = useState<FormErrors<F>>(NO_ERRORS);
  const formRef = useRef<HTMLFormElement | null>(null);
  const focusPending = useRef(false);

  useEffect(() => {
    if (!focusPending.current) return;
    focusPending.current = false;
    const form = formRef.current;
    if (form?.isConnected && Object.keys(errors.fields).length > 0) firstInvalid(form)?.focus();
  }, [errors]);

  function setErrors(next: FormErrors<F>) {
    if (submittingForm) {
      formRef.current = submittingForm;
      focusPending.current = true;
    }
    setErrorState(next);
  }

  async function submit(action: () => Promise<void>): Promise<void> {
    formRef.current = submittingForm;
    setPending(true);
    setErrorState(NO_ERRORS);
    try {
      await action();
    } catch (err) {
      focusPending.current = formRef.current !== null;
      setErrorState(formErrorsFromApi(err, fields, fieldForCode));
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
    // The state setter itself, not setErrors: clearing an error while typing must not move focus.
    setErrorState((current) => {
      if (!(name in current.fields)) return current;
      const fields = { ...current.fields };
      delete fields[name as F];
      return { ...current, fields };
    });
  }

  return { pending, errors, setErrors, submit, submitValid, clearFieldError };
}
