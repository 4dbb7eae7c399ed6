import Link from 'next/link';

/** Back link, title and actions of the add and edit pages. */
export function SourcePageHeader({
  title,
  description,
  children,
}: {
  title: React.ReactNode;
  description: React.ReactNode;
  children?: React.ReactNode;
}) {
  return (
    <div>
      <Link href="/sync-admin/sources" className="text-sm font-medium text-brand-700 hover:underline">
        ← All sources
      </Link>
      <div className="mt-2 flex flex-wrap items-end justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
          <div className="mt-1 text-sm text-slate-600">{description}</div>
        </div>
        {children}
      </div>
    </div>
  );
}
