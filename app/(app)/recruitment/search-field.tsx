/** A labelled search box; the caller debounces the value and goes back to the first page. */
export function SearchField({
  id,
  label,
  placeholder,
  value,
  onChange,
  className,
  hint,
}: {
  id: string;
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  className: string;
  /** Said under the box (and to screen readers) when what was typed cannot be searched yet. */
  hint?: string | null;
}) {
  return (
    <div className={className}>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <input
        id={id}
        type="search"
        className="input"
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={hint === undefined ? undefined : `${id}-hint`}
      />
      {/* Present from the start when the caller gives hints, so a screen reader hears it change. */}
      {hint !== undefined && (
        <p id={`${id}-hint`} className="mt-1 min-h-4 text-xs text-slate-600" aria-live="polite">
          {hint}
        </p>
      )}
    </div>
  );
}
