import { useId } from 'react';

/** A form section: title and explanation beside a card of fields, as settings pages lay them out. */
export function Section({
  title,
  description,
  children,
}: {
  title: string;
  description: string;
  children: React.ReactNode;
}) {
  return (
    <section className="grid gap-4 md:grid-cols-3 md:gap-8">
      <div>
        <h2 className="text-base font-semibold text-slate-900">{title}</h2>
        <p className="mt-1 text-sm text-slate-600">{description}</p>
      </div>
      <div className="card space-y-4 p-5 md:col-span-2">{children}</div>
    </section>
  );
}

/**
 * A checkbox or radio button with its label and, under it, an explanation that screen readers
 * read as its description rather than as part of its name.
 */
export function Choice({
  type = 'checkbox',
  name,
  label,
  hint,
  checked,
  disabled = false,
  onChange,
}: {
  type?: 'checkbox' | 'radio';
  name?: string;
  label: string;
  hint?: string;
  checked: boolean;
  /** Shown but not choosable (the hint says why). */
  disabled?: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="flex items-start gap-3 text-sm">
      <input
        id={id}
        type={type}
        name={name}
        className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300 accent-brand-600"
        aria-describedby={hint ? `${id}-hint` : undefined}
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
      />
      <div>
        <label htmlFor={id} className={`font-medium ${disabled ? 'text-slate-500' : 'text-slate-700'}`}>
          {label}
        </label>
        {hint && (
          <p id={`${id}-hint`} className="text-xs text-slate-500">
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}
