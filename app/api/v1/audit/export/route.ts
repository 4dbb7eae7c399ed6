import { route } from '@/lib/api/route';
import { exportAuditEvents, exportAuditQuerySchema } from '@/lib/export/audit';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route(
  { access: 'admin', scope: 'audit:read', query: exportAuditQuerySchema },
  ({ db, actor, query, log }) => exportAuditEvents(db, actor, query, log),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
