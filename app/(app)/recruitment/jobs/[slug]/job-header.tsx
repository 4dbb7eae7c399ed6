import Link from 'next/link';
import { Badge } from '@/app/components/badge';
import type { PublicJob } from '@/lib/recruiting/schemas';
import { EMPLOYMENT_TYPE_LABELS } from '../../labels';

const TABS = [
  { key: 'candidates', label: 'Candidates', href: (slug: string) => `/recruitment/jobs/${slug}` },
  { key: 'hired', label: 'Hired candidates', href: (slug: string) => `/recruitment/jobs/${slug}/hired` },
] as const;

/** The posting's title, facts and the pages about it; `children` are the page's own actions. */
export function JobHeader({
  job,
  current,
  children,
}: {
  job: PublicJob;
  current: (typeof TABS)[number]['key'];
  children?: React.ReactNode;
}) {
  const facts = [job.department, job.location, job.employment_type && EMPLOYMENT_TYPE_LABELS[job.employment_type]]
    .filter(Boolean)
    .join(' · ');
  return (
    <header className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link
          href="/recruitment/jobs"
          className="text-slate-500 underline decoration-slate-300 underline-offset-4 hover:text-slate-800"
        >
          Job postings
        </Link>
        <span aria-hidden="true" className="mx-2 text-slate-500">
          /
        </span>
        <span className="text-slate-700">{job.title}</span>
      </nav>
      {/* From lg up the actions keep their place beside the title, however wide they grow (a
          "Last sync" pill): the title wraps within its own column instead. */}
      <div className="flex flex-wrap items-start justify-between gap-4 lg:flex-nowrap">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">
              {current === 'hired' ? `Hired candidates · ${job.title}` : job.title}
            </h1>
            <Badge tone={job.status === 'open' ? 'green' : 'gray'}>{job.status === 'open' ? 'Open' : 'Closed'}</Badge>
          </div>
          <p className="mt-1 text-sm text-slate-600">
            {facts && <>{facts} · </>}
            <span className="font-mono text-xs text-slate-500">{job.slug}</span>
          </p>
        </div>
        {children && <div className="flex flex-wrap items-center gap-2 lg:shrink-0">{children}</div>}
      </div>
      <nav aria-label="Posting pages" className="flex gap-1 border-b border-slate-200">
        {TABS.map((tab) => {
          const active = tab.key === current;
          const count = tab.key === 'hired' ? job.counts.hired : job.counts.total;
          return (
            <Link
              key={tab.key}
              href={tab.href(job.slug)}
              aria-current={active ? 'page' : undefined}
              className={`-mb-px inline-flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium ${
                active
                  ? 'border-brand-600 text-brand-700'
                  : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'
              }`}
            >
              {tab.label}
              <span className="rounded-full bg-slate-100 px-2 text-xs tabular-nums text-slate-600">{count}</span>
            </Link>
          );
        })}
      </nav>
    </header>
  );
}
