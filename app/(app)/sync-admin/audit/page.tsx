import type { Metadata } from 'next';
import { requireAdminView } from '@/lib/auth/session';
import { AUDIT_PAGE_SIZE } from '@/lib/audit/schemas';
import { listAuditEventActions, listAuditEvents } from '@/lib/audit/service';
import { getDb } from '@/lib/db';
import { AuditClient } from './audit-client';

export const metadata: Metadata = { title: 'Audit trail' };

export default async function AuditPage() {
  const actor = await requireAdminView('/sync-admin/audit');
  const db = getDb();
  const [firstPage, actions] = await Promise.all([
    listAuditEvents(db, actor, { limit: AUDIT_PAGE_SIZE }),
    listAuditEventActions(db, actor),
  ]);
  return <AuditClient initialPage={firstPage} initialActions={actions} />;
}
