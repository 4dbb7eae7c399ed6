/**
 * A list filter's From and To day fields, each bounded by the other; `invalid` marks To when the
 * range is reversed (the page says why beside it). An empty field is ''.
 */
export function DateRangeFields({
  idPrefix,
  from,
  to,
  invalid,
  onFrom,
  onTo,
}: {
  idPrefix: string;
  from: string;
  to: string;
  invalid: boolean;
  onFrom: (day: string) => void;
  onTo: (day: string) => void;
}) {
  return (
    <>
      <div>
        <label htmlFor={`${idPrefix}-from`} className="label">
          From
        </label>
        <input
          id={`${idPrefix}-from`}
          type="date"
          className="input"
          value={from}
          max={to || undefined}
          onChange={(e) => onFrom(e.target.value)}
        />
      </div>
      <div>
        <label htmlFor={`${idPrefix}-to`} className="label">
          To
        </label>
        <input
          id={`${idPrefix}-to`}
          type="date"
          className="input"
          aria-invalid={invalid}
          value={to}
          min={from || undefined}
          onChange={(e) => onTo(e.target.value)}
        />
      </div>
    </>
  );
}
