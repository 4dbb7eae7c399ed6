'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { signOut } from 'next-auth/react';
import { useState } from 'react';
import type { UserRole } from '@/db/types';

type NavUser = { name: string; email: string; role: UserRole };

const LINKS: { href: string; label: string; admin?: boolean }[] = [
  { href: '/recruitment/jobs', label: 'Jobs' },
  { href: '/sync-admin', label: 'Sync admin', admin: true },
  { href: '/admin/users', label: 'Users', admin: true },
  { href: '/settings/tokens', label: 'API tokens' },
  { href: '/docs/api', label: 'API reference' },
];

export function AppNav({ user }: { user: NavUser }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  // Viewers see the admin pages, without the controls that would change anything.
  const links = LINKS.filter((l) => !l.admin || user.role !== 'recruiter');
  const linkClass = (href: string) =>
    `rounded-md px-3 py-2 text-sm font-medium ${
      pathname === href || pathname.startsWith(`${href}/`)
        ? 'bg-slate-800 text-white'
        : 'text-slate-300 hover:bg-slate-800 hover:text-white'
    }`;
  return (
    <header className="always-dark bg-slate-900">
      <nav aria-label="Main" className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3 sm:px-6 lg:px-8">
        <Link href="/recruitment/jobs" className="flex items-center gap-2 text-white">
          <span className="flex h-8 w-8 items-center justify-center rounded-lg bg-brand-500 font-bold">A</span>
          <span className="font-semibold tracking-tight">ATS Sync</span>
        </Link>
        <div className="hidden flex-1 items-center gap-1 md:flex">
          {links.map((l) => (
            <Link
              key={l.href}
              href={l.href}
              className={linkClass(l.href)}
              aria-current={pathname.startsWith(l.href) ? 'page' : undefined}
            >
              {l.label}
            </Link>
          ))}
        </div>
        <div className="ml-auto hidden items-center gap-3 md:flex">
          <div className="text-right leading-tight" data-testid="current-user">
            <div className="text-sm font-medium text-white">{user.name}</div>
            <div className="text-xs text-slate-400">
              {user.email} · <span className="capitalize">{user.role}</span>
            </div>
          </div>
          <button
            type="button"
            onClick={() => signOut({ callbackUrl: '/login' })}
            className="btn rounded-md border border-slate-700 text-slate-200 hover:bg-slate-800"
          >
            Sign out
          </button>
        </div>
        <button
          type="button"
          className="ml-auto rounded-md p-2 text-slate-300 hover:bg-slate-800 md:hidden"
          aria-expanded={open}
          aria-controls="mobile-nav"
          onClick={() => setOpen((o) => !o)}
        >
          <span className="sr-only">Menu</span>
          <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5 fill-current">
            <path d="M3 5h14v2H3zm0 4h14v2H3zm0 4h14v2H3z" />
          </svg>
        </button>
      </nav>
      {open && (
        <div id="mobile-nav" className="space-y-1 border-t border-slate-800 px-4 py-3 md:hidden">
          {links.map((l) => (
            <Link key={l.href} href={l.href} className={`block ${linkClass(l.href)}`} onClick={() => setOpen(false)}>
              {l.label}
            </Link>
          ))}
          <div className="border-t border-slate-800 pt-3 text-sm text-slate-300">
            {user.name} · <span className="capitalize">{user.role}</span>
          </div>
          <button
            type="button"
            onClick={() => signOut({ callbackUrl: '/login' })}
            className="btn w-full border border-slate-700 text-slate-200"
          >
            Sign out
          </button>
        </div>
      )}
    </header>
  );
}
