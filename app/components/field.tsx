import { useId } from 'react';

export type FieldControlProps = {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
};

type FieldProps = {
  label: string;
  error?: string;
  hint?: React.ReactNode;
  children: (control: FieldControlProps) => React.ReactNode;
};

/** Label, control, hint and error wired together for screen readers; the control comes from `children`. */
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      {children({ id, 'aria-invalid': !!error, 'aria-describedby': describedBy })}
      {error && <FieldError id={errorId} message={error} />}
      {hint && !error && (
        <p id={hintId} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      )}
    </div>
  );
}

/**
 * A field's error, announced when it appears (focus then moves to the field, which names it in its
 * description). Also for errors that belong to a group of controls rather than one field.
 */
export function FieldError({ id, message }: { id?: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className="field-error">
      {message}
    </p>
  );
}

type TextFieldProps = Omit<FieldProps, 'children'> & {
  name: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email';
  maxLength?: number;
};

/** The common case of Field: a plain text input that browsers should not autofill. */
export function TextField({ name, value, onChange, type = 'text', maxLength, ...field }: TextFieldProps) {
  return (
    <Field {...field}>
      {(control) => (
        <input
          {...control}
          name={name}
          type={type}
          autoComplete="off"
          maxLength={maxLength}
          className="input"
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

type NumberFieldProps = Omit<FieldProps, 'children'> & {
  name: string;
  value: string;
  onChange: (value: string) => void;
  /** Whole numbers between these; the form checks them again. */
  min?: number;
  max?: number;
  /** As wide as a few digits rather than the whole column. */
  narrow?: boolean;
};

/** A number typed as text (the form checks it), with the numeric keyboard on phones. */
export function NumberField({ name, value, onChange, min, max, narrow = false, ...field }: NumberFieldProps) {
  return (
    <Field {...field}>
      {(control) => (
        <input
          {...control}
          name={name}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={min === undefined ? undefined : 1}
          className={`input tabular-nums ${narrow ? 'max-w-40' : ''}`}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
