import { requireAdmin } from '@/lib/auth/session';
import { SyncAdminNav } from './sync-admin-nav-client';

/** The admin area: one sub-navigation above every page; recruiters are refused (403) here already. */
export default async function SyncAdminLayout({ children }: { children: React.ReactNode }) {
  await requireAdmin('/sync-admin');
  return (
    <div className="space-y-6">
      <SyncAdminNav />
      {children}
    </div>
  );
}
