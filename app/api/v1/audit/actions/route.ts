import { route } from '@/lib/api/route';
import { listAuditEventActions } from '@/lib/audit/service';

export const GET = route({ access: 'admin' }, async ({ db, actor }) => ({
  data: await listAuditEventActions(db, actor),
}));
