import { route } from '@/lib/api/route';
import { listDeliveriesQuerySchema, taskParamsSchema } from '@/lib/sync-admin/schemas';
import { listTaskDeliveries } from '@/lib/sync-admin/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route(
  { access: 'admin', scope: 'syncs:read', params: taskParamsSchema, query: listDeliveriesQuerySchema },
  ({ db, actor, params, query }) => listTaskDeliveries(db, actor, params.id, query),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
