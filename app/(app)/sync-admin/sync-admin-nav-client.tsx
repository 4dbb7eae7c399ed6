'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { ScrollX } from '@/app/components/scroll-x-client';

const ITEMS = [
  { href: '/sync-admin', label: 'Dashboard', exact: true },
  { href: '/sync-admin/sync-dashboard', label: 'Statistics' },
  { href: '/sync-admin/tasks', label: 'Tasks' },
  { href: '/sync-admin/schedules', label: 'Schedules' },
  { href: '/sync-admin/sources', label: 'Sources' },
  { href: '/sync-admin/audit', label: 'Audit' },
  { href: '/sync-admin/webhooks', label: 'Webhooks' },
  { href: '/sync-admin/alerts', label: 'Alerts' },
];

/** On a phone the strip starts scrolled to the current page, which may be one of the last. */
function showCurrent(strip: HTMLDivElement) {
  const current = strip.querySelector<HTMLElement>('[aria-current="page"]');
  if (current) strip.scrollLeft = current.offsetLeft - (strip.clientWidth - current.offsetWidth) / 2;
}

export function SyncAdminNav() {
  const pathname = usePathname().replace(/\/$/, '') || '/';
  const isCurrent = (item: (typeof ITEMS)[number]) =>
    item.exact ? pathname === item.href : pathname === item.href || pathname.startsWith(`${item.href}/`);
  return (
    <nav aria-label="Sync admin" className="-mt-2 border-b border-slate-200">
      <ScrollX label="Sync admin pages" cue="More" surface="page" cuePosition="center" onReady={showCurrent}>
        <div className="flex items-center gap-1">
          <span className="mr-3 hidden text-xs font-semibold uppercase tracking-wide text-slate-500 sm:inline">
            Sync admin
          </span>
          {ITEMS.map((item) => {
            const current = isCurrent(item);
            return (
              <Link
                key={item.href}
                href={item.href}
                aria-current={current ? 'page' : undefined}
                className={`-mb-px whitespace-nowrap border-b-2 px-3 py-2.5 text-sm font-medium ${
                  current
                    ? 'border-brand-600 text-brand-700'
                    : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'
                }`}
              >
                {item.label}
              </Link>
            );
          })}
        </div>
      </ScrollX>
    </nav>
  );
}
