import { route } from '@/lib/api/route';
import { listDeliveriesQuerySchema, taskParamsSchema } from '@/lib/sync-admin/schemas';
import { listTaskDeliveries } from '@/lib/sync-admin/service';

export const GET = route(
  { access: 'admin', params: taskParamsSchema, query: listDeliveriesQuerySchema },
  ({ db, actor, params, query }) => listTaskDeliveries(db, actor, params.id, query),
);
