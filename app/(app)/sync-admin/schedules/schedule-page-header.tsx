import Link from 'next/link';

/** Back link and title of the add and edit pages. */
export function SchedulePageHeader({ title, description }: { title: string; description: React.ReactNode }) {
  return (
    <div>
      <Link href="/sync-admin/schedules" className="text-sm font-medium text-brand-700 hover:underline">
        ← All schedules
      </Link>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">{title}</h1>
      <div className="mt-1 text-sm text-slate-600">{description}</div>
    </div>
  );
}
