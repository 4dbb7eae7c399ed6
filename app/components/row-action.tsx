/** A button in a table row; `subject` names the row for screen readers ("Edit" alone is ambiguous in a list). */
export function RowAction({
  label,
  subject,
  danger = false,
  onClick,
}: {
  label: string;
  subject: string;
  danger?: boolean;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      className={`btn-ghost px-2.5 py-1.5 ${danger ? 'text-red-700 hover:bg-red-50 hover:text-red-800' : ''}`}
    >
      {label}
      <span className="sr-only"> {subject}</span>
    </button>
  );
}
