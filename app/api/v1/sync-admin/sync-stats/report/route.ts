import { route } from '@/lib/api/route';
import { statsQuerySchema } from '@/lib/sync-admin/schemas';
import { getSyncReport } from '@/lib/sync-admin/service';

export const GET = route({ access: 'admin', query: statsQuerySchema }, ({ db, actor, query }) =>
  getSyncReport(db, actor, query),
);
