import { route } from '@/lib/api/route';
import { listAuditEventActions } from '@/lib/audit/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route({ access: 'admin', scope: 'audit:read' }, async ({ db, actor }) => ({
  data: await listAuditEventActions(db, actor),
}));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
