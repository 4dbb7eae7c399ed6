/** What a list shows when it has nothing in it: a heading, a line on what to do, and an action. */
export function EmptyState({
  title,
  description,
  children,
}: {
  title: React.ReactNode;
  description?: React.ReactNode;
  /** A button or link that fills the list (or clears the filters that emptied it). */
  children?: React.ReactNode;
}) {
  return (
    <div className="px-6 py-14 text-center">
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      {description && <p className="mx-auto mt-1 max-w-md text-sm text-slate-600">{description}</p>}
      {children && <div className="mt-5">{children}</div>}
    </div>
  );
}
