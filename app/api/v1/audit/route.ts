import { route } from '@/lib/api/route';
import { listAuditQuerySchema } from '@/lib/audit/schemas';
import { listAuditEvents } from '@/lib/audit/service';

export const GET = route({ access: 'admin', query: listAuditQuerySchema }, async ({ db, actor, query }) =>
  listAuditEvents(db, actor, query),
);
