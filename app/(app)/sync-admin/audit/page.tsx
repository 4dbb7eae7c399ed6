import type { Metadata } from 'next';
import { requireAdminView } from '@/lib/auth/session';
import { AUDIT_PAGE_SIZE } from '@/lib/audit/schemas';
import { listAuditEventActions, listAuditEvents } from '@/lib/audit/service';
import { getDb } from '@/lib/db';
import { findHostileInput } from '@/lib/security/hostile-input';
import { AuditClient, type AuditFilters } from './audit-client';

export const metadata: Metadata = { title: 'Audit trail' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const FITS: Record<keyof AuditFilters, (v: string) => boolean> = {
  actor: (v) => v.length <= 200,
  action: (v) => /^[a-z0-9_.*]{1,100}$/.test(v),
  from: (v) => DAY.test(v),
  to: (v) => DAY.test(v),
};

export default async function AuditPage({ searchParams }: Props) {
  const actor = await requireAdminView('/sync-admin/audit');
  const params = await searchParams;
  // The filters live in the address (a filtered trail can be shared and survives a reload); a value
  // that does not fit (an old link, a typo) is left out rather than failing the page.
  const initialFilters: AuditFilters = { actor: '', action: '', from: '', to: '' };
  for (const key of Object.keys(FITS) as (keyof AuditFilters)[]) {
    const value = params[key];
    if (typeof value === 'string' && findHostileInput({ value }).length === 0 && FITS[key](value))
      initialFilters[key] = value;
  }
  const db = getDb();
  const [firstPage, actions] = await Promise.all([
    listAuditEvents(db, actor, { limit: AUDIT_PAGE_SIZE }),
    listAuditEventActions(db, actor),
  ]);
  return <AuditClient initialPage={firstPage} initialActions={actions} initialFilters={initialFilters} />;
}
