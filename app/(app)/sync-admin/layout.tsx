import { requireAdminView } from '@/lib/auth/session';
import { SyncAdminNav } from './sync-admin-nav-client';

/** The admin area: one sub-navigation above every page; recruiters are refused (403) here already, viewers read it. */
export default async function SyncAdminLayout({ children }: { children: React.ReactNode }) {
  await requireAdminView('/sync-admin');
  return (
    <div className="space-y-6">
      <SyncAdminNav />
      {children}
    </div>
  );
}
