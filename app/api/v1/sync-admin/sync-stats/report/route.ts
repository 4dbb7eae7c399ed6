import { route } from '@/lib/api/route';
import { statsQuerySchema } from '@/lib/sync-admin/schemas';
import { getSyncReport } from '@/lib/sync-admin/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route({ access: 'admin', scope: 'syncs:read', query: statsQuerySchema }, ({ db, actor, query }) =>
  getSyncReport(db, actor, query),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
