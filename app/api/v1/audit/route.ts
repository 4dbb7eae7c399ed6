import { route } from '@/lib/api/route';
import { listAuditQuerySchema } from '@/lib/audit/schemas';
import { listAuditEvents } from '@/lib/audit/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route(
  { access: 'admin', scope: 'audit:read', query: listAuditQuerySchema },
  async ({ db, actor, query }) => listAuditEvents(db, actor, query),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
